package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

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

    public record CoxResult(CoxFit fit, long rowsRead, long rowsUsed) {
    }

    public static CoxResult cox(ModelData model, Ties ties, double confidenceLevel) {
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
            long[] counts = new long[2];
            CoxFit fit = Cox.solve(spec.names(), beta -> {
                List<Tuple2<Double, TimeAggregate>> times = cached.javaRDD().mapPartitionsToPair((Iterator<Row> it) -> {
                    Map<Double, TimeAggregate> local = new HashMap<>();
                    SparkRowValues values = new SparkRowValues(index);
                    double[] x = new double[p];
                    while (it.hasNext()) {
                        SparkRowValues v = values.of(it.next());
                        double t = v.number(f.response());
                        double e = v.number(f.event());
                        double s = f.start() == null ? Double.NEGATIVE_INFINITY : v.number(f.start());
                        if (Double.isNaN(t) || Double.isNaN(e) || !(s < t) || !spec.encode(v, x)) {
                            continue;
                        }
                        double eta = 0;
                        double[] xc = new double[p];
                        for (int j = 0; j < p; j++) {
                            xc[j] = x[j] - centre[j];
                            eta += beta[j] * xc[j];
                        }
                        double expEta = Math.exp(eta);
                        TimeAggregate a = local.computeIfAbsent(t, k -> new TimeAggregate(p));
                        a.all.add(xc, expEta);
                        if (f.start() != null) {
                            // At risk over (start, stop]: leaves the risk set at its start time and below.
                            local.computeIfAbsent(s, k -> new TimeAggregate(p)).all.add(xc, -expEta);
                        }
                        if (e != 0) {
                            a.dead.add(xc, expEta);
                            a.d++;
                            a.sumEta += eta;
                            for (int j = 0; j < p; j++) {
                                a.sumX[j] += xc[j];
                            }
                        }
                    }
                    List<Tuple2<Double, TimeAggregate>> out = new ArrayList<>(local.size());
                    local.forEach((t, a) -> out.add(new Tuple2<>(t, a)));
                    return out.iterator();
                }).reduceByKey(TimeAggregate::merge).collect();
                List<Tuple2<Double, TimeAggregate>> sorted = new ArrayList<>(times);
                sorted.sort((a, b) -> Double.compare(b._1(), a._1()));
                CoxRiskSets sets = new CoxRiskSets(p, ties);
                long n = 0;
                long events = 0;
                for (Tuple2<Double, TimeAggregate> t : sorted) {
                    TimeAggregate a = t._2();
                    sets.addTime(a.all, a.dead, a.d, a.sumEta, a.sumX);
                    events += a.d;
                }
                counts[1] = events;
                return sets;
            }, used, 0, ties, confidenceLevel);
            return new CoxResult(fit.withCounts(used, counts[1]).withNotes(spec.notes()), model.rowsRead(), used);
        } finally {
            cached.unpersist();
        }
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
