package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClusteredMeanTest {

    /**
     * y = 0.2, -0.1 | 0.5, 0.4, -0.3 | 0.0, 0.9 | 0.1 in clusters a | b | c | d. By hand: mean
     * 1.7 / 8 = 0.2125; cluster residual sums -0.325, -0.0375, 0.475, -0.1125; squares sum to
     * 0.3453125; se = sqrt(4/3 * 0.3453125) / 8 = 0.0848175. R 4.2.2, the same sandwich written
     * out ({@code m <- lm(y ~ 1); u <- tapply(resid(m), g, sum); sqrt(4/3 * sum(u^2)) / 8};
     * {@code coef(m) + c(-1, 1) * qt(0.975, 3) * se}): se 0.084817512440926, interval
     * -0.057427179090980 to 0.482427179090980.
     */
    @Test
    void matchesTheClusterSandwichOfTheMean() {
        ClusteredMean m = new ClusteredMean().add(2, 0.1).add(3, 0.6).add(2, 0.9).add(1, 0.1);
        ClusteredMean.Result r = m.result(0.95);
        assertEquals(0.2125, r.mean(), 1e-15);
        assertEquals(0.084817512440926, r.stdError(), 1e-14);
        assertEquals(-0.057427179090980, r.low(), 1e-13);
        assertEquals(0.482427179090980, r.high(), 1e-13);
        assertEquals(8, r.n());
        assertEquals(4, r.clusters());
    }

    @Test
    void oneClusterHasAMeanButNoInterval() {
        ClusteredMean.Result r = new ClusteredMean().add(3, 1.5).result(0.95);
        assertEquals(0.5, r.mean(), 1e-15);
        assertTrue(Double.isNaN(r.low()) && Double.isNaN(r.stdError()));
        assertTrue(Double.isNaN(new ClusteredMean().result(0.95).mean()));
    }

    /**
     * The clusters above as moments, summed by hand: n_g = 2, 3, 2, 1 and s_g = 0.1, 0.6, 0.9, 0.1
     * give sum n^2 = 18, sum n s = 0.2 + 1.8 + 1.8 + 0.1 = 3.9 and sum s^2 = 0.01 + 0.36 + 0.81 +
     * 0.01 = 1.19; meat = 1.19 - 2 (0.2125) 3.9 + 0.2125^2 18 = 0.3453125, as above.
     */
    @Test
    void momentsGiveTheSameInterval() {
        ClusteredMean.Result r = ClusteredMean.fromMoments(8, 1.7, 4, 18, 3.9, 1.19, 0.95);
        assertEquals(0.2125, r.mean(), 1e-15);
        assertEquals(0.084817512440926, r.stdError(), 1e-14);
        assertEquals(-0.057427179090980, r.low(), 1e-13);
        assertEquals(0.482427179090980, r.high(), 1e-13);
        ClusteredMean.Result flat = ClusteredMean.fromMoments(4, 280, 2, 8, 560, 39200, 0.95);
        assertEquals(70, flat.mean(), 1e-12);
        assertEquals(0, flat.stdError(), 0, "every cluster on the mean: no spread, not NaN");
        assertTrue(Double.isNaN(ClusteredMean.fromMoments(3, 1.5, 1, 9, 4.5, 2.25, 0.95).low()));
    }
}
