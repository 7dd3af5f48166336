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
}
