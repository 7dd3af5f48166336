package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MannWhitneyTest {

    /**
     * x = 0.5, 0.2, 0.2, -0.1, 0.7, 0.3 and y = 0.1, 0.2, -0.4, 0.0, -0.1. R 4.2.2:
     * {@code wilcox.test(x, y, exact = FALSE, correct = TRUE)} W = 25.5, p-value
     * 0.064768969698888. By hand, W counts the pairs x > y plus half the ties: 0.5 > all 5 (5),
     * 0.2 > 3 and ties 1 (3.5, twice: 7), -0.1 > -0.4 and ties -0.1 (1.5), 0.7 (5), 0.3 (5):
     * 25.5; Cliff's delta = 2 * 25.5 / 30 - 1 = 0.7.
     */
    @Test
    void matchesWilcoxTestWithTiesAndContinuityCorrection() {
        TreeMap<Double, long[]> counts = new TreeMap<>();
        for (double x : new double[] {0.5, 0.2, 0.2, -0.1, 0.7, 0.3}) {
            counts.computeIfAbsent(x, k -> new long[2])[0]++;
        }
        for (double y : new double[] {0.1, 0.2, -0.4, 0.0, -0.1}) {
            counts.computeIfAbsent(y, k -> new long[2])[1]++;
        }
        MannWhitney.Result r = MannWhitney.test(counts);
        assertEquals(25.5, r.w(), 1e-12);
        assertEquals(0.064768969698888, r.pValue(), 1e-12);
        assertEquals(0.7, r.cliffsDelta(), 1e-12);
        assertEquals(6, r.n1());
        assertEquals(5, r.n2());
    }

    @Test
    void anEmptyGroupOrAllTiedHasNoPValue() {
        TreeMap<Double, long[]> one = new TreeMap<>();
        one.put(1.0, new long[] {3, 0});
        assertTrue(Double.isNaN(MannWhitney.test(one).pValue()));
        TreeMap<Double, long[]> tied = new TreeMap<>();
        tied.put(1.0, new long[] {3, 2});
        MannWhitney.Result r = MannWhitney.test(tied);
        assertTrue(Double.isNaN(r.pValue()));
        assertEquals(0, r.cliffsDelta(), 1e-15);
    }
}
