package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClusteredDifferenceTest {

    /**
     * Thirteen scores of five agents, d = 1 in the cell:
     * <pre>
     * agent a: 70 (1), 72 (1), 65 (0)      agent d: 66 (0), 71 (1)
     * agent b: 80 (0), 60 (1), 58 (0)      agent e: 69 (0), 55 (0)
     * agent c: 75 (0), 77 (1), 62 (0)
     * </pre>
     * By hand: the cell's mean 350 / 5 = 70, the rest's 530 / 8 = 66.25, difference 3.75.
     * R 4.2.2 with sandwich 3.0.2:
     * <pre>
     * y &lt;- c(70, 72, 65, 80, 60, 58, 75, 77, 62, 66, 71, 69, 55)
     * d &lt;- c( 1,  1,  0,  0,  1,  0,  0,  1,  0,  0,  1,  0,  0)
     * g &lt;- c("a","a","a","b","b","b","c","c","c","d","d","e","e")
     * fit &lt;- lm(y ~ d); V &lt;- sandwich::vcovCL(fit, cluster = g, type = "HC1")
     * b &lt;- coef(fit)[["d"]]; se &lt;- sqrt(V["d", "d"]); t &lt;- b / se
     * sprintf("%.17g", c(b, se, t, 2 * pt(-abs(t), 4), b + c(-1, 1) * qt(0.975, 4) * se))
     * </pre>
     * gives 3.7499999999999947, 3.5832678156448678, 1.0465307626818066, 0.35438589241634705,
     * -6.1987463873599875, 13.698746387359977.
     */
    @Test
    void matchesLmWithVcovCLHC1() {
        ClusteredDifference d = new ClusteredDifference()
                .add(2, 142, 1, 65).add(1, 60, 2, 138).add(1, 77, 2, 137).add(1, 71, 1, 66).add(0, 0, 2, 124);
        ClusteredDifference.Result r = d.result(0.95);
        assertEquals(3.75, r.difference(), 1e-12);
        assertEquals(70, r.meanOne(), 1e-12);
        assertEquals(66.25, r.meanZero(), 1e-12);
        assertEquals(3.5832678156448678, r.stdError(), 1e-12);
        assertEquals(1.0465307626818066, r.statistic(), 1e-12);
        assertEquals(0.35438589241634705, r.pValue(), 1e-12);
        assertEquals(-6.1987463873599875, r.low(), 1e-11);
        assertEquals(13.698746387359977, r.high(), 1e-11);
        assertEquals(5, r.nOne());
        assertEquals(8, r.nZero());
        assertEquals(5, r.clusters());
    }

    /** Moments add up in any order; shifting every score by a constant changes neither the difference nor its error. */
    @Test
    void momentsCombineInAnyOrderAndIgnoreALocationShift() {
        ClusteredDifference.Moments a = ClusteredDifference.Moments.of(2, 142, 1, 65)
                .plus(ClusteredDifference.Moments.of(1, 60, 2, 138));
        ClusteredDifference.Moments b = ClusteredDifference.Moments.of(1, 77, 2, 137)
                .plus(ClusteredDifference.Moments.of(1, 71, 1, 66)).plus(ClusteredDifference.Moments.of(0, 0, 2, 124));
        ClusteredDifference.Result ab = ClusteredDifference.of(a.plus(b), 0.95);
        ClusteredDifference.Result ba = ClusteredDifference.of(b.plus(a), 0.95);
        assertEquals(ab.stdError(), ba.stdError(), 1e-12);
        // Every score minus 50: each cluster's sums drop by 50 per observation.
        ClusteredDifference.Result shifted = new ClusteredDifference()
                .add(2, 42, 1, 15).add(1, 10, 2, 38).add(1, 27, 2, 37).add(1, 21, 1, 16).add(0, 0, 2, 24)
                .result(0.95);
        assertEquals(3.75, shifted.difference(), 1e-12);
        assertEquals(3.5832678156448678, shifted.stdError(), 1e-12);
        assertEquals(ClusteredDifference.Moments.EMPTY, ClusteredDifference.Moments.of(0, 0, 0, 0));
    }

    @Test
    void degenerateGroupsGiveNaNsNotExceptions() {
        ClusteredDifference.Result oneGroup = new ClusteredDifference().add(3, 210, 0, 0).add(2, 150, 0, 0)
                .result(0.95);
        assertEquals(72, oneGroup.meanOne(), 1e-12); // 360 / 5
        assertTrue(Double.isNaN(oneGroup.difference()) && Double.isNaN(oneGroup.pValue()));
        ClusteredDifference.Result oneCluster = new ClusteredDifference().add(2, 140, 2, 120).result(0.95);
        assertEquals(10, oneCluster.difference(), 1e-12);
        assertTrue(Double.isNaN(oneCluster.stdError()) && Double.isNaN(oneCluster.pValue()));
        // Every score 70: no difference, no spread, no test.
        ClusteredDifference.Result flat = new ClusteredDifference().add(2, 140, 1, 70).add(1, 70, 3, 210)
                .result(0.95);
        assertEquals(0, flat.difference(), 1e-12);
        assertEquals(0, flat.stdError(), 0);
        assertTrue(Double.isNaN(flat.pValue()));
    }
}
