package dev.empathy.jobs.fit;

import static dev.empathy.jobs.spark.ColumnNames.quote;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;

import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.regression.AbsorbedFixedEffects;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.GradientSum;
import dev.empathy.lib.regression.LeastSquaresSolution;
import dev.empathy.lib.regression.Ols;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.QrAccumulator;
import dev.empathy.lib.regression.RobustMeat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * OLS with fixed effects absorbed over a Spark dataset, by the alternating projections of
 * {@code AbsorbedFixedEffects} without materialising demeaned data: each factor keeps the sum
 * of the group means removed so far ({@code alpha_f[level]}, a vector per level), and a row's
 * demeaned values are its design row minus the alphas of its levels. One sweep per factor is
 * one pass (a reduce by level); one factor needs a single sweep. Then the QR pass and, for
 * robust errors, the meat pass run on the demeaned rows. Degrees of freedom as fixest (see
 * {@code AbsorbedFixedEffects}).
 */
public final class SparkAbsorb {

    /** How refusals name the model. */
    private static final String MODEL = "ols with absorbed fixed effects";

    private static final int MAX_SWEEPS = 500;
    private static final double TOLERANCE = 1e-13;

    private SparkAbsorb() {
    }

    public static SparkOls.Result fit(ModelData model, List<String> absorb, OlsOptions options) {
        ModelSpec spec = model.spec();
        if (spec.formula().intercept()) {
            throw new dev.empathy.lib.formula.FormulaException(
                    "absorbed fixed effects replace the intercept: write the formula with - 1");
        }
        // The laid-out rows are read by every sweep, the QR pass and the meat pass: persisted once.
        Dataset<Row> laidOut = model.data().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return fit(model, laidOut.javaRDD(), absorb, options);
        } finally {
            laidOut.unpersist();
        }
    }

    private static SparkOls.Result fit(ModelData model, JavaRDD<Row> rows, List<String> absorb, OlsOptions options) {
        ModelSpec spec = model.spec();
        Map<String, Integer> index = model.index();
        int w = spec.width();
        int f = absorb.size();
        List<Map<Object, double[]>> alpha = new ArrayList<>();
        for (int i = 0; i < f; i++) {
            alpha.add(new HashMap<>());
        }
        int sweeps = 0;
        boolean moving = true;
        while (moving && sweeps < MAX_SWEEPS) {
            moving = false;
            sweeps++;
            for (int factor = 0; factor < f; factor++) {
                List<Map<Object, double[]>> current = copy(alpha);
                int target = factor;
                Map<Object, double[]> sums = Deterministic.reduceByKey(rows.mapPartitionsToPair((Iterator<Row> it) -> {
                    Map<Object, double[]> local = new HashMap<>();
                    SparkRowValues values = new SparkRowValues(index);
                    double[] x = new double[w];
                    while (it.hasNext()) {
                        SparkRowValues v = values.of(it.next());
                        double[] d = demeaned(spec, v, x, absorb, current);
                        if (d == null) {
                            continue;
                        }
                        double[] s = local.computeIfAbsent(v.raw(absorb.get(target)), k -> new double[w + 2]);
                        for (int j = 0; j <= w; j++) {
                            s[j] += d[j];
                        }
                        s[w + 1] += 1;
                    }
                    List<Tuple2<Object, double[]>> out = new ArrayList<>();
                    local.forEach((k, s) -> out.add(new Tuple2<>(k, s)));
                    return out.iterator();
                }), ScoreSums::add, rows.getNumPartitions()).collectAsMap();
                double largest = 0;
                Map<Object, double[]> a = alpha.get(factor);
                for (Map.Entry<Object, double[]> e : sums.entrySet()) {
                    double[] s = e.getValue();
                    double[] mean = new double[w + 1];
                    for (int j = 0; j <= w; j++) {
                        mean[j] = s[j] / s[w + 1];
                        largest = Math.max(largest, Math.abs(mean[j]));
                    }
                    a.merge(e.getKey(), mean, ScoreSums::add);
                }
                if (f > 1 && largest > TOLERANCE * Math.max(1.0, scale(alpha))) {
                    moving = true;
                }
            }
        }
        List<Map<Object, double[]>> fixed = copy(alpha);
        // With the factor, the response's sum of squares before demeaning: the scale of "no variation".
        List<Object[]> parts = rows.mapPartitions((Iterator<Row> it) -> {
            QrAccumulator acc = new QrAccumulator(new double[w]);
            double sumSquares = 0;
            SparkRowValues values = new SparkRowValues(index);
            double[] x = new double[w];
            while (it.hasNext()) {
                SparkRowValues v = values.of(it.next());
                double[] d = demeaned(spec, v, x, absorb, fixed);
                if (d != null) {
                    acc.add(Arrays.copyOf(d, w), d[w]);
                    double y = spec.response(v);
                    sumSquares += y * y;
                }
            }
            return List.<Object[]>of(new Object[] {acc, sumSquares}).iterator();
        }).collect();
        QrAccumulator qr = new QrAccumulator(new double[w]);
        double responseSumSquares = 0;
        for (Object[] p : parts) {
            qr.merge((QrAccumulator) p[0]);
            responseSumSquares += (Double) p[1];
        }
        if (qr.rows() == 0) {
            throw model.cannotFit(MODEL, "no usable rows", model.rowsRead(), 0);
        }
        LeastSquaresSolution solution = LeastSquaresSolution.solve(qr, false, options.collinearityTolerance());
        solution.absorbedFrom(responseSumSquares);

        long absorbed = absorbedParameters(model, absorb, options);
        model.requireResidualDf(MODEL, model.rowsRead(), qr.rows(), w, solution.kept().length, absorbed);
        RobustMeat meat = null;
        if (options.covariance() != CovarianceType.CLASSICAL) {
            String cluster = model.cluster();
            int k = solution.kept().length;
            ScoreSums.Meat sums = ScoreSums.meat(rows.mapPartitionsToPair((Iterator<Row> it) -> {
                Map<Object, double[]> byKey = new HashMap<>();
                SparkRowValues values = new SparkRowValues(index);
                double[] x = new double[w];
                long row = 0;
                while (it.hasNext()) {
                    SparkRowValues v = values.of(it.next());
                    double[] d = demeaned(spec, v, x, absorb, fixed);
                    // HC: every row is its own group; the key is unique across partitions.
                    Object key = cluster == null ? org.apache.spark.TaskContext.getPartitionId() + "/" + row++
                            : v.raw(cluster);
                    if (d == null || key == null) {
                        continue;
                    }
                    double[] full = Arrays.copyOf(d, w);
                    double r = solution.residual(full, d[w]);
                    double[] xs = solution.shiftedRow(full);
                    double[] u = byKey.computeIfAbsent(key, c -> new double[k]);
                    for (int j = 0; j < k; j++) {
                        u[j] += r * xs[j];
                    }
                }
                List<Tuple2<Object, double[]>> out = new ArrayList<>();
                byKey.forEach((c, u) -> out.add(new Tuple2<>(c, u)));
                return out.iterator();
            }), k);
            meat = RobustMeat.of(options.covariance(), sums.matrix(), cluster == null ? 0 : sums.clusters());
        }
        OlsFit fit = Ols.finish(spec.names(), solution, meat, options, absorbed).withNotes(spec.notes());
        return new SparkOls.Result(fit, spec, model.rowsRead(), qr.rows(), qr, SparkOls.Route.ABSORBED);
    }

    /** The row's design values and response minus the absorbed means of its levels; null when incomplete. */
    private static double[] demeaned(ModelSpec spec, SparkRowValues v, double[] x, List<String> absorb,
                                     List<Map<Object, double[]>> alpha) {
        double y = spec.response(v);
        if (Double.isNaN(y) || !spec.encode(v, x)) {
            return null;
        }
        double[] d = Arrays.copyOf(x, x.length + 1);
        d[x.length] = y;
        for (int f = 0; f < absorb.size(); f++) {
            Object level = v.raw(absorb.get(f));
            if (level == null) {
                return null;
            }
            double[] a = alpha.get(f).get(level);
            if (a != null) {
                for (int j = 0; j < d.length; j++) {
                    d[j] -= a[j];
                }
            }
        }
        return d;
    }

    /** Levels absorbed less the redundant ones; with cluster errors, factors nested in the cluster do not count. */
    private static long absorbedParameters(ModelData model, List<String> absorb, OlsOptions options) {
        // Distinct counts do not depend on the order of the rows: no layout needed.
        var data = model.source();
        long[] levels = new long[absorb.size()];
        for (int f = 0; f < absorb.size(); f++) {
            levels[f] = data.select(col(quote(absorb.get(f)))).distinct().count();
        }
        long total = Arrays.stream(levels).sum();
        if (absorb.size() >= 2) {
            List<Row> pairs = data.select(col(quote(absorb.get(0))), col(quote(absorb.get(1)))).distinct().collectAsList();
            Map<Object, Integer> a = new HashMap<>();
            Map<Object, Integer> b = new HashMap<>();
            int[] ca = new int[pairs.size()];
            int[] cb = new int[pairs.size()];
            for (int i = 0; i < pairs.size(); i++) {
                ca[i] = a.computeIfAbsent(pairs.get(i).get(0), k -> a.size());
                cb[i] = b.computeIfAbsent(pairs.get(i).get(1), k -> b.size());
            }
            total -= AbsorbedFixedEffects.components(ca, cb, a.size(), b.size());
            total -= absorb.size() - 2;
        }
        if (options.covariance() == CovarianceType.CLUSTER && model.cluster() != null) {
            for (int f = 0; f < absorb.size(); f++) {
                Row r = data.groupBy(col(quote(absorb.get(f)))).agg(countDistinct(col(quote(model.cluster()))).as("c"))
                        .agg(max("c")).first();
                if (!r.isNullAt(0) && r.getLong(0) <= 1) {
                    total -= levels[f] - (f == 0 ? 0 : 1);
                }
            }
        }
        return Math.max(0, total);
    }

    private static double scale(List<Map<Object, double[]>> alpha) {
        double s = 0;
        for (Map<Object, double[]> m : alpha) {
            for (double[] v : m.values()) {
                for (double x : v) {
                    s = Math.max(s, Math.abs(x));
                }
            }
        }
        return s;
    }

    private static List<Map<Object, double[]>> copy(List<Map<Object, double[]>> alpha) {
        List<Map<Object, double[]>> out = new ArrayList<>();
        alpha.forEach(m -> out.add(new HashMap<>(m)));
        return out;
    }
}
