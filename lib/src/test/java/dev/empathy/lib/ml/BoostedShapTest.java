package dev.empathy.lib.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import smile.base.cart.CART;
import smile.base.cart.InternalNode;
import smile.base.cart.Node;
import smile.base.cart.RegressionNode;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.regression.GradientTreeBoost;

class BoostedShapTest {

    /** y = 2 x1 + (level b of f3: +1) + noise; x2 is noise only. */
    static List<BoostedShap.Feature> features(int n, double[] y, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        int[] f3 = new int[n];
        for (int i = 0; i < n; i++) {
            x1[i] = r.nextDouble();
            x2[i] = r.nextDouble();
            f3[i] = r.nextInt(3);
            y[i] = 2 * x1[i] + (f3[i] == 1 ? 1 : 0) + 0.1 * (r.nextDouble() - 0.5);
        }
        return List.of(BoostedShap.Feature.numeric("x1", "one", x1), BoostedShap.Feature.numeric("x2", "two", x2),
                BoostedShap.Feature.factor("f3", "three", f3, List.of("a", "b", "c")));
    }

    /**
     * The path-dependent TreeSHAP values by their definition, computed the slow way: for every
     * subset S of the features, v(S) = the tree's expected output when the features in S are fixed
     * at the row's values and the others are integrated out by the training rows' cover (each
     * internal node's children weighted by their sizes); phi_j = sum over S not holding j of
     * |S|! (p - |S| - 1)! / p! (v(S + j) - v(S)). Boosting adds the trees times the shrinkage.
     */
    static double[] bruteForce(GradientTreeBoost model, Tuple row, double shrinkage, int p) {
        Tuple x = model.formula().x(row);
        double[] phi = new double[p];
        for (CART tree : model.trees()) {
            for (int j = 0; j < p; j++) {
                for (int s = 0; s < (1 << p); s++) {
                    if ((s & (1 << j)) != 0) {
                        continue;
                    }
                    int size = Integer.bitCount(s);
                    double weight = factorial(size) * factorial(p - size - 1) / factorial(p);
                    phi[j] += shrinkage * weight * (value(tree.root(), x, s | (1 << j)) - value(tree.root(), x, s));
                }
            }
        }
        return phi;
    }

    static double value(Node node, Tuple x, int known) {
        if (node instanceof RegressionNode leaf) {
            return leaf.output();
        }
        InternalNode split = (InternalNode) node;
        if ((known & (1 << split.feature())) != 0) {
            return value(split.branch(x) ? split.trueChild() : split.falseChild(), x, known);
        }
        double t = split.trueChild().size();
        double f = split.falseChild().size();
        return (t * value(split.trueChild(), x, known) + f * value(split.falseChild(), x, known)) / (t + f);
    }

    static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    @Test
    void shapValuesAreTheShapleyValuesOfTheTreesByTheirDefinition() {
        int n = 400;
        double[] y = new double[n];
        List<BoostedShap.Feature> features = features(n, y, 3);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        BoostedShap.Settings settings = new BoostedShap.Settings(5, 3, 6, 10, 0.3, 0.8, 11, 10);
        GradientTreeBoost model = BoostedShap.fit(features, y, rows, settings);
        DataFrame frame = BoostedShap.frame(features, y, rows);
        for (int r = 0; r < 20; r++) {
            assertArrayEquals(bruteForce(model, frame.get(r), 0.3, 3), BoostedShap.shap(model, frame.get(r), 0.3),
                    1e-12, "row " + r);
        }
    }

    @Test
    void shapValuesAddUpToThePredictionLessTheExpectedPrediction() {
        // Local accuracy: with no features known a tree's value is its cover-weighted mean output, so
        // sum_j phi_j = f(x) - E[f] where E[f] = b + shrinkage * sum of the trees' v(empty set).
        int n = 400;
        double[] y = new double[n];
        List<BoostedShap.Feature> features = features(n, y, 5);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        GradientTreeBoost model = BoostedShap.fit(features, y, rows, new BoostedShap.Settings(30, 4, 12, 5, 0.1,
                0.7, 2, 10));
        DataFrame frame = BoostedShap.frame(features, y, rows);
        Tuple x0 = model.formula().x(frame.get(0));
        double expected = model.predict(frame.get(0));
        for (CART tree : model.trees()) {
            expected -= 0.1 * (value(tree.root(), x0, 0b111) - value(tree.root(), x0, 0));
        }
        // expected is now b + shrinkage * sum v(empty): the base the values start from.
        for (int r = 0; r < 10; r++) {
            double sum = 0;
            for (double v : BoostedShap.shap(model, frame.get(r), 0.1)) {
                sum += v;
            }
            assertEquals(model.predict(frame.get(r)) - expected, sum, 1e-9, "row " + r);
        }
    }

    @Test
    void theFeatureThatDrivesTheOutcomeTakesTheLargestShare() {
        // x1 ~ U(0, 1) with slope 2: mean |2 (x1 - 1/2)| = 1/2. The factor's level b adds 1 to a third of
        // the rows: mean |1{b} - 1/3| = 2 * (1/3)(2/3) = 4/9. x2 does nothing.
        int n = 6_000;
        double[] y = new double[n];
        List<BoostedShap.Feature> features = features(n, y, 7);
        boolean[] holdout = new boolean[n];
        for (int i = 0; i < n; i++) {
            holdout[i] = i % 5 == 0;
        }
        BoostedShap.Result result = BoostedShap.fit(features, y, holdout, BoostedShap.Settings.defaults(1));
        assertEquals(List.of("one", "two", "three"), result.parts().stream().map(BoostedShap.Part::group).toList());
        assertEquals(0.5, result.parts().get(0).meanAbsShap(), 0.05);
        assertEquals(4.0 / 9, result.parts().get(2).meanAbsShap(), 0.05);
        assertTrue(result.parts().get(1).share() < 0.03, "x2 is noise: " + result.parts().get(1));
        assertEquals(1.0, result.parts().stream().mapToDouble(BoostedShap.Part::share).sum(), 1e-12);
        // Var(y) = 4/12 + 2/9 + 0.01/12; the noise's share is 0.0008/0.557: a good fit explains ~99%.
        assertTrue(result.holdoutR2() > 0.97, "R2 " + result.holdoutR2());
        assertEquals(4_800, result.trainRows());
        assertEquals(1_200, result.holdoutRows());
    }

    @Test
    void theSameSeedGivesTheSameResult() {
        int n = 2_000;
        double[] y = new double[n];
        List<BoostedShap.Feature> features = features(n, y, 9);
        boolean[] holdout = new boolean[n];
        for (int i = 0; i < n; i += 4) {
            holdout[i] = true;
        }
        BoostedShap.Settings s = new BoostedShap.Settings(40, 4, 16, 10, 0.1, 0.5, 42, 200);
        assertEquals(BoostedShap.fit(features, y, holdout, s), BoostedShap.fit(features, y, holdout, s));
    }

    @Test
    void tooFewRowsAndBadCodesAreRefusedInWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoostedShap.fit(
                List.of(BoostedShap.Feature.numeric("x", "x", new double[] {1, 2, 3})), new double[] {1, 2, 3},
                new boolean[] {false, false, true}, BoostedShap.Settings.defaults(1)));
        assertTrue(e.getMessage().contains("at least 100 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BoostedShap.Feature.factor("f", "f", new int[] {0, 3}, List.of("a", "b")));
        assertTrue(e.getMessage().contains("code 3 outside its 2 levels"), e.getMessage());
    }

    /**
     * The trees fit means, not medians: y = 1 or 5 with P(5) = 0.1 + 0.8 x, x ~ U(0, 1). Least
     * squares predicts about 1 + 4 P(5), for a held-out R-squared of Var(4 P) / Var(y) =
     * (16 x 0.64 / 12) / (16 x 1/4) = 0.213; a median fit (Smile's default loss) predicts 1 or 5 and
     * is wrong on E[min(P, 1 - P)] = 0.3 of the rows, R-squared 1 - 16 x 0.3 / 4 = -0.2.
     */
    @Test
    void theTreesFitTheMeanNotTheMedian() {
        int n = 20_000;
        SplittableRandom r = new SplittableRandom(13);
        double[] x = new double[n];
        double[] y = new double[n];
        boolean[] holdout = new boolean[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble();
            y[i] = r.nextDouble() < 0.1 + 0.8 * x[i] ? 5 : 1;
            holdout[i] = i % 4 == 0;
        }
        BoostedShap.Result result = BoostedShap.fit(List.of(BoostedShap.Feature.numeric("x", "x", x)), y, holdout,
                BoostedShap.Settings.defaults(3));
        assertEquals(0.213, result.holdoutR2(), 0.03);
    }
}
