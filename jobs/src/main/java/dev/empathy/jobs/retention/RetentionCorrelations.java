package dev.empathy.jobs.retention;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.corr;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.retention.Retention.Correlation;
import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.stats.Proportions;
import dev.empathy.lib.stats.Rates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spearman and point-biserial correlation of a customer's exposure (mean score, documented
 * share) with being retained at each horizon, per segment and overall, among the customers
 * followed that long or churned before it. Spearman with a 0/1 variable is Pearson's r of the
 * exposure's mid-ranks with it.
 *
 * <p>Two routes, the same figures (to rounding). When the customers times the five columns read
 * are at most {@link #DRIVER_VALUES}, they are collected once and every horizon, exposure and
 * group is computed on the driver, over the rows sorted by value (so the sums do not depend on
 * Spark's partitioning). Above it, each horizon, exposure and grouping is a few Spark passes: a
 * distributed sort for the ranks and the groups' sums in one task each.
 */
final class RetentionCorrelations {

    /**
     * Customers times columns (five) up to which the correlations are computed on the driver:
     * 2^25 values, some 6.7 million customers.
     */
    static final long DRIVER_VALUES = 1L << 25;

    private static final List<String> EXPOSURES = List.of("exposure", "documented_share");

    private RetentionCorrelations() {
    }

    /**
     * The correlations of the customers of {@code frame} ({@code customers} rows; columns
     * segment, exposure, documented_share, days, churned, none null) at each horizon, each
     * segment's rows flagged by {@code high}; on the driver when they fit {@code driverValues}.
     */
    static List<Correlation> of(Dataset<Row> frame, Map<String, Boolean> high, List<Integer> horizons,
                                long customers, long driverValues) {
        return customers * 5 <= driverValues ? onDriver(frame, high, horizons) : overSpark(frame, high, horizons);
    }

    /** The two rows of one group: Spearman and point-biserial, with the note or the reason none was estimated. */
    private static void add(List<Correlation> rows, String g, boolean highChurn, int h, String name, double rho,
                            double pearson, long n, long kept, String constantNote) {
        String note = constantNote;
        if (note != null) {
            rho = Double.NaN;
            pearson = Double.NaN;
        } else if (n < 4) {
            note = "no interval: fewer than 4 customers";
        }
        Proportions.Interval s = Rates.correlation(rho, n, Rates.SPEARMAN_FACTOR, 0.95);
        Proportions.Interval p = Rates.correlation(pearson, n, 1, 0.95);
        rows.add(new Correlation(g, highChurn, h, name, "spearman", s, n, kept,
                note == null && Double.isNaN(rho) ? "not estimated" : note));
        rows.add(new Correlation(g, highChurn, h, name, "point_biserial", p, n, kept,
                note == null && Double.isNaN(pearson) ? "not estimated" : note));
    }

    /** Why a group gets no estimate (fewer than 2 customers, one value of retained or exposure), else null. */
    private static String constantNote(long n, int retainedMin, int retainedMax, boolean exposureVaries, String name,
                                       int horizon) {
        if (n < 2) {
            return "not estimated: fewer than 2 customers";
        }
        if (retainedMin == retainedMax) {
            return retainedMin == 1 ? "not estimated: every customer was still a customer at day " + horizon
                    : "not estimated: every customer had left by day " + horizon;
        }
        if (!exposureVaries) {
            return name.equals("score") ? "not estimated: the mean score is the same for every customer"
                    : "not estimated: the documented share is the same for every customer";
        }
        return null;
    }

    /** The customers' columns on the driver, sorted by segment, then by value. */
    private record Customers(String[] segment, double[][] exposure, double[] days, int[] churned) {

        static Customers collect(Dataset<Row> frame) {
            List<Object[]> parts = frame.select(col("segment"), col("exposure"), col("documented_share"), col("days"),
                    col("churned")).javaRDD().mapPartitions((Iterator<Row> it) -> {
                        List<Object> seg = new ArrayList<>();
                        List<double[]> values = new ArrayList<>();
                        while (it.hasNext()) {
                            Row r = it.next();
                            seg.add(r.getString(0));
                            values.add(new double[] {r.getDouble(1), r.getDouble(2), r.getDouble(3), r.getInt(4)});
                        }
                        return List.<Object[]>of(new Object[] {seg.toArray(String[]::new),
                                values.toArray(double[][]::new)}).iterator();
                    }).collect();
            List<String> segments = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            for (Object[] p : parts) {
                segments.addAll(Arrays.asList((String[]) p[0]));
                values.addAll(Arrays.asList((double[][]) p[1]));
            }
            int n = segments.size();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int c = segments.get(a).compareTo(segments.get(b));
                return c != 0 ? c : Arrays.compare(values.get(a), values.get(b));
            });
            String[] segment = new String[n];
            double[][] exposure = new double[2][n];
            double[] days = new double[n];
            int[] churned = new int[n];
            for (int i = 0; i < n; i++) {
                double[] v = values.get(order[i]);
                segment[i] = segments.get(order[i]);
                exposure[0][i] = v[0];
                exposure[1][i] = v[1];
                days[i] = v[2];
                churned[i] = (int) v[3];
            }
            return new Customers(segment, exposure, days, churned);
        }
    }

    /** Every horizon, exposure and group from the customers collected once. */
    static List<Correlation> onDriver(Dataset<Row> frame, Map<String, Boolean> high, List<Integer> horizons) {
        Customers c = Customers.collect(frame);
        int n = c.days().length;
        List<Correlation> rows = new ArrayList<>();
        for (int h : horizons) {
            // Retained at h: 1 followed at least h days, 0 churned before it, else unknown (-1).
            int[] retained = new int[n];
            Map<String, List<Integer>> bySegment = new TreeMap<>();
            List<Integer> everyone = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                retained[i] = c.churned()[i] == 1 && c.days()[i] < h ? 0 : c.days()[i] >= h ? 1 : -1;
                if (retained[i] >= 0) {
                    bySegment.computeIfAbsent(c.segment()[i], k -> new ArrayList<>()).add(i);
                    everyone.add(i);
                }
            }
            for (int e = 0; e < EXPOSURES.size(); e++) {
                String name = EXPOSURES.get(e).equals("exposure") ? "score" : EXPOSURES.get(e);
                for (Map.Entry<String, List<Integer>> g : bySegment.entrySet()) {
                    group(rows, g.getKey(), high.getOrDefault(g.getKey(), false), h, name, c.exposure()[e], retained,
                            g.getValue());
                }
                if (!everyone.isEmpty()) {
                    group(rows, Retention.ALL, high.getOrDefault(Retention.ALL, false), h, name, c.exposure()[e],
                            retained, everyone);
                }
            }
        }
        return rows;
    }

    /** One group's two correlations from its rows {@code members} (ascending). */
    private static void group(List<Correlation> rows, String g, boolean highChurn, int h, String name, double[] x,
                              int[] retained, List<Integer> members) {
        int m = members.size();
        double[] gx = new double[m];
        double[] gy = new double[m];
        int retainedMin = 1;
        int retainedMax = 0;
        long kept = 0;
        boolean varies = false;
        for (int k = 0; k < m; k++) {
            int i = members.get(k);
            gx[k] = x[i];
            gy[k] = retained[i];
            retainedMin = Math.min(retainedMin, retained[i]);
            retainedMax = Math.max(retainedMax, retained[i]);
            kept += retained[i];
            varies |= gx[k] != gx[0];
        }
        String note = constantNote(m, retainedMin, retainedMax, varies, name, h);
        double rho = Double.NaN;
        double pearson = Double.NaN;
        if (note == null) {
            PearsonsCorrelation r = new PearsonsCorrelation();
            pearson = r.correlation(gx, gy);
            rho = r.correlation(new NaturalRanking(TiesStrategy.AVERAGE).rank(gx), gy);
        }
        add(rows, g, highChurn, h, name, rho, pearson, m, kept, note);
    }

    /**
     * Spearman and point-biserial correlation of exposure with being retained at each horizon,
     * per segment and overall, among customers followed that long or churned before it.
     * Spearman with a 0/1 variable is Pearson's r of the exposure's mid-ranks with it.
     */
    static List<Correlation> overSpark(Dataset<Row> frame, Map<String, Boolean> high, List<Integer> horizons) {
        List<Correlation> rows = new ArrayList<>();
        for (int h : horizons) {
            Column retained = when(col("churned").equalTo(1).and(col("days").lt(h)), 0)
                    .when(col("days").geq(h), 1);
            Dataset<Row> d = frame.withColumn("retained", retained).filter(col("retained").isNotNull());
            for (String exposure : List.of("exposure", "documented_share")) {
                String name = exposure.equals("exposure") ? "score" : exposure;
                for (String grouping : List.of("segment", Retention.ALL)) {
                    Column group = grouping.equals(Retention.ALL) ? lit(Retention.ALL) : col("segment");
                    // Spark's corr divides by zero (an error under ANSI) when either variable is constant
                    // in a group: such groups get no estimate and a note instead.
                    Map<String, String> constant = constantGroups(d.withColumn("g", group), exposure, name, h);
                    Column x = col(exposure);
                    if (!constant.isEmpty()) {
                        x = when(not(col("g").isin(constant.keySet().toArray())), x);
                    }
                    Map<String, Double> spearman = spearman(d.withColumn("g", group), exposure);
                    // Each group's correlation summed in one task in a fixed order: the same bits on any cluster.
                    for (Row r : Deterministic.byKeys(d.withColumn("g", group).select(col("g"), col(exposure),
                                    col("retained")), col("g")).groupBy(col("g"))
                            .agg(corr(x, col("retained")), count(lit(1)), sum(col("retained")))
                            .orderBy(col("g")).collectAsList()) {
                        String g = r.getString(0);
                        double pearson = r.isNullAt(1) ? Double.NaN : r.getDouble(1);
                        add(rows, g, high.getOrDefault(g, false), h, name, spearman.getOrDefault(g, Double.NaN),
                                pearson, r.getLong(2), r.getLong(3), constant.get(g));
                    }
                }
            }
        }
        return rows;
    }

    /**
     * The groups {@code g} in which the exposure or {@code retained} takes one value (or that have
     * fewer than two customers), with the note their correlations get.
     */
    private static Map<String, String> constantGroups(Dataset<Row> d, String value, String name, int horizon) {
        Map<String, String> notes = new TreeMap<>();
        for (Row r : d.groupBy(col("g")).agg(min(col(value)), max(col(value)), min(col("retained")),
                max(col("retained")), count(lit(1))).collectAsList()) {
            String note = constantNote(r.getLong(5), r.getInt(3), r.getInt(4),
                    !r.isNullAt(1) && r.getDouble(1) < r.getDouble(2), name, horizon);
            if (note != null) {
                notes.put(r.getString(0), note);
            }
        }
        return notes;
    }

    /**
     * Spearman's rho of {@code value} with the 0/1 column {@code retained} within each group
     * {@code g}: Pearson's r of the value's mid-ranks with it. The ranks come from one distributed
     * sort by (g, value) and the rows' positions in it; tied values share the mean of their
     * positions, and a group's ranks start after the groups before it. Only per-value sums move.
     */
    private static Map<String, Double> spearman(Dataset<Row> d, String value) {
        Dataset<Row> sorted = d.select(col("g"), col(value).cast("double").as("v"), col("retained"))
                .orderBy(col("g"), col("v"));
        StructType schema = sorted.schema().add("pos", DataTypes.LongType);
        JavaRDD<Row> positioned = sorted.javaRDD().zipWithIndex()
                .map(t -> RowFactory.create(t._1().get(0), t._1().get(1), t._1().get(2), t._2()));
        Dataset<Row> withPos = d.sparkSession().createDataFrame(positioned, schema);
        Dataset<Row> perValue = withPos.groupBy(col("g"), col("v"))
                .agg(avg(col("pos")).as("mean_pos"), count(lit(1)).as("c"), sum(col("retained")).as("r"));
        Dataset<Row> first = withPos.groupBy(col("g")).agg(min(col("pos")).as("first"));
        Column m = col("mean_pos").minus(col("first")).plus(1);
        Map<String, Double> rho = new TreeMap<>();
        for (Row r : Deterministic.byKeys(perValue.join(first, "g"), col("g")).groupBy(col("g"))
                .agg(sum(m.multiply(col("r"))), sum(m.multiply(col("c"))), sum(m.multiply(m).multiply(col("c"))),
                        sum(col("c")), sum(col("r")))
                .collectAsList()) {
            double n = r.getLong(4);
            double kept = r.getLong(5);
            double cross = r.getDouble(1) - r.getDouble(2) * kept / n;
            double ranks = r.getDouble(3) - r.getDouble(2) * r.getDouble(2) / n;
            double binary = kept - kept * kept / n;
            rho.put(r.getString(0), cross / Math.sqrt(ranks * binary));
        }
        return rho;
    }

}
