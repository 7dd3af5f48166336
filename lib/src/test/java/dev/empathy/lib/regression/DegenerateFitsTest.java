package dev.empathy.lib.regression;

import static dev.empathy.lib.regression.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.ModelFrame;
import dev.empathy.lib.formula.Table;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OLS and logit on data that break one assumption each: every fit ends in a result with notes,
 * or in an {@link UnfittableException} when there is nothing to fit. Expected values from R
 * 4.2.2, quoted above each test.
 */
class DegenerateFitsTest {

    private static final double[] X10 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    private static double[] constant(int n, double value) {
        double[] c = new double[n];
        java.util.Arrays.fill(c, value);
        return c;
    }

    /**
     * <pre>
     * x <- c(1, 2, 3, 4, 5, 6, 7, 8); y <- c(0, 0, 0, 0, 1, 1, 1, 1)
     * f <- glm(y ~ x, family = binomial)
     * # Warning message: glm.fit: fitted probabilities numerically 0 or 1 occurred
     * coef(f)       # (Intercept) -206.1221438273141  x 45.8049208488389
     * deviance(f)   # 4.52533122060554e-10
     * </pre>
     * The estimates run to infinity; where they stop depends on the iterations, so the test
     * checks the warning, a slope beyond 10 and a deviance near 0, as R's.
     */
    @Test
    void completeSeparationIsNotedAsRsGlmWarns() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] y = {0, 0, 0, 0, 1, 1, 1, 1};
        LogitFit fit = Logit.fit(Design.of(List.of("x"), List.of(x), true), y, null, OlsOptions.defaults());
        assertTrue(fit.has(FitNote.Problem.SEPARATION), fit.toString());
        assertFalse(fit.usable());
        assertTrue(fit.estimate("x").estimate() > 10, fit.toString());
        assertTrue(fit.deviance() < 1e-6, fit.toString());
        assertTrue(fit.notes().stream().anyMatch(n -> n.message().startsWith(
                "fitted probabilities numerically 0 or 1 occurred")));
        assertTrue(fit.toString().contains("Notes:"));
    }

    /**
     * <pre>
     * x2 <- c(1, 2, 3, 4, 4, 5, 6, 7); y2 <- c(0, 0, 0, 0, 1, 1, 1, 1)
     * glm(y2 ~ x2, family = binomial)
     * # Warning message: glm.fit: fitted probabilities numerically 0 or 1 occurred
     * # coef: (Intercept) -81.0738178757757  x2 20.2684544689439
     * </pre>
     */
    @Test
    void quasiSeparationIsNoted() {
        double[] x = {1, 2, 3, 4, 4, 5, 6, 7};
        double[] y = {0, 0, 0, 0, 1, 1, 1, 1};
        LogitFit fit = Logit.fit(Design.of(List.of("x"), List.of(x), true), y, null, OlsOptions.defaults());
        assertTrue(fit.has(FitNote.Problem.SEPARATION), fit.toString());
        assertTrue(fit.estimate("x").estimate() > 10, fit.toString());
    }

    /**
     * R fits an outcome that is 0 on every row without a word:
     * <pre>
     * glm(rep(0, 8) ~ x, family = binomial)   # (Intercept) -2.45660685235090e+01  x 2.85148044908803e-16
     * </pre>
     * Both estimates are meaningless; the fit says so.
     */
    @Test
    void anOutcomeWithoutVariationIsNoted() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        LogitFit fit = Logit.fit(Design.of(List.of("x"), List.of(x), true), constant(8, 0), null,
                OlsOptions.defaults());
        assertTrue(fit.has(FitNote.Problem.CONSTANT_RESPONSE));
        assertFalse(fit.has(FitNote.Problem.SEPARATION));
        assertFalse(fit.usable());
        assertEquals("the outcome has no variation (0 on all 8 rows): nothing to explain, the estimates run to "
                + "infinity", fit.notes().get(0).message());
        LogitFit ones = Logit.fit(Design.of(List.of("x"), List.of(x), true), constant(8, 1), null,
                OlsOptions.defaults());
        assertTrue(ones.notes().get(0).message().startsWith("the outcome has no variation (1 on all 8 rows)"));
    }

    /**
     * A term that is 3 on every row is aliased with the intercept (R: NA); the rest is the fit
     * without it:
     * <pre>
     * xx <- 1:10; yy <- c(0, 1, 0, 0, 1, 1, 0, 1, 1, 1); z <- rep(3, 10)
     * coef(glm(yy ~ xx + z, family = binomial))   # -1.803340177576762 0.427143129332438 NA
     * f <- glm(yy ~ xx, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
     * coef(f)                # -1.803340177578549  0.427143129332957
     * sqrt(diag(vcov(f)))    #  1.641874800811028  0.299400516561156
     * </pre>
     */
    @Test
    void aLogitTermWithoutVariationIsDroppedAndNamed() {
        double[] y = {0, 1, 0, 0, 1, 1, 0, 1, 1, 1};
        LogitFit fit = Logit.fit(Design.of(List.of("xx", "z"), List.of(X10, constant(10, 3)), true), y, null,
                OlsOptions.defaults());
        assertEquals(List.of("z"), fit.aliased());
        assertTrue(fit.has(FitNote.Problem.CONSTANT_TERM));
        assertEquals("z has no variation (the same value on every row): not estimated", fit.notes().get(0).message());
        assertTrue(fit.usable());
        assertRelative(-1.803340177578549, fit.estimate("Intercept").estimate(), 1e-9, "intercept");
        assertRelative(0.427143129332957, fit.estimate("xx").estimate(), 1e-9, "xx");
        assertRelative(1.641874800811028, fit.estimate("Intercept").stdError(), 1e-9, "se intercept");
        assertRelative(0.299400516561156, fit.estimate("xx").stdError(), 1e-9, "se xx");
        assertTrue(Double.isNaN(fit.estimate("z").estimate()));
    }

    @Test
    void aLogitWithoutRowsOrWithFewerRowsThanCoefficientsIsUnfittable() {
        UnfittableException none = assertThrows(UnfittableException.class, () -> Logit.fit(
                Design.of(List.of("x"), List.of(new double[0]), true), new double[0], null, OlsOptions.defaults()));
        assertEquals("logit: no rows to fit (0 rows with every value the formula uses)", none.getMessage());
        UnfittableException few = assertThrows(UnfittableException.class, () -> Logit.fit(
                Design.of(List.of("a", "b"), List.of(new double[] {1, 2}, new double[] {3, 1}), true),
                new double[] {0, 1}, null, OlsOptions.defaults()));
        assertEquals("logit: 2 rows cannot estimate 3 coefficients (a fit needs at least as many rows as "
                + "coefficients)", few.getMessage());
    }

    @Test
    void aLogitWithOneClusterHasNoStandardErrorsAndANote() {
        double[] y = {0, 1, 0, 0, 1, 1, 0, 1, 1, 1};
        Object[] one = new Object[10];
        java.util.Arrays.fill(one, "a");
        LogitFit fit = Logit.fit(Design.of(List.of("xx"), List.of(X10), true), y, one,
                OlsOptions.defaults().with(CovarianceType.CLUSTER));
        assertTrue(fit.has(FitNote.Problem.SINGLE_CLUSTER));
        assertRelative(0.427143129332957, fit.estimate("xx").estimate(), 1e-9, "xx");
        assertTrue(Double.isNaN(fit.estimate("xx").stdError()));
    }

    /**
     * R's lm on a constant response prints noise as figures:
     * <pre>
     * x <- 1:10
     * s <- summary(lm(rep(5, 10) ~ x))
     * # Warning message: In summary.lm(lm(rep(5, 10) ~ x)) : essentially perfect fit: summary may be unreliable
     * s$r.squared               # 0.516778523489933
     * coef(lm(rep(5, 10) ~ x))  # 5.00000000000000e+00 1.53200005901529e-16
     * </pre>
     * Here the fit says the response has no variation, and R-squared and F are not defined.
     */
    @Test
    void aConstantResponseIsNotedAndItsRSquaredIsNotDefined() {
        OlsFit fit = Ols.fit(Design.of(List.of("x"), List.of(X10), true), constant(10, 5), null,
                OlsOptions.defaults());
        assertTrue(fit.has(FitNote.Problem.CONSTANT_RESPONSE), fit.toString());
        assertFalse(fit.usable());
        assertTrue(Double.isNaN(fit.statistics().rSquared()));
        assertTrue(Double.isNaN(fit.statistics().fStatistic()));
        assertFalse(fit.has(FitNote.Problem.NO_RESIDUAL_VARIANCE));
        assertTrue(Math.abs(fit.estimate("x").estimate()) < 1e-12);
        assertTrue(fit.toString().contains("the response has no variation (the same value on all 10 rows)"));
        // Every response 0: the total sum of squares is exactly 0.
        assertTrue(Ols.fit(Design.of(List.of("x"), List.of(X10), true), constant(10, 0), null,
                OlsOptions.defaults()).has(FitNote.Problem.CONSTANT_RESPONSE));
    }

    /**
     * With fixed effects absorbed, a response of 0.1 on every row demeans to rounding (the mean
     * of three 0.1s is 0.10000000000000002), which is noted as no variation; a response that
     * varies within the levels is not.
     */
    @Test
    void anAbsorbedConstantResponseIsNoted() {
        double[] x = {1, 2, 3, 4, 5, 6};
        int[][] codes = {{0, 0, 0, 1, 1, 1}};
        Design design = Design.of(List.of("x"), List.of(x), false);
        OlsFit fit = AbsorbedFixedEffects.fit(design, constant(6, 0.1), codes, null, OlsOptions.defaults());
        assertTrue(fit.has(FitNote.Problem.CONSTANT_RESPONSE), fit.toString());
        OlsFit varied = AbsorbedFixedEffects.fit(design, new double[] {0.1, 0.3, 0.2, 0.5, 0.4, 0.7}, codes, null,
                OlsOptions.defaults());
        assertFalse(varied.has(FitNote.Problem.CONSTANT_RESPONSE), varied.toString());
    }

    /**
     * Every term constant within the absorbed levels (an agent's contacts all after the same kind
     * of shift): every term is dropped, as R's {@code lm(y ~ x + z + factor(g) - 1)} shows NA for
     * both, and the fit says so instead of failing, with any standard errors.
     */
    @Test
    void anAbsorbedModelWhoseEveryTermIsAliasedIsNoted() {
        int[][] codes = {{0, 0, 1, 1, 1}};
        Design design = Design.of(List.of("x", "z"), List.of(new double[] {1, 1, 0, 0, 0},
                new double[] {2, 2, 5, 5, 5}), false);
        double[] y = {3, 4, 1, 2, 7};
        Object[] cluster = {"a", "a", "b", "b", "b"};
        for (OlsOptions options : List.of(OlsOptions.defaults(), OlsOptions.defaults().with(CovarianceType.CLUSTER))) {
            OlsFit fit = AbsorbedFixedEffects.fit(design, y, codes, cluster, options);
            assertTrue(fit.estimates().isEmpty(), fit.toString());
            assertEquals(List.of("x", "z"), fit.aliased());
            assertTrue(Double.isNaN(fit.estimate("x").estimate()));
            assertTrue(fit.has(FitNote.Problem.CONSTANT_TERM), fit.toString());
        }
    }

    /** A response with a real spread of 1e-9 around 5 is not constant. */
    @Test
    void aSmallButRealSpreadIsNotAConstantResponse() {
        double[] y = new double[10];
        for (int i = 0; i < 10; i++) {
            y[i] = 5 + 1e-9 * ((i * 7) % 10);
        }
        OlsFit fit = Ols.fit(Design.of(List.of("x"), List.of(X10), true), y, null, OlsOptions.defaults());
        assertFalse(fit.has(FitNote.Problem.CONSTANT_RESPONSE), fit.toString());
        assertTrue(fit.usable());
    }

    /**
     * <pre>
     * x <- 1:10; y <- c(2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.0, 19.9); c3 <- rep(3, 10)
     * summary(lm(y ~ x + c3))$coefficients   # c3 NA
     * #             Estimate           Std. Error
     * # (Intercept) 0.0599999999999985 0.1085999051285932
     * # x           1.9909090909090907 0.0175024594887196
     * </pre>
     */
    @Test
    void anOlsTermWithoutVariationIsDroppedAndNamed() {
        double[] y = {2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.0, 19.9};
        OlsFit fit = Ols.fit(Design.of(List.of("x", "c3"), List.of(X10, constant(10, 3)), true), y, null,
                OlsOptions.defaults());
        assertEquals(List.of("c3"), fit.aliased());
        assertEquals(List.of(FitNote.of(FitNote.Problem.CONSTANT_TERM, List.of("c3"),
                "c3 has no variation (the same value on every row): not estimated")), fit.notes());
        assertTrue(fit.usable());
        assertRelative(0.0599999999999985, fit.estimate("Intercept").estimate(), 1e-10, "intercept");
        assertRelative(1.9909090909090907, fit.estimate("x").estimate(), 1e-12, "x");
        assertRelative(0.1085999051285932, fit.estimate("Intercept").stdError(), 1e-10, "se intercept");
        assertRelative(0.0175024594887196, fit.estimate("x").stdError(), 1e-10, "se x");
    }

    /** A term that is a combination of others is noted as R's "not defined because of singularities". */
    @Test
    void aCollinearTermIsNotedAsSingular() {
        double[] y = {2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.0, 19.9};
        double[] twice = new double[10];
        for (int i = 0; i < 10; i++) {
            twice[i] = 2 * X10[i] + 1;
        }
        OlsFit fit = Ols.fit(Design.of(List.of("x", "x_again"), List.of(X10, twice), true), y, null,
                OlsOptions.defaults());
        assertEquals(List.of("x_again"), fit.aliased());
        assertEquals(FitNote.Problem.ALIASED, fit.notes().get(0).problem());
        assertEquals("1 not defined because of singularities (a combination of other terms): x_again",
                fit.notes().get(0).message());
        assertRelative(1.9909090909090907, fit.estimate("x").estimate(), 1e-12, "x");
    }

    /**
     * <pre>
     * summary(lm(1 + 2 * x ~ x))   # Warning: essentially perfect fit: summary may be unreliable
     * #  Estimate (Intercept) 1, x 2
     * </pre>
     */
    @Test
    void aPerfectFitIsNoted() {
        double[] y = new double[10];
        for (int i = 0; i < 10; i++) {
            y[i] = 1 + 2 * X10[i];
        }
        OlsFit fit = Ols.fit(Design.of(List.of("x"), List.of(X10), true), y, null, OlsOptions.defaults());
        assertTrue(fit.has(FitNote.Problem.NO_RESIDUAL_VARIANCE), fit.toString());
        assertTrue(fit.usable());
        assertRelative(1, fit.estimate("Intercept").estimate(), 1e-13, "intercept");
        assertRelative(2, fit.estimate("x").estimate(), 1e-13, "x");
    }

    /**
     * <pre>
     * summary(lm(c(3, 5) ~ c(1, 2)))
     * # ALL 2 residuals are 0: no residual degrees of freedom!
     * # (Intercept) 1 NaN NaN NaN;  c(1, 2) 2 NaN NaN NaN
 * # Multiple R-squared: 1,	Adjusted R-squared: NaN
     * </pre>
     */
    @Test
    void asManyRowsAsCoefficientsFitsExactlyWithoutStandardErrors() {
        OlsFit fit = Ols.fit(Design.of(List.of("x"), List.of(new double[] {1, 2}), true), new double[] {3, 5}, null,
                OlsOptions.defaults());
        assertTrue(fit.has(FitNote.Problem.NO_RESIDUAL_VARIANCE));
        assertEquals("no residual degrees of freedom (2 rows, 2 coefficients): the rows are fitted exactly, "
                + "standard errors are not defined", fit.notes().get(0).message());
        assertRelative(1, fit.estimate("Intercept").estimate(), 1e-14, "intercept");
        assertRelative(2, fit.estimate("x").estimate(), 1e-14, "x");
        assertTrue(Double.isNaN(fit.estimate("x").stdError()));
        assertTrue(Double.isNaN(fit.estimate("x").pValue()));
        assertTrue(Double.isNaN(fit.statistics().adjRSquared()));
    }

    @Test
    void anOlsWithoutRowsOrWithFewerRowsThanCoefficientsIsUnfittable() {
        UnfittableException none = assertThrows(UnfittableException.class, () -> Ols.fit(
                Design.of(List.of("x"), List.of(new double[0]), true), new double[0], null, OlsOptions.defaults()));
        assertEquals("ols: no rows to fit (0 rows with every value the formula uses)", none.getMessage());
        UnfittableException few = assertThrows(UnfittableException.class, () -> Ols.fit(
                Design.of(List.of("a", "b"), List.of(new double[] {1, 2}, new double[] {3, 1}), true),
                new double[] {3, 5}, null, OlsOptions.defaults()));
        assertEquals("ols: 2 rows cannot estimate 3 coefficients (a fit needs at least as many rows as "
                + "coefficients)", few.getMessage());
        // Callers written before the type still catch it as they did "no rows left".
        assertTrue(few instanceof dev.empathy.lib.formula.FormulaException);
    }

    @Test
    void aCategoricalWithASingleLevelIsNoted() {
        Table table = Table.builder().numbers("y", new double[] {1, 2, 4, 3}).numbers("x", new double[] {1, 2, 3, 4})
                .texts("channel", new String[] {"chat", "chat", "chat", "chat"}).build();
        ModelFrame frame = ModelFrame.of(Formula.parse("y ~ x + C(channel)"), table);
        assertEquals(List.of("Intercept", "x"), frame.design().names());
        assertEquals(List.of(FitNote.of(FitNote.Problem.SINGLE_LEVEL, List.of("C(channel)"),
                "C(channel) has a single level (chat) on the rows used: the term C(channel) drops out")),
                frame.spec().notes());
        OlsFit fit = Ols.fit(frame.design(), frame.response(), null, OlsOptions.defaults())
                .withNotes(frame.spec().notes());
        assertTrue(fit.has(FitNote.Problem.SINGLE_LEVEL));
        assertTrue(fit.usable());
        assertTrue(fit.toString().contains("C(channel) has a single level (chat)"));
    }
}
