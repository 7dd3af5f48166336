package dev.empathy.jobs.fit;

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
        Column complete = col(q(f.response())).isNotNull().and(col(q(f.event())).isNotNull());
        if (group != null) {
            complete = complete.and(col(q(group)).isNotNull());
        }
        Column groupColumn = group == null ? lit("all") : col(q(group)).cast("string");
        List<Row> counts = data.filter(complete)
                .groupBy(groupColumn.as("g"), col(q(f.response())).cast("double").as("t"))
                .agg(sum(when(col(q(f.event())).cast("double").notEqual(0), 1L).otherwise(0L)).as("d"),
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
     * of one Spark job per step and step halving: 2^22 doubles (32 MiB), e.g. 350,000 rows of
     * 9 columns. The arithmetic is the same; only the order in which the per-time sums are added
     * differs (rounding, about 1e-15 relative).
     */
    public static final long DRIVER_VALUES = 1L << 22;

    public static CoxResult cox(ModelData model, Ties ties, double confidenceLevel) {
        return cox(model, ties, confidenceLevel, DRIVER_VALUES);
    }

    /** As {@link #cox(ModelData, Ties, double)}; {@code driverValues} 0 always steps over Spark. */
    public static CoxResult cox(ModelData model, Ties ties, double confidenceLevel, long driverValues) {
        ModelSpec spec = model.spec();
        Formula f = spec.formula();
        if (!f.isSurvival() || f.terms().isEmpty()) {
            throw new FormulaException("a Cox model needs Surv(time, event) ~ covariates");
        }
        Map<String, Integer> index = model.index();
        int p = spec.width();
        Dataset<Row> cached = model.data().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long used = cached.filter(complete(f, index.keySet())).count();
            model.requireRows("cox", model.rowsRead(), used, p);
            double[] centre = centre(cached, spec, index);
            boolean counting = f.start() != null;
            boolean onDriver = used * (p + 3L) <= driverValues;
            java.util.function.Function<double[], List<Tuple2<Double, TimeAggregate>>> times;
            if (onDriver) {
                List<double[]> rows = cached.javaRDD().mapPartitions((Iterator<Row> it) -> {
                    List<double[]> out = new ArrayList<>();
                    CoxRows encode = new CoxRows(spec, index, centre);
                    while (it.hasNext()) {
                        double[] row = encode.of(it.next());
                        if (row != null) {
                            out.add(row);
                        }
                    }
                    return out.iterator();
                }).collect();
                times = beta -> {
                    Map<Double, TimeAggregate> local = new HashMap<>();
                    for (double[] row : rows) {
                        add(local, row, beta, counting);
                    }
                    return pairs(local);
                };
            } else {
                times = beta -> Deterministic.reduceByKey(cached.javaRDD().mapPartitionsToPair((Iterator<Row> it) -> {
                    Map<Double, TimeAggregate> local = new HashMap<>();
                    CoxRows encode = new CoxRows(spec, index, centre);
                    while (it.hasNext()) {
                        double[] row = encode.of(it.next());
                        if (row != null) {
                            add(local, row, beta, counting);
                        }
                    }
                    return pairs(local).iterator();
                }), TimeAggregate::merge, cached.javaRDD().getNumPartitions()).collect();
            }
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
        } finally {
            cached.unpersist();
        }
    }

    /**
     * A usable row as {@code [time, event, start, x - centre...]} (start minus infinity without
     * one), or null when a value is missing or {@code start >= time}.
     */
    private static final class CoxRows {
        private final ModelSpec spec;
        private final Formula f;
        private final double[] centre;
        private final SparkRowValues values;
        private final double[] x;

        CoxRows(ModelSpec spec, Map<String, Integer> index, double[] centre) {
            this.spec = spec;
            this.f = spec.formula();
            this.centre = centre;
            this.values = new SparkRowValues(index);
            this.x = new double[spec.width()];
        }

        double[] of(Row row) {
            SparkRowValues v = values.of(row);
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
            c = c.and(col(q(name)).isNotNull());
        }
        if (f.start() != null) {
            c = c.and(col(q(f.start())).lt(col(q(f.response()))));
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

    private static String q(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
