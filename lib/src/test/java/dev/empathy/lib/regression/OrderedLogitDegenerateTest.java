package dev.empathy.lib.regression;

import static dev.empathy.lib.regression.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ordered logit on data that leave it little to fit: every fit ends in a result with notes,
 * or in an {@link UnfittableException} when there is nothing to fit. Also two identities: with
 * two levels it is the logit ({@code zeta = -intercept}), and a pass over parts merged equals
 * the pass over the whole.
 */
class OrderedLogitDegenerateTest {

    private static final double[] X10 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    private static final double[] Y10 = {1, 2, 1, 3, 2, 2, 3, 1, 3, 3};

    private static OrderedLogitFit fit(double[] x, double[] y) {
        return OrderedLogit.fit(Design.of(List.of("x"), List.of(x), true), y, null, OlsOptions.defaults());
    }

    /**
     * <pre>
     * x <- c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10); y <- c(1, 2, 1, 3, 2, 2, 3, 1, 3, 3)
     * g <- polr(factor(y) ~ x, Hess = TRUE, control = list(reltol = 1e-12))
     * coef(g); g$zeta   # x 0.438810740508216; 1|2 1.20134023672059, 2|3 2.85144879891408
     * sqrt(diag(vcov(g)))   # 0.261217536279487 1.383197726788893 1.620683836720162
     * logLik(g)   # -9.16999793247467 (df=3)
     * </pre>
     * On ten rows polr's BFGS stops with a score of 1.5e-5 (its estimates 4e-6 from the maximum).
     * Four Newton steps from them with the score and Hessian written out in R (the functions of
     * {@code r/housing-polr.R}) reach a score of 1.5e-15:
     * <pre>
     * theta   # x 0.438809119144923; 1|2 1.201331667630319, 2|3 2.851439452174384
     * sqrt(diag(solve(-H)))   # 0.26121725142214 1.38319667302834 1.62068316466615
     * sum(log(pr))   # -9.1699979324536152
     * </pre>
     */
    @Test
    void aSmallFitMatchesPolrAndTheMaximumByHand() {
        OrderedLogitFit f = fit(X10, Y10);
        assertTrue(f.usable(), f::toString);
        assertRelative(0.438810740508216, f.estimate("x").estimate(), 1e-5, "x, polr");
        assertRelative(0.438809119144923, f.estimate("x").estimate(), 1e-12, "x");
        assertRelative(1.201331667630319, f.estimate("1|2").estimate(), 1e-12, "1|2");
        assertRelative(2.851439452174384, f.estimate("2|3").estimate(), 1e-12, "2|3");
        assertRelative(0.26121725142214, f.estimate("x").stdError(), 1e-12, "se x");
        assertRelative(1.38319667302834, f.estimate("1|2").stdError(), 1e-12, "se 1|2");
        assertRelative(1.62068316466615, f.estimate("2|3").stdError(), 1e-12, "se 2|3");
        assertRelative(-9.1699979324536152, f.logLikelihood(), 1e-14, "log-likelihood");
        assertRelative(-9.16999793247467, f.logLikelihood(), 1e-11, "log-likelihood, polr");
    }

    /**
     * {@code datasets::infert} with {@code case} as a two-level ordered response: the likelihood
     * is the logit's with {@code zeta = -intercept}, so the coefficients and standard errors are
     * {@code glm}'s (quoted in {@code LogitAgainstRTest}). R's polr refuses two levels ("response
     * must have 3 or more levels"); here they are allowed.
     */
    @Test
    void twoLevelsAreTheLogit() throws java.io.IOException {
        LogitAgainstRTest.read();
        var frame = LogitAgainstRTest.frame;
        LogitFit logit = Logit.fit(frame.design(), frame.response(), null, OlsOptions.defaults());
        OrderedLogitFit ordered = OrderedLogit.fit(frame.design(), frame.response(), null, OlsOptions.defaults());
        assertEquals(List.of("0|1"), ordered.thresholds().stream().map(Estimate::term).toList());
        assertRelative(-logit.estimate("Intercept").estimate(), ordered.estimate("0|1").estimate(), 1e-10, "zeta");
        assertRelative(logit.estimate("Intercept").stdError(), ordered.estimate("0|1").stdError(), 1e-9, "se zeta");
        for (Estimate e : ordered.coefficients()) {
            assertRelative(logit.estimate(e.term()).estimate(), e.estimate(), 1e-10, e.term());
            assertRelative(logit.estimate(e.term()).stdError(), e.stdError(), 1e-9, "se " + e.term());
        }
        assertRelative(logit.logLikelihood(), ordered.logLikelihood(), 1e-13, "log-likelihood");
    }

    @Test
    void oneLevelIsNotedNotThrown() {
        OrderedLogitFit f = fit(new double[] {1, 2, 3, 4}, new double[] {3, 3, 3, 3});
        assertTrue(f.has(FitNote.Problem.CONSTANT_RESPONSE), f::toString);
        assertFalse(f.usable());
        assertEquals(List.of(), f.estimates());
        assertEquals(List.of("x"), f.aliased());
        assertTrue(Double.isNaN(f.estimate("x").estimate()));
        assertEquals(List.of("3"), f.levels());
        assertTrue(f.toString().contains("the outcome has no variation (3 on all 4 rows)"), f::toString);
    }

    @Test
    void noRowsOrTooFewRowsOrAContinuousResponseAreUnfittable() {
        UnfittableException none = assertThrows(UnfittableException.class, () -> fit(new double[0], new double[0]));
        assertEquals("ologit: no rows to fit (0 rows with every value the formula uses)", none.getMessage());
        // x, z and 1|3: three parameters from two rows.
        UnfittableException few = assertThrows(UnfittableException.class, () -> OrderedLogit.fit(
                Design.of(List.of("x", "z"), List.of(new double[] {1, 2}, new double[] {3, 5}), true),
                new double[] {1, 3}, null, OlsOptions.defaults()));
        assertEquals("ologit: 2 rows cannot estimate 3 coefficients (a fit needs at least as many rows as "
                + "coefficients)", few.getMessage());
        double[] x = new double[30];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            x[i] = i;
            y[i] = i * 0.5;
        }
        UnfittableException continuous = assertThrows(UnfittableException.class,
                () -> OrderedLogit.fit(Design.of(List.of("x"), List.of(x), true), y, null, OlsOptions.defaults(),
                        "csat"));
        assertEquals("ologit: the response csat has more than 20 distinct values; an ordered response needs 2 to 20 "
                + "levels (integer-coded, for example 1 to 5)", continuous.getMessage());
    }

    /** R's polr stops here: "attempt to find suitable starting values failed". */
    @Test
    void completeSeparationIsNoted() {
        OrderedLogitFit f = fit(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new double[] {1, 1, 1, 2, 2, 2, 3, 3, 3});
        assertTrue(f.has(FitNote.Problem.SEPARATION), f::toString);
        assertFalse(f.usable());
        assertTrue(f.estimate("x").estimate() > 10, f::toString);
        assertTrue(f.logLikelihood() > -1e-6, f::toString);
    }

    @Test
    void aliasedAndConstantTermsAreDroppedAndNoted() {
        double[] x = X10;
        double[] twice = Arrays.stream(x).map(v -> 2 * v).toArray();
        double[] seven = new double[10];
        Arrays.fill(seven, 7);
        double[] y = Y10;
        OrderedLogitFit f = OrderedLogit.fit(Design.of(List.of("x", "twice", "seven"), List.of(x, twice, seven), true),
                y, null, OlsOptions.defaults());
        assertTrue(f.usable(), f::toString);
        assertTrue(f.has(FitNote.Problem.ALIASED) && f.has(FitNote.Problem.CONSTANT_TERM), f::toString);
        assertEquals(List.of("twice", "seven"), f.aliased());
        assertRelative(0.438809119144923, f.estimate("x").estimate(), 1e-12, "x as without the others");
        assertTrue(Double.isNaN(f.estimate("twice").stdError()));
    }

    @Test
    void aSingleClusterIsNoted() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] y = {1, 2, 1, 3, 2, 2, 3, 1, 3, 3};
        Object[] one = new Object[10];
        Arrays.fill(one, "a");
        OrderedLogitFit f = OrderedLogit.fit(Design.of(List.of("x"), List.of(x), true), y, one,
                OlsOptions.defaults().with(CovarianceType.CLUSTER));
        assertTrue(f.has(FitNote.Problem.SINGLE_CLUSTER), f::toString);
        assertTrue(f.usable());
        assertTrue(Double.isNaN(f.estimate("x").stdError()));
        assertRelative(0.438809119144923, f.estimate("x").estimate(), 1e-12, "x");
    }

    @Test
    void theThresholdsNeedTheIntercept() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrderedLogit.fit(
                Design.of(List.of("x"), List.of(new double[] {1, 2, 3}), false), new double[] {1, 2, 3}, null,
                OlsOptions.defaults()));
        assertFalse(e instanceof UnfittableException);
    }

    @Test
    void passesMergeAsOneAndRowOrderDoesNotMatter() throws java.io.IOException {
        OrderedLogitAgainstRTest.read();
        var frame = OrderedLogitAgainstRTest.frame;
        Design d = frame.design();
        double[] y = frame.response();
        int[] kept = {1, 2, 3, 4, 5, 6};
        double[] theta = {-1.2, -0.7, 0.2, -0.5, 0.5, -0.3, -1.5, -0.4};
        double[] levels = {1, 2, 3};
        double[] row = new double[d.width()];
        OrderedLogitPass whole = new OrderedLogitPass(theta, kept, levels);
        OrderedLogitPass a = new OrderedLogitPass(theta, kept, levels);
        OrderedLogitPass b = new OrderedLogitPass(theta, kept, levels);
        for (int i = 0; i < y.length; i++) {
            whole.add(d.row(i, row), y[i]);
            (i % 3 == 0 ? a : b).add(d.row(i, row), y[i]);
        }
        a.merge(b);
        assertEquals(whole.rows(), a.rows());
        assertRelative(whole.logLikelihood(), a.logLikelihood(), 1e-13, "log-likelihood");
        double[][] iw = whole.information();
        double[][] ia = a.information();
        for (int i = 0; i < theta.length; i++) {
            assertRelative(whole.gradient()[i], a.gradient()[i], 1e-11, "gradient " + i);
            for (int j = 0; j < theta.length; j++) {
                assertRelative(iw[i][j], ia[i][j], 1e-12, "information " + i + "," + j);
            }
        }
        // Reversed rows: the same fit.
        int n = y.length;
        double[][] columns = new double[d.width()][n];
        double[] yr = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d.width(); j++) {
                columns[j][i] = d.columns()[j][n - 1 - i];
            }
            yr[i] = y[n - 1 - i];
        }
        OrderedLogitFit forward = OrderedLogit.fit(d, y, null, OlsOptions.defaults());
        OrderedLogitFit backward = OrderedLogit.fit(new Design(d.names(), columns, true), yr, null,
                OlsOptions.defaults());
        List<Estimate> f = forward.estimates();
        List<Estimate> r = new ArrayList<>(backward.estimates());
        for (int j = 0; j < f.size(); j++) {
            assertRelative(f.get(j).estimate(), r.get(j).estimate(), 1e-10, f.get(j).term());
            assertRelative(f.get(j).stdError(), r.get(j).stdError(), 1e-10, "se " + f.get(j).term());
        }
    }
}
