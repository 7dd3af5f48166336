package dev.empathy.lib.regression;

import static dev.empathy.lib.regression.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Absorbed fixed effects on Petersen's panel ({@code sandwich::PetersenCL}, see
 * {@code OlsAgainstRTest}) against the same model with one indicator per level in R, and the
 * fixest degrees-of-freedom convention for clustered errors (fixest is not packaged here, so its
 * small-sample factor is applied by hand to R's unadjusted sandwich, as fixest documents it:
 * {@code G/(G-1) (n-1)/(n-K)}, K without fixed effects nested in the clusters):
 *
 * <pre>
 * # R 4.2.2, sandwich 3.0.2; d <- read.csv("PetersenCL.csv"); n <- nrow(d)
 * m1 <- lm(y ~ x + factor(firm), d)
 * coef(m1)["x"]                 # 0.96987486895481
 * sqrt(vcov(m1)["x","x"])       # 0.0297014941063322   (df n - 1 - 500)
 * V <- vcovCL(m1, cluster = ~firm, type = "HC0", cadjust = TRUE)
 * sqrt(V["x","x"] * (n - 1) / (n - 1))               # 0.0301419733916585  (firm nested: K = 1)
 * m2 <- lm(y ~ x + factor(firm) + factor(year), d)
 * coef(m2)["x"]; sqrt(vcov(m2)["x","x"])             # 0.970049263396332 0.0297661992936097 (df 4490)
 * V2 <- vcovCL(m2, cluster = ~firm, type = "HC0", cadjust = TRUE)
 * sqrt(V2["x","x"] * (n - 1) / (n - 1 - 9))          # 0.030217414414389   (K = 1 + 9 year levels)
 * </pre>
 */
class AbsorbedFixedEffectsTest {

    static Design x;
    static double[] y;
    static int[] firm;
    static int[] year;
    static Integer[] firmCluster;

    @BeforeAll
    static void data() throws Exception {
        OlsAgainstRTest.read();
        int n = OlsAgainstRTest.y.length;
        y = OlsAgainstRTest.y;
        x = new Design(List.of("x"), new double[][] {OlsAgainstRTest.design.columns()[1]}, false);
        firm = codes(OlsAgainstRTest.firm);
        year = codes(OlsAgainstRTest.year);
        firmCluster = OlsAgainstRTest.firm;
        assertEquals(5000, n);
    }

    private static int[] codes(Integer[] values) {
        Map<Integer, Integer> index = new HashMap<>();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = index.computeIfAbsent(values[i], k -> index.size());
        }
        return out;
    }

    @Test
    void oneFactorEqualsTheDummyModel() {
        OlsFit fit = AbsorbedFixedEffects.fit(x, y, new int[][] {firm}, null, OlsOptions.defaults());
        assertRelative(0.96987486895481, fit.estimate("x").estimate(), 1e-12, "x");
        assertRelative(0.0297014941063322, fit.estimate("x").stdError(), 1e-12, "se x");
        OlsFit clustered = AbsorbedFixedEffects.fit(x, y, new int[][] {firm}, firmCluster,
                OlsOptions.defaults().with(CovarianceType.CLUSTER));
        assertRelative(0.0301419733916585, clustered.estimate("x").stdError(), 1e-12, "cluster se x");
    }

    @Test
    void twoFactorsByAlternatingProjections() {
        OlsFit fit = AbsorbedFixedEffects.fit(x, y, new int[][] {firm, year}, null, OlsOptions.defaults());
        assertRelative(0.970049263396332, fit.estimate("x").estimate(), 1e-10, "x");
        assertRelative(0.0297661992936097, fit.estimate("x").stdError(), 1e-10, "se x");
        assertEquals(4490, fit.statistics().n() - fit.statistics().k() - 509, "residual df as lm's");
        OlsFit clustered = AbsorbedFixedEffects.fit(x, y, new int[][] {firm, year}, firmCluster,
                OlsOptions.defaults().with(CovarianceType.CLUSTER));
        assertRelative(0.030217414414389, clustered.estimate("x").stdError(), 1e-10, "cluster se x");
    }

    @Test
    void countsRedundantLevelsByConnectedComponents() {
        // Two factors whose levels split into two disconnected blocks: 3 + 3 levels, 2 components.
        int[] a = {0, 0, 1, 2, 2};
        int[] b = {0, 1, 1, 2, 2};
        assertEquals(2, AbsorbedFixedEffects.components(a, b, 3, 3));
        assertEquals(4, AbsorbedFixedEffects.absorbedParameters(new int[][] {a, b}, new int[] {3, 3}));
    }
}
