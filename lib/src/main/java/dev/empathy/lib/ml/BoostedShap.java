package dev.empathy.lib.ml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import smile.base.cart.CART;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.measure.NominalScale;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.vector.BaseVector;
import smile.data.vector.DoubleVector;
import smile.data.vector.IntVector;
import smile.math.MathEx;
import smile.regression.GradientTreeBoost;

/**
 * A model-free check of what predicts an outcome: gradient-boosted regression trees (Smile's
 * {@link GradientTreeBoost}, least-squares loss) on the same features as a linear model, and the
 * share of each feature group in the mean absolute SHAP value (Lundberg, Erion and Lee 2018,
 * path-dependent TreeSHAP).
 *
 * <p><b>Why the SHAP values are summed here.</b> Smile 2.6's {@code TreeSHAP.shap} averages the
 * trees' SHAP values, which is right for a random forest but not for boosting, whose prediction
 * is {@code b + shrinkage × Σ tree(x)}: its values are off by the constant factor
 * {@code shrinkage × trees} (shares would survive, levels would not). This class sums each tree's
 * path-dependent SHAP ({@link CART#shap(Tuple)}) and multiplies by the shrinkage, so the values
 * add up to the prediction minus the training rows' expected prediction (local accuracy; tested).
 *
 * <p>A row's group value is the sum of its features' values (then the absolute value), so a
 * factor's levels or several columns of one group are not counted as independent contributions.
 * Deterministic for a seed: Smile draws the trees' subsamples from {@link MathEx}'s generator,
 * seeded here on the calling thread.
 */
public final class BoostedShap {

    /** The response column's name in the Smile frame. */
    private static final String RESPONSE = "__y";

    /**
     * The boosting settings.
     *
     * @param trees      boosting iterations
     * @param maxDepth   a tree's maximum depth
     * @param maxNodes   a tree's maximum leaves
     * @param nodeSize   the fewest rows in a leaf
     * @param shrinkage  the learning rate
     * @param sampleRate the share of rows each tree is fitted on (stochastic boosting)
     * @param seed       the seed of the subsamples
     * @param shapRows   at most this many held-out rows get SHAP values
     */
    public record Settings(int trees, int maxDepth, int maxNodes, int nodeSize, double shrinkage, double sampleRate,
                           long seed, int shapRows) {
        public Settings {
            if (trees < 1 || maxDepth < 1 || maxNodes < 2 || nodeSize < 1 || shapRows < 1) {
                throw new IllegalArgumentException("boosting: trees, depth, leaves, node size and SHAP rows must be "
                        + "positive (leaves at least 2)");
            }
            if (!(shrinkage > 0 && shrinkage <= 1) || !(sampleRate > 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("boosting: shrinkage and sample rate must be in (0, 1]");
            }
        }

        /**
         * 200 trees of at most depth 3 and 8 leaves, 50 rows a leaf, shrinkage 0.05, 70% subsamples:
         * small trees, since an outcome as noisy as a survey answer is overfitted by deep ones.
         */
        public static Settings defaults(long seed) {
            return new Settings(200, 3, 8, 50, 0.05, 0.7, seed, 2_000);
        }

        /** The defaults with another number of trees. */
        public Settings withTrees(int trees) {
            return new Settings(trees, maxDepth, maxNodes, nodeSize, shrinkage, sampleRate, seed, shapRows);
        }
    }

    /**
     * A feature: a numeric column ({@code levels} null) or a factor whose {@code codes} index
     * {@code levels}; {@code group} is the group its SHAP value is summed into.
     */
    public record Feature(String name, String group, double[] values, List<String> levels) {
        public static Feature numeric(String name, String group, double[] values) {
            return new Feature(name, group, values, null);
        }

        /** A factor: {@code codes[i]} is row i's level index in {@code levels}. */
        public static Feature factor(String name, String group, int[] codes, List<String> levels) {
            double[] values = new double[codes.length];
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] < 0 || codes[i] >= levels.size()) {
                    throw new IllegalArgumentException("feature " + name + ": code " + codes[i] + " outside its "
                            + levels.size() + " levels");
                }
                values[i] = codes[i];
            }
            return new Feature(name, group, values, List.copyOf(levels));
        }

        boolean nominal() {
            return levels != null;
        }
    }

    /** One group's mean absolute SHAP value (outcome units) and its share of their sum. */
    public record Part(String group, double meanAbsShap, double share) {
    }

    /**
     * What the check found: the groups in their first-seen order, the rows it was fitted on and
     * judged on, and the held-out R² (1 − SSE / SST about the held-out mean), which says whether the
     * trees predict anything at all.
     */
    public record Result(List<Part> parts, int trainRows, int holdoutRows, int shapRows, double holdoutR2,
                         Settings settings) {
        public Result {
            parts = List.copyOf(parts);
        }
    }

    private BoostedShap() {
    }

    /**
     * Fits the trees on the rows not in {@code holdout} and explains up to {@code shapRows} of the
     * held-out rows, in row order.
     *
     * @throws IllegalArgumentException when a column's length differs from {@code y}'s, or fewer than
     *                                  2 × nodeSize rows are left to fit or none to hold out
     */
    public static Result fit(List<Feature> features, double[] y, boolean[] holdout, Settings settings) {
        int n = y.length;
        if (holdout.length != n) {
            throw new IllegalArgumentException("holdout has " + holdout.length + " rows, y has " + n);
        }
        for (Feature f : features) {
            if (f.values().length != n) {
                throw new IllegalArgumentException("feature " + f.name() + " has " + f.values().length + " rows, y has "
                        + n);
            }
        }
        int[] train = indices(holdout, false);
        int[] test = indices(holdout, true);
        if (train.length < 2 * settings.nodeSize() || test.length == 0) {
            throw new IllegalArgumentException("boosting needs at least " + 2 * settings.nodeSize()
                    + " rows to fit and one to hold out, got " + train.length + " and " + test.length);
        }
        GradientTreeBoost model = fit(features, y, train, settings);

        double mean = 0;
        for (int i : test) {
            mean += y[i];
        }
        mean /= test.length;
        double sse = 0;
        double sst = 0;
        DataFrame held = frame(features, y, test);
        for (int r = 0; r < test.length; r++) {
            double e = y[test[r]] - model.predict(held.get(r));
            sse += e * e;
            sst += (y[test[r]] - mean) * (y[test[r]] - mean);
        }

        Map<String, Double> sums = new LinkedHashMap<>();
        for (Feature f : features) {
            sums.put(f.group(), 0.0);
        }
        int explained = Math.min(test.length, settings.shapRows());
        for (int r = 0; r < explained; r++) {
            double[] phi = shap(model, held.get(r), settings.shrinkage());
            Map<String, Double> row = new LinkedHashMap<>();
            for (int j = 0; j < features.size(); j++) {
                row.merge(features.get(j).group(), phi[j], Double::sum);
            }
            row.forEach((group, v) -> sums.merge(group, Math.abs(v), Double::sum));
        }
        double total = sums.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            double meanAbs = e.getValue() / explained;
            parts.add(new Part(e.getKey(), meanAbs, total > 0 ? e.getValue() / total : Double.NaN));
        }
        return new Result(parts, train.length, test.length, explained, sst > 0 ? 1 - sse / sst : Double.NaN,
                settings);
    }

    /** The boosted trees on the given rows (package-private for the tests). */
    static GradientTreeBoost fit(List<Feature> features, double[] y, int[] rows, Settings settings) {
        Properties p = new Properties();
        // Smile's default loss is least absolute deviation (a median), not least squares.
        p.setProperty("smile.gbt.loss", "LeastSquares");
        p.setProperty("smile.gbt.trees", Integer.toString(settings.trees()));
        p.setProperty("smile.gbt.max.depth", Integer.toString(settings.maxDepth()));
        p.setProperty("smile.gbt.max.nodes", Integer.toString(settings.maxNodes()));
        p.setProperty("smile.gbt.node.size", Integer.toString(settings.nodeSize()));
        p.setProperty("smile.gbt.shrinkage", Double.toString(settings.shrinkage()));
        p.setProperty("smile.gbt.sample.rate", Double.toString(settings.sampleRate()));
        MathEx.setSeed(settings.seed());
        return GradientTreeBoost.fit(Formula.lhs(RESPONSE), frame(features, y, rows), p);
    }

    /**
     * The SHAP value of each feature for one row of a frame built by {@link #frame}: the sum over
     * the trees of their path-dependent SHAP values, times the shrinkage.
     */
    static double[] shap(GradientTreeBoost model, Tuple row, double shrinkage) {
        Tuple x = model.formula().x(row);
        double[] phi = null;
        for (CART tree : model.trees()) {
            double[] t = tree.shap(x);
            if (phi == null) {
                phi = new double[t.length];
            }
            for (int j = 0; j < t.length; j++) {
                phi[j] += shrinkage * t[j];
            }
        }
        return phi;
    }

    /** The Smile frame of the given rows: the features in order, then the response. */
    static DataFrame frame(List<Feature> features, double[] y, int[] rows) {
        List<BaseVector<?, ?, ?>> columns = new ArrayList<>();
        for (Feature f : features) {
            if (f.nominal()) {
                int[] codes = new int[rows.length];
                for (int r = 0; r < rows.length; r++) {
                    codes[r] = (int) f.values()[rows[r]];
                }
                columns.add(IntVector.of(new StructField(f.name(), DataTypes.IntegerType,
                        new NominalScale(f.levels().toArray(String[]::new))), codes));
            } else {
                columns.add(DoubleVector.of(f.name(), pick(f.values(), rows)));
            }
        }
        columns.add(DoubleVector.of(RESPONSE, pick(y, rows)));
        return DataFrame.of(columns.toArray(BaseVector[]::new));
    }

    private static double[] pick(double[] values, int[] rows) {
        double[] out = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = values[rows[r]];
        }
        return out;
    }

    private static int[] indices(boolean[] mask, boolean value) {
        int count = 0;
        for (boolean b : mask) {
            if (b == value) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == value) {
                out[k++] = i;
            }
        }
        return out;
    }
}
