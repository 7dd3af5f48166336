package dev.empathy.lib.regression;

import static dev.empathy.lib.regression.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The logit's Newton steps from Gram passes ({@link LogitGramPass}, between a first and a last QR
 * pass) against the all-QR loop, the reference route ({@code Logit.iterate(..., qrSteps = true)},
 * every step a QR pass as before the Gram passes): the same estimates, standard errors, deviance,
 * notes and iteration count on awkward designs, and two QR passes for a fit however many steps it
 * takes. The two routes differ only in rounding, so well-posed fits agree to about 1e-10; where
 * a design's conditioning limits both routes, the test says by how much.
 */
class LogitNewtonStepsTest {

    /** Counts the passes of each kind. */
    static final class Counting implements Logit.Passes {
        private final Logit.Passes passes;
        int exact;
        int cheap;

        Counting(Logit.Passes passes) {
            this.passes = passes;
        }

        @Override
        public LogitPass exact(double[] beta) {
            exact++;
            return passes.exact(beta);
        }

        @Override
        public LogitGramPass cheap(double[] beta, int[] kept) {
            cheap++;
            return passes.cheap(beta, kept);
        }
    }

    /** The two routes' fits and passes. */
    record Compared(LogitFit fit, LogitFit reference, Counting passes, Counting referencePasses) {
    }

    private static Compared compare(Design design, double[] y, double coefficients, double errors) {
        return compare(design, y, coefficients, errors, 0);
    }

    /**
     * @param coefficients relative tolerance of the estimates
     * @param errors       relative tolerance of the standard errors
     * @param zero         estimates of the reference below this in size (zero but for rounding) are
     *                     compared absolutely, to this
     */
    private static Compared compare(Design design, double[] y, double coefficients, double errors, double zero) {
        OlsOptions options = OlsOptions.defaults();
        Counting passes = new Counting(Logit.passes(design, y));
        Counting referencePasses = new Counting(Logit.passes(design, y));
        LogitFit fit = Logit.finish(design.names(), Logit.iterate(passes, design.width(), design.intercept(),
                options.collinearityTolerance()), null, options);
        LogitFit reference = Logit.finish(design.names(), Logit.iterate(referencePasses, design.width(),
                design.intercept(), options.collinearityTolerance(), true), null, options);
        // The reference is the all-QR loop: a pass before the first step and one after each.
        assertEquals(0, referencePasses.cheap);
        assertEquals(reference.iterations() + 1, referencePasses.exact);
        assertEquals(reference.iterations(), fit.iterations(), "iterations");
        assertEquals(reference.converged(), fit.converged(), "converged");
        assertEquals(reference.aliased(), fit.aliased(), "aliased");
        assertEquals(reference.notes(), fit.notes(), "notes");
        assertEquals(reference.estimates().size(), fit.estimates().size());
        for (int j = 0; j < fit.estimates().size(); j++) {
            Estimate a = fit.estimates().get(j);
            Estimate b = reference.estimates().get(j);
            assertEquals(b.term(), a.term());
            if (Math.abs(b.estimate()) < zero) {
                assertEquals(b.estimate(), a.estimate(), zero, "estimate " + a.term());
            } else {
                assertRelative(b.estimate(), a.estimate(), coefficients, "estimate " + a.term());
            }
            assertRelative(b.stdError(), a.stdError(), errors, "std. error " + a.term());
        }
        assertRelative(reference.deviance(), fit.deviance(), 1e-12, "deviance");
        return new Compared(fit, reference, passes, referencePasses);
    }

    private static double[] normal(Random random, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * random.nextGaussian();
        }
        return x;
    }

    /** Treatment dummies of a factor with {@code levels} levels (the first the reference), drawn uniformly. */
    private static List<double[]> dummies(Random random, int n, int levels) {
        List<double[]> columns = new ArrayList<>();
        for (int l = 1; l < levels; l++) {
            columns.add(new double[n]);
        }
        for (int i = 0; i < n; i++) {
            int level = random.nextInt(levels);
            if (level > 0) {
                columns.get(level - 1)[i] = 1;
            }
        }
        return columns;
    }

    private static double[] outcome(Random random, List<double[]> columns, double intercept, double... slopes) {
        int n = columns.get(0).length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double eta = intercept;
            for (int j = 0; j < slopes.length; j++) {
                eta += slopes[j] * columns.get(j)[i];
            }
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
        }
        return y;
    }

    private static List<String> names(int k) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            names.add("x" + j);
        }
        return names;
    }

    /** Two numeric terms and a six-level factor (mostly zeros): the Gram passes take every step. */
    @Test
    void anOrdinaryFitTakesTwoQrPassesAndAgreesWithTheQrLoop() {
        Random random = new Random(11);
        int n = 4000;
        List<double[]> columns = new ArrayList<>(List.of(normal(random, n, 1), normal(random, n, 2)));
        columns.addAll(dummies(random, n, 6));
        double[] y = outcome(random, columns, -0.5, 0.8, -0.3, 0.4, -0.6, 1.0, 0.2, -1.1);
        Compared c = compare(Design.of(names(columns.size()), columns, true), y, 1e-10, 1e-10);
        assertTrue(c.fit().converged());
        assertTrue(c.fit().iterations() >= 4, c.fit().toString());
        assertEquals(2, c.passes().exact, "QR passes");
        assertEquals(c.fit().iterations(), c.passes().cheap, "Gram passes: one after each step");
    }

    /** Columns a million times apart in scale (1e3, 1, 1e-3): the Cholesky pivots are relative to their diagonal. */
    @Test
    void columnsScaledFarApartAgree() {
        Random random = new Random(12);
        int n = 3000;
        List<double[]> columns = new ArrayList<>(List.of(normal(random, n, 1e3), normal(random, n, 1),
                normal(random, n, 1e-3)));
        columns.addAll(dummies(random, n, 4));
        double[] y = outcome(random, columns, 0.3, 1e-3, 0.5, 700, 0.4, -0.2, 0.6);
        Compared c = compare(Design.of(names(columns.size()), columns, true), y, 1e-10, 1e-10);
        assertTrue(c.fit().converged());
        assertEquals(2, c.passes().exact, "QR passes");
    }

    /**
     * Two terms that differ by 1e-4 of their size: {@code X'WX} has a condition number near 1e9,
     * yet the steps in delta form converge to the QR loop's estimates. Along the difference of
     * the two terms the likelihood is about 1e8 times flatter than along the rest, so the
     * rounding of the score sums moves both routes' estimates of those two by about 2e-8 from
     * step to step (measured: further QR or Newton steps from either route's estimates); they
     * agree to 1e-7 there and to 1e-10 on the other terms.
     */
    @Test
    void nearlyCollinearTermsAgree() {
        Random random = new Random(13);
        int n = 3000;
        double[] x = normal(random, n, 1);
        double[] near = x.clone();
        for (int i = 0; i < n; i++) {
            near[i] += 1e-4 * random.nextGaussian();
        }
        List<double[]> columns = new ArrayList<>(List.of(x, near, normal(random, n, 1)));
        columns.addAll(dummies(random, n, 3));
        double[] y = outcome(random, columns, -0.2, 0.7, 0.3, -0.5, 0.8, -0.4);
        Compared c = compare(Design.of(names(columns.size()), columns, true), y, 1e-7, 1e-10);
        for (String term : List.of("x2", "x3", "x4")) {
            assertRelative(c.reference().estimate(term).estimate(), c.fit().estimate(term).estimate(), 1e-10, term);
        }
        assertTrue(c.fit().converged());
        assertEquals(2, c.passes().exact, "QR passes");
    }

    /**
     * Terms within 1e-8 of each other: the QR keeps both (the tolerance is 1e-10), but the Gram
     * matrix is singular in double precision, so the fit goes back to QR steps. Here the first
     * Cholesky already fails, so every step is the QR loop's (22 of them, 23 QR passes and one
     * Gram pass): the same estimates.
     */
    @Test
    void aGramMatrixNotPositiveDefiniteFallsBackToQrSteps() {
        Random random = new Random(14);
        int n = 2000;
        double[] x = normal(random, n, 1);
        double[] near = x.clone();
        for (int i = 0; i < n; i++) {
            near[i] += 1e-8 * random.nextGaussian();
        }
        List<double[]> columns = new ArrayList<>(List.of(x, near, normal(random, n, 1)));
        double[] y = outcome(random, columns, 0.1, 0.5, 0.5, -0.7);
        Compared c = compare(Design.of(names(columns.size()), columns, true), y, 1e-10, 1e-10);
        assertTrue(c.fit().converged());
        assertEquals(List.of(), c.fit().aliased());
        assertTrue(c.passes().exact > 2, "QR passes " + c.passes().exact);
        assertTrue(c.passes().cheap < c.fit().iterations(), "Gram passes " + c.passes().cheap);
    }

    /** A term that is the sum of two others, and a factor level no row has: both dropped and named by the first QR pass. */
    @Test
    void aliasedColumnsAreDroppedAsByTheQrLoop() {
        Random random = new Random(15);
        int n = 2000;
        double[] a = normal(random, n, 1);
        double[] b = normal(random, n, 1);
        double[] sum = new double[n];
        for (int i = 0; i < n; i++) {
            sum[i] = a[i] + b[i];
        }
        List<double[]> columns = new ArrayList<>(List.of(a, b, sum, new double[n]));
        columns.addAll(dummies(random, n, 3));
        double[] y = outcome(random, columns, 0.2, 0.6, -0.4, 0, 0, 0.5, -0.5);
        Compared c = compare(Design.of(names(columns.size()), columns, true), y, 1e-10, 1e-10);
        assertEquals(List.of("x2", "x3"), c.fit().aliased());
        assertTrue(c.fit().has(FitNote.Problem.CONSTANT_TERM), c.fit().toString());
        assertEquals(2, c.passes().exact, "QR passes");
    }

    /**
     * Quasi-separation: {@code y} is 1 above 0 and 0 below, mixed only where {@code x} is 0.
     * The estimate of {@code x} runs to infinity by about one per step, so where it stops
     * depends on the steps; the routes take the same number (37) and agree to 1e-10, with the
     * same separation note.
     */
    @Test
    void quasiSeparationAgrees() {
        Random random = new Random(16);
        int n = 400;
        double[] x = new double[n];
        double[] z = normal(random, n, 1);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 5 == 0 ? 0 : random.nextGaussian();
            y[i] = x[i] > 0 ? 1 : x[i] < 0 ? 0 : random.nextInt(2);
        }
        Compared c = compare(Design.of(List.of("x", "z"), List.of(x, z), true), y, 1e-10, 1e-10);
        assertEquals(2, c.passes().exact, "QR passes");
        assertTrue(c.fit().has(FitNote.Problem.SEPARATION), c.fit().toString());
        assertTrue(c.fit().estimate("x").estimate() > 10, c.fit().toString());
    }

    /** An outcome 0 on every row: the intercept runs to minus infinity over many steps, the same number by both routes. */
    @Test
    void aConstantResponseAgrees() {
        Random random = new Random(17);
        int n = 50;
        List<double[]> columns = List.of(normal(random, n, 1), normal(random, n, 1));
        // The slopes are zero but for rounding (about 1e-15): compared absolutely.
        Compared c = compare(Design.of(names(2), columns, true), new double[n], 1e-10, 1e-10, 1e-12);
        assertEquals(2, c.passes().exact, "QR passes");
        assertTrue(c.fit().has(FitNote.Problem.CONSTANT_RESPONSE), c.fit().toString());
        assertFalse(c.fit().usable());
        assertTrue(c.fit().iterations() > 10, c.fit().toString());
    }
}
