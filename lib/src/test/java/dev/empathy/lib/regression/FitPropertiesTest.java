package dev.empathy.lib.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.empathy.lib.survival.Cox;
import dev.empathy.lib.survival.CoxFit;
import dev.empathy.lib.survival.Ties;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the fits on random small data (jqwik): OLS agrees with an exact solve of the
 * normal equations; logit and Cox never throw but an {@link UnfittableException} where there is
 * nothing to fit; the order of the rows does not change an estimate.
 *
 * <p>Each case is drawn from a seed that jqwik chooses and reports, so a failure replays.
 */
class FitPropertiesTest {

    private static final MathContext EXACT = new MathContext(50);

    /** A design with an intercept and {@code k} columns, some of them exactly dependent when asked. */
    private record Case(List<String> names, double[][] columns, double[] y) {
        Design design() {
            return Design.of(names, List.of(columns), true);
        }
    }

    /**
     * Random columns of 3-decimal values (well conditioned), or of small integers with some
     * columns exactly dependent on earlier ones: a constant, a copy, a sum with integer weights.
     */
    private static Case draw(long seed, int n, int k, boolean deficient) {
        Random random = new Random(seed);
        List<String> names = new ArrayList<>();
        double[][] columns = new double[k][n];
        for (int j = 0; j < k; j++) {
            names.add("x" + j);
            int kind = deficient && j > 0 ? random.nextInt(4) : 0;
            for (int i = 0; i < n; i++) {
                columns[j][i] = switch (kind) {
                    case 0 -> deficient ? random.nextInt(41) - 20 : Math.round(random.nextGaussian() * 5000) / 1000.0;
                    case 1 -> 7;
                    case 2 -> columns[j - 1][i];
                    default -> 2 * columns[0][i] - 3 * columns[j - 1][i];
                };
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 1.5;
            for (int j = 0; j < k; j++) {
                s += (j + 1) * 0.25 * columns[j][i];
            }
            y[i] = Math.round((s + random.nextGaussian()) * 1000) / 1000.0;
        }
        return new Case(names, columns, y);
    }

    /** The exact least-squares solution: normal equations in 50 digits, dropping columns in the span of earlier ones. */
    private static BigDecimal[] exactSolve(Case c, List<String> dropped) {
        int n = c.y().length;
        int p = c.columns().length + 1;
        BigDecimal[][] x = new BigDecimal[p][n];
        for (int i = 0; i < n; i++) {
            x[0][i] = BigDecimal.ONE;
            for (int j = 1; j < p; j++) {
                x[j][i] = new BigDecimal(c.columns()[j - 1][i]);
            }
        }
        BigDecimal[][] g = new BigDecimal[p][p + 1];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= p; b++) {
                BigDecimal s = BigDecimal.ZERO;
                for (int i = 0; i < n; i++) {
                    s = s.add(x[a][i].multiply(b < p ? x[b][i] : new BigDecimal(c.y()[i])));
                }
                g[a][b] = s;
            }
        }
        // Gaussian elimination in column order; a pivot that is zero up to the working digits
        // (relative to the column's own squared norm) marks a column in the span of the earlier ones.
        boolean[] kept = new boolean[p];
        BigDecimal[][] w = new BigDecimal[p][];
        for (int a = 0; a < p; a++) {
            w[a] = g[a].clone();
        }
        for (int j = 0; j < p; j++) {
            BigDecimal pivot = w[j][j];
            BigDecimal scale = g[j][j].max(BigDecimal.ONE);
            if (pivot.abs().compareTo(scale.multiply(new BigDecimal("1e-30"))) <= 0) {
                if (j > 0) {
                    dropped.add(c.names().get(j - 1));
                }
                continue;
            }
            kept[j] = true;
            for (int a = j + 1; a < p; a++) {
                BigDecimal f = w[a][j].divide(pivot, EXACT);
                for (int b = j; b <= p; b++) {
                    w[a][b] = w[a][b].subtract(f.multiply(w[j][b], EXACT), EXACT);
                }
            }
        }
        BigDecimal[] beta = new BigDecimal[p];
        for (int j = p - 1; j >= 0; j--) {
            if (!kept[j]) {
                beta[j] = null;
                continue;
            }
            BigDecimal s = w[j][p];
            for (int b = j + 1; b < p; b++) {
                if (kept[b]) {
                    s = s.subtract(w[j][b].multiply(beta[b], EXACT), EXACT);
                }
            }
            beta[j] = s.divide(w[j][j], EXACT);
        }
        return beta;
    }

    @Property(tries = 300)
    void olsAgreesWithAnExactSolveOfTheNormalEquations(@ForAll long seed, @ForAll @IntRange(min = 3, max = 30) int n,
                                                       @ForAll @IntRange(min = 1, max = 5) int k,
                                                       @ForAll boolean deficient) {
        Case c = draw(seed, n, k, deficient);
        if (n < k + 1) {
            try {
                Ols.fit(c.design(), c.y(), null, OlsOptions.defaults());
                fail("expected UnfittableException for " + n + " rows and " + (k + 1) + " coefficients");
            } catch (UnfittableException e) {
                return;
            }
        }
        List<String> dropped = new ArrayList<>();
        BigDecimal[] exact = exactSolve(c, dropped);
        OlsFit fit = Ols.fit(c.design(), c.y(), null, OlsOptions.defaults());
        assertEquals(dropped, fit.aliased(), fit.toString());
        double largest = 0;
        for (BigDecimal b : exact) {
            largest = b == null ? largest : Math.max(largest, Math.abs(b.doubleValue()));
        }
        for (int j = 0; j < exact.length; j++) {
            if (exact[j] == null) {
                continue;
            }
            String term = j == 0 ? "Intercept" : c.names().get(j - 1);
            double expected = exact[j].doubleValue();
            double got = fit.estimate(term).estimate();
            assertTrue(Math.abs(got - expected) <= 1e-10 * Math.max(1, largest), String.format(Locale.ROOT,
                    "%s: exact %.17g, fit %.17g (n %d, k %d, deficient %s)", term, expected, got, n, k, deficient));
        }
    }

    /** Shapes a random column or outcome can take: the cases that break a fit. */
    private static double[] column(Random random, int n, int kind, double[] previous, double[] y) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = switch (kind) {
                case 0 -> random.nextGaussian();
                case 1 -> 3;
                case 2 -> random.nextInt(2);
                case 3 -> previous == null ? 0 : previous[i];
                case 4 -> y == null ? 0 : y[i] * 4 - 2 + random.nextDouble() * 0.1;
                default -> random.nextInt(3) * 1e6;
            };
        }
        return c;
    }

    private static double[] outcome(Random random, int n, int kind) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = switch (kind) {
                case 0, 1 -> random.nextInt(2);
                case 2 -> 0;
                default -> 1;
            };
        }
        return y;
    }

    @Property(tries = 400)
    void logitNeverThrowsButWhenThereIsNothingToFit(@ForAll long seed, @ForAll @IntRange(min = 0, max = 30) int n,
                                                     @ForAll @IntRange(min = 1, max = 4) int k,
                                                     @ForAll boolean duplicateRows) {
        Random random = new Random(seed);
        double[] y = outcome(random, n, random.nextInt(4));
        List<String> names = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        double[] previous = null;
        for (int j = 0; j < k; j++) {
            names.add("x" + j);
            previous = column(random, n, random.nextInt(6), previous, y);
            columns.add(previous);
        }
        if (duplicateRows && n > 1) {
            for (double[] c : columns) {
                System.arraycopy(c, 0, c, n / 2, n - n / 2 > n / 2 ? n / 2 : n - n / 2);
            }
            System.arraycopy(y, 0, y, n / 2, n - n / 2 > n / 2 ? n / 2 : n - n / 2);
        }
        Design design = Design.of(names, columns, true);
        LogitFit fit;
        try {
            fit = Logit.fit(design, y, null, OlsOptions.defaults());
        } catch (UnfittableException e) {
            assertTrue(n == 0 || n < design.width(), e.getMessage());
            return;
        }
        assertTrue(n >= design.width());
        assertNotNull(fit.toString());
        if (fit.usable()) {
            for (Estimate e : fit.estimates()) {
                assertTrue(Double.isFinite(e.estimate()), fit.toString());
            }
        }
    }

    /** Ordered outcomes of up to three levels, the sum of two binary ones (constant, separated, random, ...). */
    @Property(tries = 400)
    void orderedLogitNeverThrowsButWhenThereIsNothingToFit(@ForAll long seed,
                                                           @ForAll @IntRange(min = 0, max = 30) int n,
                                                           @ForAll @IntRange(min = 1, max = 4) int k) {
        Random random = new Random(seed);
        double[] y = outcome(random, n, random.nextInt(4));
        double[] more = outcome(random, n, random.nextInt(4));
        for (int i = 0; i < n; i++) {
            y[i] += more[i];
        }
        List<String> names = new ArrayList<>();
        List<double[]> columns = new ArrayList<>();
        double[] previous = null;
        for (int j = 0; j < k; j++) {
            names.add("x" + j);
            previous = column(random, n, random.nextInt(6), previous, y);
            columns.add(previous);
        }
        Design design = Design.of(names, columns, true);
        long levels = java.util.Arrays.stream(y).distinct().count();
        OrderedLogitFit fit;
        try {
            fit = OrderedLogit.fit(design, y, null, OlsOptions.defaults());
        } catch (UnfittableException e) {
            assertTrue(n == 0 || n < k + levels - 1, e.getMessage());
            return;
        }
        assertNotNull(fit.toString());
        if (fit.usable()) {
            for (Estimate e : fit.estimates()) {
                assertTrue(Double.isFinite(e.estimate()), fit.toString());
            }
        }
    }

    @Property(tries = 400)
    void coxNeverThrowsButWithoutRows(@ForAll long seed, @ForAll @IntRange(min = 0, max = 30) int n,
                                      @ForAll @IntRange(min = 1, max = 4) int k) {
        Random random = new Random(seed);
        double[] time = new double[n];
        int shape = random.nextInt(4);
        double[] event = outcome(random, n, shape == 0 ? 0 : shape);
        for (int i = 0; i < n; i++) {
            time[i] = 1 + random.nextInt(random.nextBoolean() ? 3 : 30);
        }
        List<String> names = new ArrayList<>();
        double[][] x = new double[n][k];
        double[] previous = null;
        for (int j = 0; j < k; j++) {
            names.add("x" + j);
            // kind 4 separates: the column follows the event indicator.
            previous = column(random, n, random.nextInt(6), previous, event);
            for (int i = 0; i < n; i++) {
                x[i][j] = previous[i];
            }
        }
        CoxFit fit;
        try {
            fit = Cox.fit(names, x, time, event, random.nextBoolean() ? Ties.EFRON : Ties.BRESLOW, 0.95);
        } catch (UnfittableException e) {
            assertEquals(0, n, e.getMessage());
            return;
        }
        assertTrue(n > 0);
        assertNotNull(fit.toString());
        if (fit.usable()) {
            for (var e : fit.estimates()) {
                assertTrue(Double.isFinite(e.estimate()), fit.toString());
            }
        }
    }

    private static int[] permutation(Random random, int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] permuted(double[] v, int[] order) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[order[i]];
        }
        return out;
    }

    private static void assertSame(List<Estimate> a, List<Estimate> b, String what) {
        assertEquals(a.size(), b.size());
        for (int j = 0; j < a.size(); j++) {
            double x = a.get(j).estimate();
            double y = b.get(j).estimate();
            assertTrue(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)), String.format(Locale.ROOT,
                    "%s %s: %.17g in order, %.17g shuffled", what, a.get(j).term(), x, y));
            double sx = a.get(j).stdError();
            double sy = b.get(j).stdError();
            assertTrue(Math.abs(sx - sy) <= 1e-9 * Math.max(1, Math.abs(sx)), what + " se " + a.get(j).term());
        }
    }

    @Property(tries = 150)
    void rowOrderDoesNotChangeAnEstimate(@ForAll long seed, @ForAll @IntRange(min = 12, max = 30) int n,
                                         @ForAll @IntRange(min = 1, max = 3) int k) {
        Random random = new Random(seed);
        Case c = draw(seed, n, k, false);
        int[] order = permutation(random, n);
        double[][] shuffled = new double[k][];
        for (int j = 0; j < k; j++) {
            shuffled[j] = permuted(c.columns()[j], order);
        }
        Design again = Design.of(c.names(), List.of(shuffled), true);
        assertSame(Ols.fit(c.design(), c.y(), null, OlsOptions.defaults()).estimates(),
                Ols.fit(again, permuted(c.y(), order), null, OlsOptions.defaults()).estimates(), "ols");

        double[] binary = new double[n];
        double[] time = new double[n];
        double[] event = new double[n];
        for (int i = 0; i < n; i++) {
            binary[i] = c.y()[i] > 1.5 ? 1 : 0;
            time[i] = 1 + random.nextInt(8);
            event[i] = random.nextInt(4) == 0 ? 0 : 1;
        }
        LogitFit logit = Logit.fit(c.design(), binary, null, OlsOptions.defaults());
        Assume.that(logit.usable());
        assertSame(logit.estimates(), Logit.fit(again, permuted(binary, order), null, OlsOptions.defaults())
                .estimates(), "logit");

        double[][] rows = new double[n][k];
        double[][] rowsShuffled = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                rows[i][j] = c.columns()[j][i];
                rowsShuffled[i][j] = shuffled[j][i];
            }
        }
        CoxFit cox = Cox.fit(c.names(), rows, time, event, Ties.EFRON, 0.95);
        Assume.that(cox.usable());
        assertSame(cox.estimates(), Cox.fit(c.names(), rowsShuffled, permuted(time, order), permuted(event, order),
                Ties.EFRON, 0.95).estimates(), "cox");
    }
}
