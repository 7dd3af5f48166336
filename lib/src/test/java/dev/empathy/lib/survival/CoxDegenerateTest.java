package dev.empathy.lib.survival;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.lib.regression.FitNote;
import dev.empathy.lib.regression.UnfittableException;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;
import org.junit.jupiter.api.Test;

/**
 * Cox models on data that break one assumption each, against R 4.2.2 with survival 3.5.3:
 *
 * <pre>
 * library(survival); options(digits = 15)
 * time   <- c(1, 2, 3, 4, 5, 6, 7, 8)
 * status <- c(1, 1, 1, 1, 1, 0, 1, 0)
 * x      <- c(1, 1, 1, 1, 0, 0, 0, 0)        # x = 1 has the first four events: monotone likelihood
 * z      <- c(0.5, 1.2, -0.3, 0.8, 1.1, -0.7, 0.2, 0.4)
 * f <- coxph(Surv(time, status) ~ z + x)
 * # Warning message: In coxph.fit(...): Loglik converged before variable  2 ; coefficient may be infinite.
 * coef(f)                 # z 0.595489278391509  x 21.945934688075400
 * sqrt(diag(vcov(f)))     # z 0.922609169899993  x 21886.2783559183
 * coef(coxph(Surv(time, status) ~ z + x, control = coxph.control(eps = 1e-14, iter.max = 100)))
 * #                         z 0.595489278392382  x NA      (loglik -9.50599061407714 -5.03188928099723)
 * coxph(Surv(time, rep(0, 8)) ~ z)              # z NA; n= 8, number of events= 0; loglik 0 0
 * h <- coxph(Surv(time, status) ~ z + I(2 * z), control = coxph.control(eps = 1e-14, iter.max = 100))
 * coef(h)                 # z 0.90423501223741   z2 NA
 * sqrt(diag(vcov(h)))     # z 0.84382327661913
 * h$loglik                # -9.50599061407714 -8.84401698276308
 * </pre>
 */
class CoxDegenerateTest {

    static final double[] TIME = {1, 2, 3, 4, 5, 6, 7, 8};
    static final double[] STATUS = {1, 1, 1, 1, 1, 0, 1, 0};
    static final double[] X = {1, 1, 1, 1, 0, 0, 0, 0};
    static final double[] Z = {0.5, 1.2, -0.3, 0.8, 1.1, -0.7, 0.2, 0.4};

    private static double[][] rows(double[]... columns) {
        double[][] out = new double[columns[0].length][columns.length];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                out[i][j] = columns[j][i];
            }
        }
        return out;
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        double error = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(error <= tolerance, String.format(Locale.ROOT, "%s: expected %.17g, got %.17g", what, expected,
                actual));
    }

    @Test
    void monotoneLikelihoodIsNotedAsRsCoxphWarns() {
        CoxFit fit = Cox.fit(List.of("z", "x"), rows(Z, X), TIME, STATUS, Ties.EFRON, 0.95);
        assertTrue(fit.has(FitNote.Problem.MONOTONE_LIKELIHOOD), fit.toString());
        FitNote note = fit.notes().stream().filter(n -> n.problem() == FitNote.Problem.MONOTONE_LIKELIHOOD)
                .findFirst().orElseThrow();
        assertEquals(List.of("x"), note.terms());
        assertTrue(note.message().startsWith("Loglik converged before variable x; coefficient may be infinite"));
        assertFalse(fit.usable());
        // x runs away (R stops at 21.9 with its looser tolerance); z converges to R's tight value.
        assertTrue(fit.estimate("x").estimate() > 15, fit.toString());
        assertRelative(0.595489278392382, fit.estimate("z").estimate(), 1e-9, "z");
        assertRelative(-5.03188928099723, fit.logLikelihood(), 1e-9, "loglik");
        assertRelative(-9.50599061407714, fit.nullLogLikelihood(), 1e-12, "null loglik");
        assertTrue(fit.toString().contains("Loglik converged before variable x"));
    }

    @Test
    void noEventsIsANotedFitWithEveryTermNotEstimated() {
        CoxFit fit = Cox.fit(List.of("z"), rows(Z), TIME, new double[8], Ties.EFRON, 0.95);
        assertEquals(0, fit.events());
        assertEquals(List.of("z"), fit.aliased());
        assertTrue(fit.estimates().isEmpty());
        assertTrue(fit.has(FitNote.Problem.NO_EVENTS));
        assertEquals("no events among the 8 rows: nothing to estimate", fit.notes().get(0).message());
        assertFalse(fit.usable());
        assertTrue(Double.isNaN(fit.estimate("z").estimate()));
        assertEquals(0.0, fit.logLikelihood());
    }

    @Test
    void aCombinationOfTermsIsNotEstimatedAndTheRestMatchesR() {
        double[] twice = new double[8];
        for (int i = 0; i < 8; i++) {
            twice[i] = 2 * Z[i];
        }
        CoxFit fit = Cox.fit(List.of("z", "z2"), rows(Z, twice), TIME, STATUS, Ties.EFRON, 0.95);
        assertEquals(List.of("z2"), fit.aliased());
        assertTrue(fit.has(FitNote.Problem.ALIASED), fit.toString());
        assertTrue(fit.usable());
        assertRelative(0.90423501223741, fit.estimate("z").estimate(), 1e-9, "z");
        assertRelative(0.84382327661913, fit.estimate("z").stdError(), 1e-9, "se z");
        assertRelative(-8.84401698276308, fit.logLikelihood(), 1e-12, "loglik");
        assertTrue(fit.toString().contains("(1 not defined because of singularities: z2)"));
    }

    @Test
    void aTermWithoutVariationIsNotEstimated() {
        double[] three = {3, 3, 3, 3, 3, 3, 3, 3};
        CoxFit fit = Cox.fit(List.of("z", "c"), rows(Z, three), TIME, STATUS, Ties.EFRON, 0.95);
        assertEquals(List.of("c"), fit.aliased());
        assertTrue(fit.has(FitNote.Problem.CONSTANT_TERM), fit.toString());
        assertRelative(0.90423501223741, fit.estimate("z").estimate(), 1e-9, "z");
    }

    @Test
    void oneRowIsANotedFitAndNoRowsIsUnfittable() {
        CoxFit one = Cox.fit(List.of("z"), new double[][] {{2}}, new double[] {1}, new double[] {1}, Ties.EFRON, 0.95);
        assertEquals(1, one.n());
        assertEquals(List.of("z"), one.aliased());
        assertFalse(one.notes().isEmpty());
        UnfittableException none = assertThrows(UnfittableException.class, () -> Cox.fit(List.of("z"),
                new double[0][1], new double[0], new double[0], Ties.EFRON, 0.95));
        assertEquals("cox: no rows to fit (0 rows with every value the formula uses)", none.getMessage());
    }

    /**
     * The nightly's failure: an information matrix symmetric only up to rounding. Commons Math's
     * Cholesky with a 1e-12 relative symmetry check refuses one asymmetric by 1e-10; the factor
     * takes its upper triangle, so it solves exactly as the symmetric matrix with that triangle.
     */
    @Test
    void anInformationMatrixAsymmetricByRoundingFactors() {
        double[][] symmetric = {{4, 1, 0.5}, {1, 3, 0.25}, {0.5, 0.25, 2}};
        double[][] asymmetric = {{4, 1, 0.5}, {1 + 1e-10, 3, 0.25}, {0.5, 0.25 - 1e-10, 2}};
        assertThrows(NonSymmetricMatrixException.class,
                () -> new CholeskyDecomposition(new Array2DRowRealMatrix(asymmetric, true), 1e-12, 1e-14));
        double[] b = {1, 2, 3};
        // The solution by Cramer's rule on the symmetric matrix (determinant 21.25), independent of any factor.
        double det = 4 * (3 * 2 - 0.25 * 0.25) - 1 * (1 * 2 - 0.25 * 0.5) + 0.5 * (1 * 0.25 - 3 * 0.5);
        double[] expected = {
            (1 * (3 * 2 - 0.25 * 0.25) - 1 * (2 * 2 - 0.25 * 3) + 0.5 * (2 * 0.25 - 3 * 3)) / det,
            (4 * (2 * 2 - 0.25 * 3) - 1 * (1 * 2 - 0.25 * 0.5) + 0.5 * (1 * 3 - 2 * 0.5)) / det,
            (4 * (3 * 3 - 2 * 0.25) - 1 * (1 * 3 - 2 * 0.5) + 1 * (1 * 0.25 - 3 * 0.5)) / det,
        };
        InformationFactor factor = InformationFactor.of(asymmetric);
        assertFalse(factor.anySingular());
        double[] x = factor.solve(b);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], x[i], 1e-14, "x" + i);
        }
        assertArrayEquals(InformationFactor.of(symmetric).solve(b), x);
    }

    /** A singular direction (a column that is twice another) is left out with a relative threshold. */
    @Test
    void aSingularDirectionIsLeftOut() {
        double[][] a = {{1e-20, 2e-20}, {2e-20, 4e-20 + 1e-36}};
        InformationFactor factor = InformationFactor.of(a);
        assertFalse(factor.singular(0));
        assertTrue(factor.singular(1));
        assertEquals(3e20, factor.solve(new double[] {3, 6})[0], 1e6);
        assertEquals(0.0, factor.solve(new double[] {3, 6})[1]);
        assertTrue(Double.isNaN(factor.inverse()[1][1]));
    }
}
