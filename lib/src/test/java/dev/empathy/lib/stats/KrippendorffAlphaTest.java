package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.lib.stats.KrippendorffAlpha.Metric;
import dev.empathy.lib.stats.KrippendorffAlpha.UnitSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KrippendorffAlphaTest {

    private static final double NA = Double.NaN;

    /**
     * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four observers,
     * twelve units, values 1..5, missing values (the same data as R's {@code DescTools::KrippAlpha}
     * example "the C data from Krippendorff"). Unit 12 has one value and drops out.
     */
    static final double[][] EXAMPLE_C = {
            {1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA},
            {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3},
            {NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA},
            {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA}};

    @Test
    void krippendorffsExampleCIntervalAndNominal() {
        List<double[]> units = KrippendorffAlpha.unitsOf(EXAMPLE_C);
        KrippendorffAlpha.Result interval = KrippendorffAlpha.of(units, Metric.INTERVAL);
        // Published: alpha_interval = 0.849, alpha_nominal = 0.743, n.. = 40 pairable values.
        assertEquals(0.849, interval.alpha(), 5e-4);
        assertEquals(40, interval.values());
        assertEquals(11, interval.units());
        assertEquals(0.743, KrippendorffAlpha.of(units, Metric.NOMINAL).alpha(), 5e-4);
        // The coincidence matrix's published marginals n_c for the values 1..5: 9, 13, 10, 5, 3.
        KrippendorffAlpha.Coincidences o = KrippendorffAlpha.coincidences(units);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5}, o.values(), 0);
        assertArrayEquals(new double[] {9, 13, 10, 5, 3}, o.marginals(), 1e-12);
        // Two of its cells by hand: unit 1 (1, 1, 1) gives o_11 3 * 2 / 2 = 3, unit 8 (1, 1, 2, 1)
        // 6 / 3 = 2, unit 6 (1, 2, 3, 4) 0, unit 11 (1, 1) 2: o_11 = 7; o_12 = 3 / 3 (unit 8)
        // + 1 / 3 (unit 6) = 4 / 3.
        assertEquals(7, o.counts()[0][0], 1e-12);
        assertEquals(4.0 / 3, o.counts()[0][1], 1e-12);
    }

    @Test
    void krippendorffsBinaryExampleOfTwoObservers() {
        // Krippendorff (2011), example A: two observers, ten units, binary data; published alpha = 0.095.
        double[][] a = {{0, 1, 0, 0, 0, 0, 0, 0, 1, 0}, {1, 1, 1, 0, 0, 1, 0, 0, 0, 0}};
        assertEquals(0.095, KrippendorffAlpha.of(KrippendorffAlpha.unitsOf(a), Metric.NOMINAL).alpha(), 5e-4);
    }

    @Test
    void aHandDerivedIntervalCase() {
        // Units (1, 2), (3, 3), (5, 4): n = 6 pairable values with mean 3 and squared deviations
        // 4 + 1 + 0 + 0 + 4 + 1 = 10. Within units the ordered pairs differ by 1 twice in the first
        // and the last unit, each over m - 1 = 1: D_o = (2 + 0 + 2) / 6 = 2/3. Over all pairs
        // sum (x_i - x_j)^2 = 2 n SS = 120, D_e = 120 / (6 * 5) = 4. Alpha = 1 - (2/3) / 4 = 5/6.
        List<double[]> units = List.of(new double[] {1, 2}, new double[] {3, 3}, new double[] {5, 4});
        KrippendorffAlpha.Result r = KrippendorffAlpha.of(units, Metric.INTERVAL);
        assertEquals(5.0 / 6, r.alpha(), 1e-15);
        assertEquals(2.0 / 3, r.observed(), 1e-15);
        assertEquals(4, r.expected(), 1e-15);
        KrippendorffAlpha.Result s = KrippendorffAlpha.interval(summaries(units));
        assertEquals(5.0 / 6, s.alpha(), 1e-15);
        assertEquals(2.0 / 3, s.observed(), 1e-15);
        assertEquals(4, s.expected(), 1e-15);
    }

    /**
     * Five raters, fifteen units, a third of the values missing and one unit with a single value,
     * drawn in R and computed there from the pairwise definition (no coincidence matrix):
     * <pre>
     * # R 4.2.2
     * set.seed(20250517)
     * k &lt;- 5; N &lt;- 15
     * truth &lt;- round(rnorm(N, 60, 12) * 2) / 2
     * m &lt;- t(sapply(1:k, function(r) round((truth + rnorm(N, c(0, 6, -2, 1, 3)[r], 5)) * 2) / 2))
     * m[matrix(runif(k * N) &lt; 0.3, k, N)] &lt;- NA
     * pairwise_alpha &lt;- function(m) {
     *   units &lt;- lapply(seq_len(ncol(m)), function(u) m[!is.na(m[, u]), u])
     *   units &lt;- units[sapply(units, length) &gt;= 2]
     *   v &lt;- unlist(units); n &lt;- length(v)
     *   do &lt;- sum(sapply(units, function(x) sum(outer(x, x, "-")^2) / (length(x) - 1))) / n
     *   de &lt;- sum(outer(v, v, "-")^2) / (n * (n - 1))
     *   c(alpha = 1 - do / de, n = n, units = length(units))
     * }
     * print(pairwise_alpha(m), digits = 17)
     * #  alpha 0.91667959532486709   n 47   units 14
     * </pre>
     * ({@code irr::kripp.alpha} is not packaged for this Debian release; the function above is
     * the definition written out pair by pair.)
     */
    static final double[][] R_RANDOM = {
            {90, 61.5, 40, 72, NA, 84.5, 71, NA, 53.5, NA, 57.5, 47, 80.5, NA, NA},
            {85.5, 67.5, 52, 58.5, NA, 84.5, NA, 70, 46, 36, NA, NA, 75, 57, NA},
            {NA, NA, 50.5, NA, 56, 72.5, NA, 66.5, 39, 34.5, 46.5, 52, NA, NA, NA},
            {NA, NA, 47, 70, 58, NA, 66, 63, NA, 32.5, NA, NA, 80, 59.5, 56.5},
            {88.5, 58.5, NA, 66.5, NA, 83, 60, 64, 49.5, 37, 49.5, NA, 80, 56, NA}};

    @Test
    void matchesThePairwiseDefinitionComputedInR() {
        List<double[]> units = KrippendorffAlpha.unitsOf(R_RANDOM);
        KrippendorffAlpha.Result matrix = KrippendorffAlpha.of(units, Metric.INTERVAL);
        assertEquals(0.91667959532486709, matrix.alpha(), 1e-13);
        assertEquals(47, matrix.values());
        assertEquals(14, matrix.units());
        KrippendorffAlpha.Result sums = KrippendorffAlpha.interval(summaries(units));
        assertEquals(0.91667959532486709, sums.alpha(), 1e-13);
        assertEquals(14, sums.units());
    }

    /**
     * The bootstrap resamples units; against R's {@code boot} with the same statistic (the
     * pairwise definition above) on the 14 pairable units of {@link #R_RANDOM}:
     * <pre>
     * # R 4.2.2, boot 1.3-28
     * set.seed(1)
     * b &lt;- boot(seq_along(units), function(d, i) alpha_units(units[i]), R = 20000)
     * quantile(b$t, c(0.025, 0.975), type = 7)   # 0.7896230107 0.9583896674
     * # set.seed(2) gives 0.7898709095 0.9580164701
     * </pre>
     * The generators differ, so the ends agree only to Monte Carlo error (two R seeds: 3e-4).
     */
    @Test
    void theBootstrapAgreesWithRsBootToMonteCarloError() {
        List<UnitSummary> units = summaries(KrippendorffAlpha.unitsOf(R_RANDOM));
        UnitBootstrap.Interval i = KrippendorffAlpha.bootstrap(units, 20_000, 42, 0.95);
        assertEquals(0.7896230107, i.low(), 5e-3);
        assertEquals(0.9583896674, i.high(), 5e-3);
        assertEquals(20_000, i.defined());
    }

    @Test
    void theBootstrapIsTheSameForASeedAndMovesWithIt() {
        List<UnitSummary> units = summaries(KrippendorffAlpha.unitsOf(R_RANDOM));
        UnitBootstrap.Interval a = KrippendorffAlpha.bootstrap(units, 500, 7, 0.95);
        UnitBootstrap.Interval b = KrippendorffAlpha.bootstrap(units, 500, 7, 0.95);
        UnitBootstrap.Interval c = KrippendorffAlpha.bootstrap(units, 500, 8, 0.95);
        assertEquals(a, b);
        assertNotEquals(a.low(), c.low());
        assertTrue(a.low() < 0.9167 && 0.9167 < a.high(), a.toString());
    }

    @Test
    void theSummaryRouteEqualsTheMatrixRouteAndIgnoresUnitOrder() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            List<double[]> units = new ArrayList<>();
            int n = 2 + random.nextInt(30);
            for (int u = 0; u < n; u++) {
                double[] values = new double[1 + random.nextInt(5)];
                double level = random.nextInt(100);
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextDouble() < 0.2 ? NA : level + random.nextInt(11) - 5;
                }
                units.add(values);
            }
            KrippendorffAlpha.Result matrix = KrippendorffAlpha.of(units, Metric.INTERVAL);
            List<UnitSummary> summaries = summaries(units);
            Collections.shuffle(summaries, new java.util.Random(trial));
            KrippendorffAlpha.Result sums = KrippendorffAlpha.interval(summaries);
            assertEquals(matrix.units(), sums.units());
            assertEquals(matrix.values(), sums.values());
            if (matrix.defined()) {
                assertEquals(matrix.alpha(), sums.alpha(), 1e-10, "trial " + trial);
            } else {
                assertFalse(sums.defined());
            }
            // Sums of two halves combine into the sums of the whole.
            double centre = 50;
            KrippendorffAlpha.Sums left = new KrippendorffAlpha.Sums(centre);
            KrippendorffAlpha.Sums right = new KrippendorffAlpha.Sums(centre);
            for (int i = 0; i < summaries.size(); i++) {
                (i % 2 == 0 ? left : right).accept(summaries.get(i), 1);
            }
            KrippendorffAlpha.Result combined = left.combine(right).result();
            if (matrix.defined()) {
                assertEquals(matrix.alpha(), combined.alpha(), 1e-10, "trial " + trial);
            }
        }
    }

    @Test
    void undefinedCasesSayWhyAndNeverThrow() {
        KrippendorffAlpha.Result equal = KrippendorffAlpha.of(List.of(new double[] {70, 70}, new double[] {70, 70, 70}),
                Metric.INTERVAL);
        assertTrue(Double.isNaN(equal.alpha()));
        assertTrue(equal.note().contains("the same"), equal.note());
        assertTrue(Double.isNaN(KrippendorffAlpha.interval(summaries(List.of(new double[] {70, 70}))).alpha()));
        KrippendorffAlpha.Result single = KrippendorffAlpha.of(List.of(new double[] {1}, new double[] {2, NA}),
                Metric.INTERVAL);
        assertTrue(Double.isNaN(single.alpha()));
        assertEquals(0, single.units());
        assertTrue(single.note().contains("two values"), single.note());
        assertEquals(0, KrippendorffAlpha.interval(List.of()).units());
        UnitBootstrap.Interval none = KrippendorffAlpha.bootstrap(List.of(), 100, 1, 0.95);
        assertFalse(none.given());
        // Every resample of equal values is undefined: no interval.
        assertFalse(KrippendorffAlpha.bootstrap(summaries(List.of(new double[] {5, 5}, new double[] {5, 5})), 100, 1,
                0.95).given());
    }

    private static List<UnitSummary> summaries(List<double[]> units) {
        List<UnitSummary> out = new ArrayList<>();
        for (double[] u : units) {
            out.add(UnitSummary.of(u));
        }
        return out;
    }
}
