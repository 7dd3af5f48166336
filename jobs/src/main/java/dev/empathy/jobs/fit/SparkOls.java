package dev.empathy.jobs.fit;

import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.formula.CellCoding;
import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.regression.CellMerge;
import dev.empathy.lib.regression.CellSums;
import dev.empathy.lib.regression.ClusterGrams;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Design;
import dev.empathy.lib.regression.GradientSum;
import dev.empathy.lib.regression.LeastSquaresSolution;
import dev.empathy.lib.regression.Ols;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.QrAccumulator;
import dev.empathy.lib.regression.RobustMeat;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Ordinary least squares over a Spark dataset with the engine of {@link Ols}, in one pass that
 * also finds the categoricals' levels: each partition accumulates its rows by cell
 * ({@link CellSums}: an updating QR over the row's monomials per combination of levels, and for
 * cluster errors the per-cluster sums), only those small pieces reach the driver, which names
 * the levels, moves the pieces into the design ({@link CellMerge}) and solves. HC1 errors take
 * one more pass, which also refines the coefficients ({@link GradientSum}); so do cluster errors
 * when a partition meets too many clusters to keep their sums.
 *
 * <p>When a partition meets too many cells (many categoricals with many levels), the fit falls
 * back to the design-space route: a levels pass, then one QR pass over the full design rows.
 *
 * <p>Small data can be solved on the driver instead ({@link #fit(ModelData, OlsOptions, long)},
 * what {@code empathy fit} does): after the by-cell pass has counted the rows, when the rows
 * used times the design's columns are at most a limit, one more pass collects the used rows'
 * design and lib's {@link Ols} solves it in memory, with its two steps of iterative refinement
 * (the route {@code NistStrdTest} holds to R's digits). Larger data stay on the by-cell route,
 * read once: a refinement pass there would cost as much as the fit's own pass.
 */
public final class SparkOls {

    /** How refusals name the model. */
    private static final String MODEL = "ols";

    /** Rows read to pick the centring shift. */
    private static final int SHIFT_SAMPLE = 2000;

    /** Largest per-partition memory for cells and per-cluster sums in the one-pass route. */
    private static final long ONE_PASS_BYTES = 64L * 1024 * 1024;

    /**
     * The limit {@code empathy fit} gives {@link #fit(ModelData, OlsOptions, long)}: rows used
     * times design columns, 2^22 values (32 MiB as doubles on the driver), e.g. 140,000 rows of
     * 30 columns.
     */
    public static final long DRIVER_VALUES = 1L << 22;

    /** Where a fit was solved. */
    public enum Route {
        /** Collected to the driver and solved in memory by {@link Ols}, with refinement. */
        DRIVER,
        /** Over Spark by cells, the rows read once ({@link CellSums}, {@link CellMerge}). */
        CELLS,
        /** Over Spark by full design rows (a partition met too many cells). */
        DESIGN_ROWS,
        /** Over Spark with fixed effects absorbed ({@link SparkAbsorb}). */
        ABSORBED
    }

    private SparkOls() {
    }

    /**
     * A fit with its row accounting, and the design's factor (centred on the column means with an
     * intercept), from which any sub-model's fit follows without another pass.
     */
    public record Result(OlsFit fit, ModelSpec spec, long rowsRead, long rowsUsed, QrAccumulator factor,
                         Route route) {

        /** The mean of each design column over the rows used (the factor's first row gives it exactly). */
        public double[] columnMeans() {
            double[][] r = factor.r();
            double[] shift = factor.shift();
            double[] means = new double[shift.length];
            for (int j = 0; j < means.length; j++) {
                means[j] = shift[j] + r[0][j] / r[0][0];
            }
            return means;
        }
    }

    /** The fit over Spark, whatever the size of the data (the analysis jobs' route). */
    public static Result fit(ModelData model, OlsOptions options) {
        return fit(model, options, true);
    }

    /**
     * As {@link #fit(ModelData, OlsOptions)}, but solved on the driver by {@link Ols} when the
     * rows used times the design's columns are at most {@code driverValues} (see the class
     * comment; {@link #DRIVER_VALUES} is the command's limit, 0 never).
     */
    public static Result fit(ModelData model, OlsOptions options, long driverValues) {
        return fit(model, options, true, true, driverValues);
    }

    /** {@code allowOnePass} false forces the second pass for cluster errors (used by tests to cover both). */
    static Result fit(ModelData model, OlsOptions options, boolean allowOnePass) {
        return fit(model, options, allowOnePass, true);
    }

    /** {@code byCells} false takes the design-space route (used by tests to cover both). */
    static Result fit(ModelData model, OlsOptions options, boolean allowOnePass, boolean byCells) {
        return fit(model, options, allowOnePass, byCells, 0);
    }

    private static Result fit(ModelData model, OlsOptions options, boolean allowOnePass, boolean byCells,
                              long driverValues) {
        if (!byCells) {
            return fitByDesign(model, options, allowOnePass);
        }
        CellCoding coding = new CellCoding(model.formula());
        boolean clusters = allowOnePass && options.covariance() == CovarianceType.CLUSTER && model.cluster() != null;
        CellPass pass = cellPass(model, coding, clusters);
        if (pass == null) {
            return fitByDesign(model, options, allowOnePass);
        }
        if (pass.rowsUsed() == 0) {
            throw model.cannotFit(MODEL, "no usable rows", pass.rowsRead(), 0);
        }
        ModelSpec spec = model.specWith(CellMerge.levels(coding, pass.parts()));
        CellMerge merge = new CellMerge(pass.parts(), spec);
        QrAccumulator qr = merge.factor();
        LeastSquaresSolution solution = LeastSquaresSolution.solve(qr, spec.formula().intercept(),
                options.collinearityTolerance());
        model.requireResidualDf(MODEL, pass.rowsRead(), qr.rows(), spec.width(), solution.kept().length, 0);
        if (qr.rows() * spec.width() <= driverValues) {
            return onDriver(model, spec, options, pass.rowsRead());
        }
        RobustMeat meat = null;
        if (clusters && merge.clustersKept()) {
            meat = merge.clusterMeat(solution);
        } else if (options.covariance() != CovarianceType.CLASSICAL) {
            meat = secondPass(model, spec, solution, options.covariance());
        }
        OlsFit fit = Ols.finish(spec.names(), solution, meat, options).withNotes(spec.notes());
        return new Result(fit, spec, pass.rowsRead(), qr.rows(), qr, Route.CELLS);
    }

    /**
     * The used rows collected to the driver (their design rows, responses and cluster keys),
     * sorted by value and solved in memory by {@link Ols}.
     */
    private static Result onDriver(ModelData model, ModelSpec spec, OlsOptions options, long rowsRead) {
        Map<String, Integer> index = model.index();
        String cluster = model.cluster();
        int w = spec.width();
        List<Object[]> parts = model.data().javaRDD().mapPartitions((Iterator<Row> it) -> {
            SparkRowValues values = new SparkRowValues(index);
            List<double[]> rows = new ArrayList<>();
            List<Object> keys = new ArrayList<>();
            double[] scratch = new double[w];
            while (it.hasNext()) {
                SparkRowValues v = values.of(it.next());
                double[] row = new double[w + 1];
                double y = spec.response(v);
                // As the Spark routes: with cluster errors a row without a cluster is not used.
                Object key = cluster == null ? null : v.raw(cluster);
                if (!Double.isNaN(y) && (cluster == null || key != null) && spec.encode(v, row, scratch)) {
                    row[w] = y;
                    rows.add(row);
                    keys.add(key);
                }
            }
            return List.<Object[]>of(new Object[] {rows.toArray(double[][]::new), keys.toArray()}).iterator();
        }).collect();
        List<double[]> all = new ArrayList<>();
        List<Object> allKeys = new ArrayList<>();
        for (Object[] p : parts) {
            all.addAll(java.util.Arrays.asList((double[][]) p[0]));
            allKeys.addAll(java.util.Arrays.asList((Object[]) p[1]));
        }
        int n = all.size();
        double[] x = new double[n * w];
        double[] response = new double[n];
        for (int r = 0; r < n; r++) {
            double[] row = all.get(r);
            System.arraycopy(row, 0, x, r * w, w);
            response[r] = row[w];
        }
        Object[] unsortedKeys = allKeys.toArray();
        // Sorted by value (design, response, cluster key), as the likelihood fits' rows.
        Integer[] order = Deterministic.valueOrder(n, x, w, response, unsortedKeys);
        double[][] columns = new double[w][n];
        double[] y = new double[n];
        Object[] keys = new Object[n];
        for (int i = 0; i < n; i++) {
            int r = order[i];
            for (int j = 0; j < w; j++) {
                columns[j][i] = x[r * w + j];
            }
            y[i] = response[r];
            keys[i] = unsortedKeys[r];
        }
        boolean clustered = options.covariance() == CovarianceType.CLUSTER;
        Ols.Factored solved = Ols.fitWithFactor(new Design(spec.names(), columns, spec.formula().intercept()), y,
                clustered ? keys : null, options);
        return new Result(solved.fit(), spec, rowsRead, n, solved.factor(), Route.DRIVER);
    }

    /** The partitions' cell sums and the rows read; null when a partition met too many cells. */
    private record CellPass(List<CellSums> parts, long rowsRead, long rowsUsed) {
    }

    private static CellPass cellPass(ModelData model, CellCoding coding, boolean clusters) {
        Map<String, Integer> index = model.index();
        StructType schema = model.data().schema();
        List<String> logged = model.loggedColumns();
        String cluster = model.cluster();
        List<Object[]> parts = model.data().queryExecution().toRdd().toJavaRDD().mapPartitions(
                (Iterator<InternalRow> it) -> {
            CellRows reader = new CellRows(coding, index, schema, logged, cluster, clusters, ONE_PASS_BYTES);
            while (it.hasNext() && reader.accept(it.next())) {
                // each row is read by accept
            }
            Object[] out = reader.finish();
            return List.<Object[]>of(out).iterator();
        }).collect();
        List<CellSums> sums = new ArrayList<>();
        long read = 0;
        long used = 0;
        long[] nonPositive = new long[logged.size()];
        boolean tooMany = false;
        for (Object[] p : parts) {
            CellSums s = (CellSums) p[0];
            tooMany |= s.tooManyCells();
            sums.add(s);
            read += (Long) p[1];
            used += s.rows();
            long[] n = (long[]) p[2];
            for (int l = 0; l < n.length; l++) {
                nonPositive[l] += n[l];
            }
        }
        if (tooMany) {
            return null;
        }
        model.checkLogs(nonPositive);
        return new CellPass(sums, read, used);
    }

    /** The design-space route: levels pass, then one QR pass over full design rows (and cluster Grams). */
    private static Result fitByDesign(ModelData model, OlsOptions options, boolean allowOnePass) {
        ModelSpec spec = model.spec();
        Map<String, Integer> index = model.index();
        double[] shift = shift(model, index);
        int w = spec.width();
        // Cluster errors in the same pass while the per-cluster Gram matrices stay small; a
        // partition that meets too many clusters drops them and the second pass runs instead.
        boolean tryOnePass = allowOnePass && options.covariance() == CovarianceType.CLUSTER && model.cluster() != null;
        int maxClusters = (int) Math.min(Integer.MAX_VALUE, ONE_PASS_BYTES / (8.0 * (w * (w + 1) / 2 + w)));
        String cluster = model.cluster();
        double yShift = spec.formula().intercept() ? shift[shift.length - 1] : 0;
        double[] xShift = Arrays.copyOf(shift, w);
        StructType schema = model.data().schema();
        List<Object[]> parts = model.data().queryExecution().toRdd().toJavaRDD().mapPartitions(
                (Iterator<InternalRow> it) -> {
            QrAccumulator acc = new QrAccumulator(xShift);
            ClusterGrams grams = tryOnePass ? new ClusterGrams(w, yShift) : null;
            InternalRowValues values = new InternalRowValues(index, schema);
            double[] x = new double[w];
            double[] xs = new double[w];
            double[] scratch = new double[w];
            while (it.hasNext()) {
                InternalRowValues v = values.of(it.next());
                double y = spec.response(v);
                // With cluster errors a row without a cluster is not used at all.
                Object key = cluster == null ? null : v.raw(cluster);
                if (!Double.isNaN(y) && (cluster == null || key != null) && spec.encode(v, x, scratch)) {
                    if (grams != null) {
                        for (int j = 0; j < w; j++) {
                            xs[j] = x[j] - xShift[j];
                        }
                        grams.add(xs, y, key);
                        if (grams.clusters() > maxClusters) {
                            grams = null;
                        }
                    }
                    acc.add(x, y);
                }
            }
            return List.<Object[]>of(new Object[] {acc, grams}).iterator();
        }).collect();
        QrAccumulator qr = new QrAccumulator(xShift);
        ClusterGrams grams = tryOnePass ? new ClusterGrams(w, yShift) : null;
        for (Object[] p : parts) {
            qr.merge((QrAccumulator) p[0]);
            if (grams != null && p[1] == null) {
                grams = null;
            } else if (grams != null) {
                grams.merge((ClusterGrams) p[1]);
            }
        }
        if (grams != null && grams.clusters() > maxClusters) {
            grams = null;
        }
        if (qr.rows() == 0) {
            throw model.cannotFit(MODEL, "no usable rows", model.rowsRead(), 0);
        }
        LeastSquaresSolution solution = LeastSquaresSolution.solve(qr, spec.formula().intercept(),
                options.collinearityTolerance());
        model.requireResidualDf(MODEL, model.rowsRead(), qr.rows(), spec.width(), solution.kept().length, 0);
        RobustMeat meat = null;
        if (grams != null) {
            meat = RobustMeat.of(CovarianceType.CLUSTER,
                    grams.meat(solution.kept(), solution.coefficients(), spec.formula().intercept()), grams.clusters());
        } else if (options.covariance() != CovarianceType.CLASSICAL) {
            meat = secondPass(model, spec, solution, options.covariance());
        }
        OlsFit fit = Ols.finish(spec.names(), solution, meat, options).withNotes(spec.notes());
        return new Result(fit, spec, model.rowsRead(), qr.rows(), qr, Route.DESIGN_ROWS);
    }

    /**
     * Column means of the design over the first rows read, and the response's mean last: any
     * shift near the mean keeps the digits.
     */
    private static double[] shift(ModelData model, Map<String, Integer> index) {
        ModelSpec spec = model.spec();
        double[] sum = new double[spec.width() + 1];
        int n = 0;
        SparkRowValues values = new SparkRowValues(index);
        double[] x = new double[spec.width()];
        for (Row r : model.data().limit(SHIFT_SAMPLE).collectAsList()) {
            SparkRowValues v = values.of(r);
            double y = spec.response(v);
            if (!Double.isNaN(y) && spec.encode(v, x)) {
                for (int j = 0; j < x.length; j++) {
                    sum[j] += x[j];
                }
                sum[x.length] += y;
                n++;
            }
        }
        // Design column means (the intercept unshifted), then the response mean.
        double[] shift = new double[spec.width() + 1];
        if (spec.formula().intercept() && n > 0) {
            for (int j = 1; j < shift.length; j++) {
                shift[j] = sum[j] / n;
            }
        }
        return shift;
    }

    private record SecondPass(GradientSum gradient, double[][] meat, long clusters) implements Serializable {
    }

    /** Marks the entry of a partition's gradient among the cluster keys. */
    private static final String GRADIENT_KEY = "\u0000gradient";

    /** The robust meat from a pass over the residuals; the same pass refines the coefficients. */
    private static RobustMeat secondPass(ModelData model, ModelSpec spec, LeastSquaresSolution solution,
                                         CovarianceType type) {
        SecondPass pass = secondPass(model.data().javaRDD(), model, model.index(), spec, solution, type);
        double[] g = pass.gradient.total();
        solution.refine(Arrays.copyOf(g, g.length - 1), g[g.length - 1]);
        return RobustMeat.of(type, pass.meat, pass.clusters);
    }

    private static SecondPass secondPass(JavaRDD<Row> rows, ModelData model, Map<String, Integer> index,
                                         ModelSpec spec, LeastSquaresSolution solution, CovarianceType type) {
        int k = solution.kept().length;
        String cluster = model.cluster();
        if (type == CovarianceType.HC1) {
            List<Object[]> parts = rows.mapPartitions((Iterator<Row> it) -> {
                GradientSum g = new GradientSum(k);
                RobustMeat m = new RobustMeat(CovarianceType.HC1, k);
                SparkRowValues values = new SparkRowValues(index);
                double[] x = new double[spec.width()];
                double[] scratch = new double[spec.width()];
                while (it.hasNext()) {
                    SparkRowValues v = values.of(it.next());
                    double y = spec.response(v);
                    if (!Double.isNaN(y) && spec.encode(v, x, scratch)) {
                        double[] xs = solution.shiftedRow(x);
                        double r = solution.residual(x, y);
                        g.add(xs, r);
                        m.add(xs, r, null);
                    }
                }
                return List.<Object[]>of(new Object[] {g, m}).iterator();
            }).collect();
            GradientSum g = new GradientSum(k);
            RobustMeat m = new RobustMeat(CovarianceType.HC1, k);
            for (Object[] p : parts) {
                g.merge((GradientSum) p[0]);
                m.merge((RobustMeat) p[1]);
            }
            return new SecondPass(g, m.matrix(), 0);
        }
        if (cluster == null) {
            throw new IllegalArgumentException("cluster standard errors need a cluster column");
        }
        // Per partition: score sums by cluster, plus the gradient under a key no cluster has.
        JavaPairRDD<Object, double[]> scores = rows.mapPartitionsToPair((Iterator<Row> it) -> {
            Map<Object, double[]> byCluster = new HashMap<>();
            GradientSum g = new GradientSum(k);
            SparkRowValues values = new SparkRowValues(index);
            double[] x = new double[spec.width()];
            double[] scratch = new double[spec.width()];
            while (it.hasNext()) {
                SparkRowValues v = values.of(it.next());
                double y = spec.response(v);
                Object key = v.raw(cluster);
                if (!Double.isNaN(y) && key != null && spec.encode(v, x, scratch)) {
                    double[] xs = solution.shiftedRow(x);
                    double r = solution.residual(x, y);
                    g.add(xs, r);
                    double[] u = byCluster.computeIfAbsent(key, c -> new double[k]);
                    for (int j = 0; j < k; j++) {
                        u[j] += r * xs[j];
                    }
                }
            }
            List<Tuple2<Object, double[]>> out = new ArrayList<>(byCluster.size() + 1);
            byCluster.forEach((c, u) -> out.add(new Tuple2<>(c, u)));
            double[] total = g.total();
            out.add(new Tuple2<>(GRADIENT_KEY, total));
            return out.iterator();
        });
        List<double[]> parts = Deterministic.reduceByKey(scores, ScoreSums::add,
                rows.getNumPartitions()).mapPartitions((Iterator<Tuple2<Object, double[]>> it) -> {
            // k*k meat, then k+1 gradient, then the cluster count.
            double[] out = new double[k * k + k + 2];
            while (it.hasNext()) {
                Tuple2<Object, double[]> e = it.next();
                double[] u = e._2();
                if (GRADIENT_KEY.equals(e._1())) {
                    for (int j = 0; j <= k; j++) {
                        out[k * k + j] += u[j];
                    }
                    continue;
                }
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        out[i * k + j] += u[i] * u[j];
                    }
                }
                out[k * k + k + 1] += 1;
            }
            return List.of(out).iterator();
        }).collect();
        double[][] meat = new double[k][k];
        double[] gradient = new double[k + 1];
        long clusters = 0;
        for (double[] p : parts) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    meat[i][j] += p[i * k + j];
                }
            }
            for (int j = 0; j <= k; j++) {
                gradient[j] += p[k * k + j];
            }
            clusters += (long) p[k * k + k + 1];
        }
        GradientSum g = new GradientSum(k);
        // The partition sums were compensated; their total enters as one observation-free term.
        g.addTotals(gradient);
        return new SecondPass(g, meat, clusters);
    }
}
