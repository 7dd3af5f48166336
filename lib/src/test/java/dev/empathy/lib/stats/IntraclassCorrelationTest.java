package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IntraclassCorrelationTest {

    /** Shrout and Fleiss (1979), Table 1: six targets rated by four judges. */
    static final double[][] TABLE_1 = {
            {9, 2, 5, 8}, {6, 1, 3, 2}, {8, 4, 6, 8}, {7, 1, 2, 6}, {10, 5, 6, 9}, {6, 2, 4, 7}};

    @Test
    void shroutAndFleissTable2() {
        IntraclassCorrelation.Result r = IntraclassCorrelation.of(TABLE_1, 0.95);
        // The paper's mean squares (text of section "Table 1"): BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02.
        assertEquals(11.24, r.bms(), 0.005);
        assertEquals(6.26, r.wms(), 0.005);
        assertEquals(32.49, r.jms(), 0.005);
        assertEquals(1.02, r.ems(), 0.005);
        // Table 2: ICC(1,1) .17, ICC(2,1) .29, ICC(3,1) .71, ICC(1,4) .44, ICC(2,4) .62, ICC(3,4) .91.
        assertEquals(0.17, r.icc11().value(), 0.005);
        assertEquals(0.29, r.icc21().value(), 0.005);
        assertEquals(0.71, r.icc31().value(), 0.0051);
        assertEquals(0.44, r.icc1k().value(), 0.005);
        assertEquals(0.62, r.icc2k().value(), 0.005);
        assertEquals(0.91, r.icc3k().value(), 0.005);
    }

    /**
     * The same data in R, with the intervals:
     * <pre>
     * # R 4.2.2, psych 2.2.9
     * sf &lt;- matrix(c(9,2,5,8, 6,1,3,2, 8,4,6,8, 7,1,2,6, 10,5,6,9, 6,2,4,7), ncol = 4, byrow = TRUE)
     * psych::ICC(sf, lmer = FALSE)
     * #        ICC               lower bound          upper bound
     * # ICC1   0.165741768405476 -0.1329323248747509  0.722560062328121
     * # ICC2   0.289763779527559  0.0187865133747120  0.761084369648953
     * # ICC3   0.714840714840715  0.3424647650339254  0.945858259955360
     * # ICC1k  0.442797133679269 -0.8844421552381190  0.912415420340776
     * # ICC2k  0.620050547598989  0.0711368153025035  0.927232040167722
     * # ICC3k  0.909315542377069  0.6756747138163047  0.985891678169062
     * # Mean Sq: subs 11.2416666667, ind 32.4861111111, Residuals 1.0194444444
     * </pre>
     * ({@code irr::icc} is not packaged for this Debian release; psych computes the same
     * Shrout-Fleiss and McGraw-Wong intervals.)
     */
    @Test
    void shroutAndFleissDataAgainstPsychIcc() {
        IntraclassCorrelation.Result r = IntraclassCorrelation.of(TABLE_1, 0.95);
        assertEquals(11.2416666667, r.bms(), 1e-9);
        assertEquals(32.4861111111, r.jms(), 1e-9);
        assertEquals(1.0194444444, r.ems(), 1e-9);
        check(r.icc11(), 0.165741768405476, -0.1329323248747509, 0.722560062328121);
        check(r.icc21(), 0.289763779527559, 0.0187865133747120, 0.761084369648953);
        check(r.icc31(), 0.714840714840715, 0.3424647650339254, 0.945858259955360);
        check(r.icc1k(), 0.442797133679269, -0.8844421552381190, 0.912415420340776);
        check(r.icc2k(), 0.620050547598989, 0.0711368153025035, 0.927232040167722);
        check(r.icc3k(), 0.909315542377069, 0.6756747138163047, 0.985891678169062);
    }

    /**
     * Twelve targets, three judges with offsets, drawn in R:
     * <pre>
     * # R 4.2.2, psych 2.2.9
     * set.seed(77); n &lt;- 12; k &lt;- 3
     * x &lt;- round(matrix(rnorm(n, 60, 10), n, k) + matrix(c(0, 5, -3), n, k, byrow = TRUE)
     *            + matrix(rnorm(n * k, 0, 4), n, k))
     * psych::ICC(x, lmer = FALSE)
     * # ICC2  0.872765669643474  0.594358009171885  0.962495359212786
     * # ICC3  0.924889564988445  0.816339164437158  0.975669048339176
     * # Mean Sq: subs 491.989898990, ind 136.694444444, Residuals 12.967171717
     * </pre>
     */
    @Test
    void aRandomBlockAgainstPsychIcc() {
        double[] j1 = {54, 71, 68, 73, 66, 80, 51, 62, 60, 80, 38, 54};
        double[] j2 = {53, 76, 69, 70, 74, 82, 46, 61, 65, 76, 36, 60};
        double[] j3 = {52, 68, 64, 71, 59, 66, 44, 55, 62, 71, 24, 57};
        double[][] x = new double[12][];
        for (int i = 0; i < 12; i++) {
            x[i] = new double[] {j1[i], j2[i], j3[i]};
        }
        IntraclassCorrelation.Result r = IntraclassCorrelation.of(x, 0.95);
        assertEquals(491.989898990, r.bms(), 1e-8);
        assertEquals(136.694444444, r.jms(), 1e-8);
        assertEquals(12.967171717, r.ems(), 1e-8);
        check(r.icc21(), 0.872765669643474, 0.594358009171885, 0.962495359212786);
        check(r.icc31(), 0.924889564988445, 0.816339164437158, 0.975669048339176);
    }

    @Test
    void degenerateBlocksAreNotedNotThrown() {
        IntraclassCorrelation.Result equal = IntraclassCorrelation.of(new double[][] {{70, 70}, {70, 70}, {70, 70}}, 0.95);
        assertTrue(Double.isNaN(equal.icc21().value()));
        assertNotNull(equal.note());
        IntraclassCorrelation.Result one = IntraclassCorrelation.of(new double[][] {{70, 71}}, 0.95);
        assertTrue(Double.isNaN(one.icc31().value()));
        assertTrue(one.note().contains("two targets"), one.note());
        assertTrue(Double.isNaN(IntraclassCorrelation.of(new double[0][], 0.95).icc21().value()));
        // Judges agree exactly up to their offsets: ICC(3,1) is 1, with no interval.
        IntraclassCorrelation.Result offsets = IntraclassCorrelation.of(new double[][] {{1, 3}, {2, 4}, {5, 7}}, 0.95);
        assertEquals(1, offsets.icc31().value(), 1e-12);
        assertTrue(Double.isNaN(offsets.icc31().low()));
        assertThrows(IllegalArgumentException.class, () -> IntraclassCorrelation.of(new double[][] {{1, 2}, {3}}, 0.95));
    }

    private static void check(IntraclassCorrelation.Estimate e, double value, double low, double high) {
        assertEquals(value, e.value(), 1e-12);
        assertEquals(low, e.low(), 1e-9);
        assertEquals(high, e.high(), 1e-9);
    }
}
