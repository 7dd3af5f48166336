package dev.empathy.jobs.csat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import dev.empathy.jobs.run.Ordered;
import dev.empathy.lib.ml.BoostedShap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * csat-effect's model-free check: does empathy's share of what predicts CSAT hold without the
 * linear model's assumptions (additivity, straight lines)? Gradient-boosted trees
 * ({@link BoostedShap}) on the main model's features, fitted on a fixed sample of the modelled
 * contacts, and the mean absolute SHAP value of each feature group on held-out contacts:
 * {@code empathy} ({@code empathy_10}), {@code speed} ({@code resolution_hours}) and each control.
 *
 * <p>The sample is the {@code boost-rows} contacts with the smallest hash of their row (ties by the
 * row's values), so it is the same whatever the partitioning; every fifth of them (in that order)
 * is held out. The trees are fitted on the driver (Smile), seeded.
 */
final class Boosted {

    /** The seed of the trees' subsamples. */
    static final long SEED = 20250101L;

    /** A contact in every this many of the sample is held out (and explained). */
    static final int HOLDOUT_EVERY = 5;

    /**
     * The check's result, or why there is none: {@code note} in words, with {@code result} null
     * when nothing was fitted, or the fit when its held-out R-squared was not above 0 (trees that
     * predict no better than the mean: their importances are not reported). {@code sampled} is the
     * number of contacts read.
     */
    record Check(BoostedShap.Result result, long sampled, String note) {

        /** Whether the importances are reported: fitted, and better than the mean on held-out contacts. */
        boolean done() {
            return note == null;
        }

        String describe() {
            return done() ? String.format(Locale.ROOT, "%d trees on %,d contacts, %,d explained, held-out R2 %.3f",
                    result.settings().trees(), result.trainRows(), result.shapRows(), result.holdoutR2()) : note;
        }

        /** What the manifest records. */
        Map<String, Object> details() {
            if (!done()) {
                return result == null ? Ordered.map("note", note) : Ordered.map("note", note, "rows_fitted",
                        result.trainRows(), "rows_held_out", result.holdoutRows(), "holdout_r2", result.holdoutR2());
            }
            return Ordered.map("trees", result.settings().trees(), "rows_fitted", result.trainRows(),
                    "rows_held_out", result.holdoutRows(), "rows_explained", result.shapRows(),
                    "holdout_r2", result.holdoutR2(), "seed", result.settings().seed());
        }
    }

    private Boosted() {
    }

    static Check compute(Dataset<Row> rows, CsatEffect.Options options) {
        if (options.boostTrees() == 0) {
            return new Check(null, 0, "the model-free check was turned off (boost-trees = 0)");
        }
        List<String> controls = options.controls();
        List<Column> columns = new ArrayList<>(List.of(col("csat"), col(CsatEffect.EMPATHY), col(CsatEffect.HOURS)));
        for (String c : controls) {
            columns.add(col(c).cast("string"));
        }
        Dataset<Row> picked = rows.select(columns.toArray(Column[]::new));
        List<Column> order = new ArrayList<>();
        for (String c : picked.columns()) {
            order.add(col(c));
        }
        order.add(0, xxhash64(order.toArray(Column[]::new)));
        List<Row> sample = picked.orderBy(order.toArray(Column[]::new)).limit(options.boostRows()).collectAsList();
        int n = sample.size();

        double[] y = new double[n];
        double[] empathy = new double[n];
        double[] hours = new double[n];
        boolean[] holdout = new boolean[n];
        for (int i = 0; i < n; i++) {
            Row r = sample.get(i);
            y[i] = ((Number) r.get(0)).doubleValue();
            empathy[i] = r.getDouble(1);
            hours[i] = r.getDouble(2);
            holdout[i] = i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1;
        }
        List<BoostedShap.Feature> features = new ArrayList<>(List.of(
                BoostedShap.Feature.numeric(CsatEffect.EMPATHY, "empathy", empathy),
                BoostedShap.Feature.numeric(CsatEffect.HOURS, "speed", hours)));
        for (int c = 0; c < controls.size(); c++) {
            features.add(factor(controls.get(c), sample, 3 + c));
        }
        BoostedShap.Settings settings = BoostedShap.Settings.defaults(SEED).withTrees(options.boostTrees());
        try {
            BoostedShap.Result result = BoostedShap.fit(features, y, holdout, settings);
            return new Check(result, n, result.holdoutR2() > 0 ? null : String.format(Locale.ROOT,
                    "the trees predicted held-out answers no better than their mean (R-squared %.3f)",
                    result.holdoutR2()));
        } catch (IllegalArgumentException e) {
            return new Check(null, n, String.format(Locale.ROOT, "the model-free check was not run: %,d contacts are "
                    + "too few (%s)", n, e.getMessage()));
        }
    }

    /** A control as a factor: its values (null as {@code unknown}) coded by their sorted order. */
    private static BoostedShap.Feature factor(String name, List<Row> sample, int column) {
        TreeMap<String, Integer> levels = new TreeMap<>();
        for (Row r : sample) {
            levels.put(r.isNullAt(column) ? "unknown" : r.getString(column), 0);
        }
        int k = 0;
        for (Map.Entry<String, Integer> e : levels.entrySet()) {
            e.setValue(k++);
        }
        int[] codes = new int[sample.size()];
        for (int i = 0; i < codes.length; i++) {
            Row r = sample.get(i);
            codes[i] = levels.get(r.isNullAt(column) ? "unknown" : r.getString(column));
        }
        return BoostedShap.Feature.factor(name, name, codes, List.copyOf(levels.keySet()));
    }
}
