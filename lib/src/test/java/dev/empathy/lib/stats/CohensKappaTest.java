package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CohensKappaTest {

    @Test
    void twoByTwoByHand() {
        // n = 50; p11 = .4, p12 = .1, p21 = .2, p22 = .3; rows .5 .5, columns .6 .4.
        // po = .7; pe = .5 * .6 + .5 * .4 = .5; kappa = (.7 - .5) / (1 - .5) = .4.
        // Fleiss-Cohen-Everitt, 1 - kappa = .6:
        //   diagonal  .4 (1 - 1.1 * .6)^2 + .3 (1 - .9 * .6)^2 = .04624 + .06348 = .10972
        //   off       .36 (.1 (.6 + .5)^2 + .2 (.4 + .5)^2) = .36 * .283 = .10188
        //   last      (.4 - .5 * .6)^2 = .01
        //   var = (.10972 + .10188 - .01) / (50 * .25) = .016128, se = .1269961
        // (the delta method on the cell proportions by numerical gradient gives .1269961 too)
        CohensKappa.Agreement a = CohensKappa.of(new long[][] {{20, 5}, {10, 15}});
        assertEquals(0.4, a.kappa(), 1e-15);
        assertEquals(0.7, a.observed(), 1e-15);
        assertEquals(0.5, a.expected(), 1e-15);
        assertEquals(50, a.n());
        assertEquals(Math.sqrt(0.016128), a.stdError(), 1e-12);
    }

    @Test
    void threeByThreeByHand() {
        // n = 40, diagonal 10 + 12 + 8 = 30: po = .75. Rows 13 17 10, columns 14 15 11:
        // pe = (13*14 + 17*15 + 10*11) / 1600 = 547 / 1600 = .341875;
        // kappa = (.75 - .341875) / .658125 = .6201329...; se by the numerical delta method .1042366.
        CohensKappa.Agreement a = CohensKappa.of(new long[][] {{10, 2, 1}, {3, 12, 2}, {1, 1, 8}});
        assertEquals(0.408125 / 0.658125, a.kappa(), 1e-15);
        assertEquals(0.341875, a.expected(), 1e-15);
        assertEquals(0.1042366, a.stdError(), 1e-7);
    }

    @Test
    void labelsMakeTheSameTableInAnyCategoryOrder() {
        // The 2x2 table above as labels: 20 (a, a), 5 (a, b), 10 (b, a), 15 (b, b), b seen first.
        List<String> one = new java.util.ArrayList<>();
        List<String> two = new java.util.ArrayList<>();
        add(one, two, "b", "b", 15);
        add(one, two, "a", "a", 20);
        add(one, two, "a", "b", 5);
        add(one, two, "b", "a", 10);
        CohensKappa.Agreement a = CohensKappa.of(one, two);
        assertEquals(0.4, a.kappa(), 1e-15);
        assertEquals(Math.sqrt(0.016128), a.stdError(), 1e-12);
    }

    @Test
    void perfectAndChanceAgreement() {
        assertEquals(1, CohensKappa.of(new long[][] {{7, 0}, {0, 3}}).kappa(), 0);
        assertEquals(0, CohensKappa.of(new long[][] {{0, 0}, {0, 0}}).n());
        // Independent raters with margins .5/.5: po = pe = .5, kappa 0.
        assertEquals(0, CohensKappa.of(new long[][] {{5, 5}, {5, 5}}).kappa(), 0);
        assertTrue(Double.isNaN(CohensKappa.of(new long[][] {{9}}).kappa()));
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalArgumentException.class, () -> CohensKappa.of(new long[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> CohensKappa.of(new long[][] {{1, -2}, {3, 4}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.of(List.of("a", "b"), List.of("a")));
        assertEquals("kappa: rater one labelled 2 items and rater two 1, expected the same items", e.getMessage());
    }

    private static void add(List<String> one, List<String> two, String a, String b, int times) {
        for (int i = 0; i < times; i++) {
            one.add(a);
            two.add(b);
        }
    }
}
