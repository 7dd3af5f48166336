package dev.empathy.jobs.fit;

import static dev.empathy.jobs.spark.ColumnNames.quote;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.formula.Factor;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.FormulaException;
import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.formula.RowValues;
import dev.empathy.lib.survival.Cox;
import dev.empathy.lib.survival.CoxFit;
import dev.empathy.lib.survival.CoxRiskSets;
import dev.empathy.lib.survival.KaplanMeier;
import dev.empathy.lib.survival.LogRank;
import dev.empathy.lib.survival.SurvivalRow;
import dev.empathy.lib.survival.Ties;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Survival models over a Spark dataset from per-time aggregates: Kaplan-Meier and log-rank from
 * event and censoring counts by (group, time); Cox from, at each Newton step, the risk-set sums
 * of every distinct time, reduced by time across partitions. Cox also takes counting-process
 * rows, {@code Surv(start, stop, event)}: a row adds to the risk sums at its stop time and
 * takes itself out again at its start time, so the risk set at {@code t} holds the rows with
 * {@code start < t <= stop}; rows with {@code start >= stop} are not used. Only per-time figures reach the
 * driver, so memory grows with the number of distinct times (days, say), not rows.
 */
public final class SparkSurvival {

    private SparkSurvival() {
    }

    /** Kaplan-Meier curves and, with two or more groups, the log-rank test (else null). */
    public record KmResult(List<SurvivalRow> rows, LogRank.Result logRank, long rowsRead, long rowsUsed) {
    }

    public static KmResult kaplanMeier(ModelData model, double confidenceLevel) {
        Formula f = model.spec().formula();
        if (!f.isSurvival()) {
            throw new FormulaException("Kaplan-Meier needs Surv(time, event) ~ 1 or ~ C(group)");
        }
        if (f.start() != null) {
            throw new FormulaException("Kaplan-Meier takes Surv(time, event); entry times (start, stop] are for Cox");
        }
        String group = null;
        if (!f.terms().isEmpty()) {
            if (f.terms().size() != 1 || f.terms().get(0).factors().size() != 1
                    || !(f.terms().get(0).factors().get(0) instanceof Factor.Categorical c)) {
                throw new FormulaException("Kaplan-Meier takes one grouping term: Surv(time, event) ~ C(group)");
            }
            group = c.column();
        }
        Dataset<Row> data = model.data();
        Column complete = col(quote(f.response())).isNotNull().and(col(quote(f.event())).isNotNull());
        if (group != null) {
            complete = complete.and(col(quote(group)).isNotNull());
        }
        Column groupColumn = group == null ? lit("all") : col(quote(group)).cast("string");
        List<Row> counts = data.filter(complete)
                .groupBy(groupColumn.as("g"), col(quote(f.response())).cast("double").as("t"))
                .agg(sum(when(col(quote(f.event())).cast("double").notEqual(0), 1L).otherwise(0L)).as("d"),
                        count(lit(1)).as("n"))
                .collectAsList();
        Map<String, TreeMap<Double, KaplanMeier.TimeCount>> byGroup = new TreeMap<>();
        long used = 0;
        for (Row r : counts) {
            String g = r.getString(0);
            // A numeric group reads as text "1.0"; show it as the formula's levels do ("1").
            if (group != null) {
                try {
                    g = ModelSpec.levelOf(Double.parseDouble(g));
                } catch (NumberFormatException e) {
                    // text group: as it is
                }
            }
            long d = r.getLong(2);
            long n = r.getLong(3);
            used += n;
            byGroup.computeIfAbsent(g, k -> new TreeMap<>()).put(r.getDouble(1), new KaplanMeier.TimeCount(d, n - d));
        }
        if (used == 0) {
            throw model.cannotFit("km", "no usable rows", model.rowsRead(), 0);
        }
        List<SurvivalRow> rows = KaplanMeier.fromCounts(byGroup, confidenceLevel);
        LogRank.Result test = byGroup.size() >= 2 ? LogRank.test(byGroup) : null;
        return new KmResult(rows, test, model.rowsRead(), used);
    }

    /** Per distinct time: everyone's sums, the events' sums, the event count, sum of eta and of x. */
    private static final class TimeAggregate implements Serializable {
        private static final long serialVersionUID = 1L;
        final CoxRiskSets.TimeSums all;
        final CoxRiskSets.TimeSums dead;
        long d;
        double sumEta;
        final double[] sumX;

        TimeAggregate(int p) {
            all = new CoxRiskSets.TimeSums(p);
            dead = new CoxRiskSets.TimeSums(p);
            sumX = new double[p];
        }

        TimeAggregate merge(TimeAggregate o) {
            all.merge(o.all);
            dead.merge(o.dead);
            d += o.d;
            sumEta += o.sumEta;
            for (int j = 0; j < sumX.length; j++) {
                sumX[j] += o.sumX[j];
            }
            return this;
        }
    }

    /**
     * A Cox fit with its row accounting and where its Newton steps ran: over Spark, one job a
     * step, or on rows collected once to the driver.
     */
    public record CoxResult(CoxFit fit, long rowsRead, long rowsUsed, boolean onDriver) {
    }

    /**
     * Rows used times the values kept per row (time, event, start and the design columns) up to
     * which a Cox model is collected to the driver once and its Newton steps run there, instead
     * of one Spark job per step and step halving: 2^25 doubles (256 MiB), e.g. 3.7 million rows
     * of 6 columns. On the driver the rows are read where they are (no shuffle) and sorted by
     * value, so the per-time sums are added in an order that does not depend on the partitioning;
     * the arithmetic is the same as over Spark, only the order of the additions and the centring
     * of the design (the mean of all rows there, of the first 2,000 rows over Spark) differ
     * (rounding, about 1e-15 relative).
     */
    public static final long DRIVER_VALUES = 1L << 25;

    public static CoxResult cox(ModelData model, Ties ties, double confidenceLevel) {
        return cox(model, ties, confidenceLevel, DRIVER_VALUES);
    }

    /** As {@link #cox(ModelData, Ties, double)}; {@code driverValues} 0 always steps over Spark. */
    public static CoxResult cox(ModelData model, Ties ties, double confidenceLevel, long driverValues) {
        return cox(model, ties, confidenceLevel, driverValues, null);
    }

    /**
     * Cox models of one formula in each group of a dataset's rows and of another over all of them,
     * from one collect when their rows fit on the driver: see {@link CoxGroups#fit}.
     */
    public static CoxGroups.Result coxByGroup(Dataset<Row> data, String groupColumn, List<String> groups,
                                              Formula overall, Formula perGroup, Ties ties, double confidenceLevel) {
        return CoxGroups.fit(data, groupColumn, groups, overall, perGroup, ties, confidenceLevel, DRIVER_VALUES);
    }

    /**
     * As {@link #cox(ModelData, Ties, double, long)}; on the driver route the rows come from
     * {@code collected} (given the spec) when it is not null, else from their own pass
     * ({@link DriverRows#collect}).
     */
    static CoxResult cox(ModelData model, Ties ties, double confidenceLevel, long driverValues,
                         java.util.function.Function<ModelSpec, DriverRows> collected) {
        ModelSpec spec = model.spec();
        Formula f = spec.formula();
        if (!f.isSurvival() || f.terms().isEmpty()) {
            throw new FormulaException("a Cox model needs Surv(time, event) ~ covariates");
        }
        int p = spec.width();
        boolean counting = f.start() != null;
        // The levels pass's complete rows decide the route before any other pass.
        if (model.rowsComplete() * (p + 3L) <= driverValues) {
            // Collected where the rows are, then sorted by value on the driver: no shuffle.
            DriverRows local = collected != null ? collected.apply(spec) : DriverRows.collect(model, spec);
            model.requireRows("cox", model.rowsRead(), local.completeRows(), p);
            List<double[]> rows = local.rows();
            int n = rows.size();
            return solve(model, spec, ties, confidenceLevel, local.completeRows(), true, beta -> {
                // Fixed slices of the sorted rows, summed in parallel, merged per time in slice order.
                List<Map<Double, TimeAggregate>> slices = java.util.stream.IntStream.range(0, ModelRows.CHUNKS)
                        .parallel().mapToObj(c -> {
                            Map<Double, TimeAggregate> sums = new HashMap<>();
                            int to = (int) ((long) n * (c + 1) / ModelRows.CHUNKS);
                            for (int i = (int) ((long) n * c / ModelRows.CHUNKS); i < to; i++) {
                                add(sums, rows.get(i), beta, counting);
                            }
                            return sums;
                        }).toList();
                Map<Double, TimeAggregate> merged = new HashMap<>();
                for (Map<Double, TimeAggregate> slice : slices) {
                    slice.forEach((t, a) -> merged.merge(t, a, TimeAggregate::merge));
                }
                return pairs(merged);
            });
        }
        Map<String, Integer> index = model.index();
        Dataset<Row> cached = model.data().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long used = cached.filter(complete(f, index.keySet())).count();
            model.requireRows("cox", model.rowsRead(), used, p);
            double[] centre = centre(cached, spec, index);
            java.util.function.Function<double[], List<Tuple2<Double, TimeAggregate>>> times = beta ->
                    Deterministic.reduceByKey(cached.javaRDD().mapPartitionsToPair((Iterator<Row> it) -> {
                        Map<Double, TimeAggregate> local = new HashMap<>();
                        CoxRows encode = new CoxRows(spec, centre);
                        SparkRowValues values = new SparkRowValues(index);
                        while (it.hasNext()) {
                            double[] row = encode.of(values.of(it.next()));
                            if (row != null) {
                                add(local, row, beta, counting);
                            }
                        }
                        return pairs(local).iterator();
                    }), TimeAggregate::merge, cached.javaRDD().getNumPartitions()).collect();
            return solve(model, spec, ties, confidenceLevel, used, false, times);
        } finally {
            cached.unpersist();
        }
    }

    /** Newton's steps of {@link Cox#solve} over the per-time sums {@code times} gives at each coefficient vector. */
    private static CoxResult solve(ModelData model, ModelSpec spec, Ties ties, double confidenceLevel, long used,
                                   boolean onDriver,
                                   java.util.function.Function<double[], List<Tuple2<Double, TimeAggregate>>> times) {
        int p = spec.width();
        {
            long[] events = new long[1];
            CoxFit fit = Cox.solve(spec.names(), beta -> {
                List<Tuple2<Double, TimeAggregate>> sorted = new ArrayList<>(times.apply(beta));
                sorted.sort((a, b) -> Double.compare(b._1(), a._1()));
                CoxRiskSets sets = new CoxRiskSets(p, ties);
                long d = 0;
                for (Tuple2<Double, TimeAggregate> t : sorted) {
                    TimeAggregate a = t._2();
                    sets.addTime(a.all, a.dead, a.d, a.sumEta, a.sumX);
                    d += a.d;
                }
                events[0] = d;
                return sets;
            }, used, 0, ties, confidenceLevel);
            return new CoxResult(fit.withCounts(used, events[0]).withNotes(spec.notes()), model.rowsRead(), used,
                    onDriver);
        }
    }

    /**
     * A Cox model's rows on the driver: every row with the model's columns complete (as Spark's
     * filter counts them, {@link #complete}) and its usable ones encoded as {@link CoxRows} does,
     * collected in one pass over the rows where they are, sorted by their values (a total order,
     * so the sums do not depend on the partitioning), then centred on the mean of the design.
     */
    record DriverRows(List<double[]> rows, long completeRows) {

        static DriverRows collect(ModelData model, ModelSpec spec) {
            Formula f = spec.formula();
            Dataset<Row> source = model.source();
            String flag = "__complete";
            while (java.util.Arrays.asList(source.columns()).contains(flag)) {
                flag = "_" + flag;
            }
            Dataset<Row> marked = source.withColumn(flag, SparkSurvival.complete(f, model.index().keySet()));
            Map<String, Integer> index = new HashMap<>();
            String[] names = marked.columns();
            for (int i = 0; i < names.length; i++) {
                index.put(names[i], i);
            }
            int at = index.get(flag);
            List<Object[]> parts = marked.javaRDD().mapPartitions((Iterator<Row> it) -> {
                List<double[]> out = new ArrayList<>();
                long complete = 0;
                CoxRows encode = new CoxRows(spec);
                SparkRowValues values = new SparkRowValues(index);
                while (it.hasNext()) {
                    Row r = it.next();
                    if (r.isNullAt(at) || !r.getBoolean(at)) {
                        continue;
                    }
                    complete++;
                    double[] row = encode.of(values.of(r));
                    if (row != null) {
                        out.add(row);
                    }
                }
                return List.<Object[]>of(new Object[] {out.toArray(double[][]::new), complete}).iterator();
            }).collect();
            List<double[]> rows = new ArrayList<>();
            long complete = 0;
            for (Object[] part : parts) {
                rows.addAll(java.util.Arrays.asList((double[][]) part[0]));
                complete += (Long) part[1];
            }
            return of(rows, complete, spec.width());
        }

        /**
         * The model's encoded rows ({@link CoxRows}, not centred) and its complete rows, wherever
         * they were read: sorted by value and centred, in place.
         */
        static DriverRows of(List<double[]> rows, long complete, int p) {
            rows.sort(java.util.Arrays::compare);
            double[] centre = new double[p];
            for (double[] row : rows) {
                for (int j = 0; j < p; j++) {
                    centre[j] += row[3 + j];
                }
            }
            for (int j = 0; j < p; j++) {
                centre[j] = rows.isEmpty() ? 0 : centre[j] / rows.size();
            }
            for (double[] row : rows) {
                for (int j = 0; j < p; j++) {
                    row[3 + j] -= centre[j];
                }
            }
            return new DriverRows(rows, complete);
        }
    }

    /**
     * A usable row as {@code [time, event, start, x - centre...]} (start minus infinity without
     * one), or null when a value is missing or {@code start >= time}.
     */
    static final class CoxRows {
        private final ModelSpec spec;
        private final Formula f;
        private final double[] centre;
        private final double[] x;

        /** Rows not centred (the driver centres them once they are all read). */
        CoxRows(ModelSpec spec) {
            this(spec, new double[spec.width()]);
        }

        CoxRows(ModelSpec spec, double[] centre) {
            this.spec = spec;
            this.f = spec.formula();
            this.centre = centre;
            this.x = new double[spec.width()];
        }

        double[] of(RowValues v) {
            double t = v.number(f.response());
            double e = v.number(f.event());
            double s = f.start() == null ? Double.NEGATIVE_INFINITY : v.number(f.start());
            if (Double.isNaN(t) || Double.isNaN(e) || !(s < t) || !spec.encode(v, x)) {
                return null;
            }
            double[] out = new double[3 + x.length];
            out[0] = t;
            out[1] = e;
            out[2] = s;
            for (int j = 0; j < x.length; j++) {
                out[3 + j] = x[j] - centre[j];
            }
            return out;
        }
    }

    /** Adds one row ({@link CoxRows}) at {@code beta} to the per-time aggregates. */
    private static void add(Map<Double, TimeAggregate> local, double[] row, double[] beta, boolean counting) {
        int p = beta.length;
        double[] xc = java.util.Arrays.copyOfRange(row, 3, 3 + p);
        double eta = 0;
        for (int j = 0; j < p; j++) {
            eta += beta[j] * xc[j];
        }
        double expEta = Math.exp(eta);
        TimeAggregate a = local.computeIfAbsent(row[0], k -> new TimeAggregate(p));
        a.all.add(xc, expEta);
        if (counting) {
            // At risk over (start, stop]: leaves the risk set at its start time and below.
            local.computeIfAbsent(row[2], k -> new TimeAggregate(p)).all.add(xc, -expEta);
        }
        if (row[1] != 0) {
            a.dead.add(xc, expEta);
            a.d++;
            a.sumEta += eta;
            for (int j = 0; j < p; j++) {
                a.sumX[j] += xc[j];
            }
        }
    }

    private static List<Tuple2<Double, TimeAggregate>> pairs(Map<Double, TimeAggregate> local) {
        List<Tuple2<Double, TimeAggregate>> out = new ArrayList<>(local.size());
        local.forEach((t, a) -> out.add(new Tuple2<>(t, a)));
        return out;
    }

    private static Column complete(Formula f, java.util.Set<String> columns) {
        Column c = lit(true);
        for (String name : f.columns()) {
            c = c.and(col(quote(name)).isNotNull());
        }
        if (f.start() != null) {
            c = c.and(col(quote(f.start())).lt(col(quote(f.response()))));
        }
        return c;
    }

    /** Means of the design columns (from the first rows read): centring keeps exp(eta) in range. */
    private static double[] centre(Dataset<Row> data, ModelSpec spec, Map<String, Integer> index) {
        double[] sum = new double[spec.width()];
        int n = 0;
        SparkRowValues values = new SparkRowValues(index);
        double[] x = new double[spec.width()];
        for (Row r : data.limit(2000).collectAsList()) {
            if (spec.encode(values.of(r), x)) {
                for (int j = 0; j < x.length; j++) {
                    sum[j] += x[j];
                }
                n++;
            }
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] = n == 0 ? 0 : sum[j] / n;
        }
        return sum;
    }
}
