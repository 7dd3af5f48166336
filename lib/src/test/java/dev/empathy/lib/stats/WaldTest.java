package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.empathy.lib.regression.Estimate;
import org.junit.jupiter.api.Test;

class WaldTest {

    @Test
    void quadraticAndBilinearFormsByHand() {
        double[][] v = {{2, 1}, {1, 3}};
        // (1, 2) V (1, 2)' = 1*2*1 + 1*1*2 + 2*1*1 + 2*3*2 = 18
        assertEquals(18, Wald.quadratic(new double[] {1, 2}, v), 0);
        // (1, 0) V (0, 1)' = V[0][1] = 1
        assertEquals(1, Wald.bilinear(new double[] {1, 0}, v, new double[] {0, 1}), 0);
    }

    @Test
    void normalTestAndIntervalMatchTheNormalTable() {
        // z = 1.96: two-sided p = 2 (1 - Phi(1.96)) = 0.04999579 (R: 2 * pnorm(-1.96) = 0.04999579);
        // qnorm(0.975) = 1.959964.
        Estimate e = Wald.normal("x", 1.96, 1, 0.95);
        assertEquals(1.96, e.statistic(), 1e-15);
        assertEquals(0.04999579, e.pValue(), 1e-8);
        assertEquals(1.96 - 1.959964, e.ciLow(), 1e-6);
        assertEquals(1.96 + 1.959964, e.ciHigh(), 1e-6);
    }

    @Test
    void ratioByTheDeltaMethod() {
        // a = 2, b = 4, var a = 1, var b = 4, cov = 1: r = 0.5,
        // var r = (1 - 2 * 0.5 * 1 + 0.25 * 4) / 16 = 1/16.
        Wald.Ratio r = Wald.ratio(2, 4, 1, 4, 1);
        assertEquals(0.5, r.value(), 0);
        assertEquals(0.25, r.stdError(), 1e-15);
        // A negative divisor: the standard error stays positive.
        assertEquals(0.25, Wald.ratio(-2, -4, 1, 4, 1).stdError(), 1e-15);
    }

    @Test
    void ratioScaleOfAnEstimate() {
        Estimate.Ratio r = new Estimate("x", Math.log(2), 0.1, 0, 0, Math.log(1.5), Math.log(3)).ratio();
        assertEquals(2, r.value(), 1e-15);
        assertEquals(1.5, r.low(), 1e-15);
        assertEquals(3, r.high(), 1e-15);
    }
}
