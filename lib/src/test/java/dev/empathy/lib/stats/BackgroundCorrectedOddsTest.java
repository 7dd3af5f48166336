package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BackgroundCorrectedOddsTest {

    /** Four independent totals per stratum with variance 4 each. */
    private static double[][] diagonal(int dim, double variance) {
        double[][] v = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            v[i][i] = variance;
        }
        return v;
    }

    @Test
    void oneStratumByHand() {
        // Exposed: Y = 40, Z = 60, so 1 - p = 2/3 and odds(p) = 20/40; not exposed: Y = 30, Z = 70,
        // odds = 40/30. log OR = log(0.5 / (4/3)) = log(3/8).
        // Gradient: exposed (-1/20 - 1/40, 1/20) = (-0.075, 0.05); not exposed (1/40 + 1/30, -1/40).
        // With every total's variance 4: var = 4 (0.075^2 + 0.05^2 + (7/120)^2 + 0.025^2).
        Map<String, Integer> cells = Map.of("1|s", 0, "0|s", 1);
        double[] totals = {40, 60, 30, 70};
        BackgroundCorrectedOdds.Pooled p = BackgroundCorrectedOdds.pool(cells, totals, diagonal(4, 4), 5);
        double variance = 4 * (0.075 * 0.075 + 0.05 * 0.05 + (7.0 / 120) * (7.0 / 120) + 0.025 * 0.025);
        assertEquals(Math.log(3.0 / 8), p.logOddsRatio(), 1e-14);
        assertEquals(Math.sqrt(variance), p.stdError(), 1e-14);
        assertEquals(1, p.strata());
        assertEquals(0, p.strataDropped());
    }

    @Test
    void independentStrataPoolByInverseVarianceAndUnusableOnesAreDropped() {
        // Stratum a as above; stratum b: exposed Y = 50, Z = 100 (odds 1), not exposed Y = 25, Z = 100
        // (odds 3): log OR = -log 3, gradient (-0.04, 0.02) and (1/75 + 1/25, -1/75).
        // Stratum c has exposed Y = 3 < 5 and is dropped; stratum d has no unexposed cell.
        Map<String, Integer> cells = Map.of("1|a", 0, "0|a", 1, "1|b", 2, "0|b", 3, "1|c", 4, "0|c", 5, "1|d", 6);
        double[] totals = {40, 60, 30, 70, 50, 100, 25, 100, 3, 50, 20, 60, 30, 60};
        BackgroundCorrectedOdds.Pooled p = BackgroundCorrectedOdds.pool(cells, totals, diagonal(14, 4), 5);
        double va = 4 * (0.075 * 0.075 + 0.05 * 0.05 + (7.0 / 120) * (7.0 / 120) + 0.025 * 0.025);
        double vb = 4 * (0.04 * 0.04 + 0.02 * 0.02 + (4.0 / 75) * (4.0 / 75) + (1.0 / 75) * (1.0 / 75));
        double wa = 1 / va;
        double wb = 1 / vb;
        assertEquals((wa * Math.log(3.0 / 8) - wb * Math.log(3)) / (wa + wb), p.logOddsRatio(), 1e-14);
        assertEquals(1 / Math.sqrt(wa + wb), p.stdError(), 1e-14);
        assertEquals(2, p.strata());
        assertEquals(2, p.strataDropped());
    }

    @Test
    void noUsableStratumGivesNaNNotAnException() {
        BackgroundCorrectedOdds.Pooled p = BackgroundCorrectedOdds.pool(Map.of("1|a", 0), new double[] {1, 2},
                diagonal(2, 1), 5);
        assertTrue(Double.isNaN(p.logOddsRatio()));
        assertEquals(0, p.strata());
        assertEquals(1, p.strataDropped());
    }
}
