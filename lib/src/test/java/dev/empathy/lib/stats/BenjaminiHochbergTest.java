package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenjaminiHochbergTest {

    /**
     * R 4.2.2:
     * <pre>
     * p &lt;- c(0.01, 0.04, 0.03, 0.005, 0.20, 0.04, 0.5, 0.9, 0.001, 0.049)
     * sprintf("%.17g", p.adjust(p, "BH"))
     * </pre>
     * gives 0.0333..., 0.0666..., 0.0666..., 0.025, 0.25, 0.0666..., 0.5555..., 0.9, 0.01, 0.07
     * (ties share a value; 0.03 takes the running minimum of the larger p-values).
     */
    @Test
    void matchesPAdjustBH() {
        double[] p = {0.01, 0.04, 0.03, 0.005, 0.20, 0.04, 0.5, 0.9, 0.001, 0.049};
        double[] expected = {0.033333333333333333, 0.066666666666666666, 0.066666666666666666,
                0.025000000000000001, 0.25, 0.066666666666666666, 0.55555555555555558, 0.90000000000000002, 0.01,
                0.070000000000000007};
        assertArrayEquals(expected, BenjaminiHochberg.adjust(p), 1e-15);
    }

    /** NaN is no test: with it removed m = 3, so 0.02 becomes 3 x 0.02 / 2 = 0.03 (R: p.adjust(c(0.01, 0.02, 0.5), "BH")). */
    @Test
    void aMissingPValueIsLeftOutOfTheCount() {
        double[] q = BenjaminiHochberg.adjust(new double[] {0.01, Double.NaN, 0.02, 0.5});
        assertEquals(0.03, q[0], 1e-15);
        assertTrue(Double.isNaN(q[1]));
        assertEquals(0.03, q[2], 1e-15);
        assertEquals(0.5, q[3], 1e-15);
        assertEquals(0, BenjaminiHochberg.adjust(new double[0]).length);
        assertThrows(IllegalArgumentException.class, () -> BenjaminiHochberg.adjust(new double[] {1.5}));
    }
}
