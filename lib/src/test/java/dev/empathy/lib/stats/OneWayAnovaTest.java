package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OneWayAnovaTest {

    @Test
    void unequalGroupsByHand() {
        // Groups {1, 2, 3}, {4, 6}, {5}: n = 6, mean 3.5; SSW = 2 + 2 + 0 = 4 on 3 df, MSW = 4/3;
        // SSB = 3 (1.5)^2 + 2 (1.5)^2 + (1.5)^2 = 13.5 on 2 df, MSB = 6.75 (R: anova(lm(v ~ g)) gives
        // the same mean squares); n0 = (6 - 14/6) / 2 = 11/6; s2u = (6.75 - 4/3) / (11/6) = 65/22.
        OneWayAnova a = OneWayAnova.of(3, 6, 21, 91, 36.0 / 3 + 100.0 / 2 + 25, 9 + 4 + 1);
        assertEquals(3.5, a.mean(), 1e-15);
        assertEquals(4.0 / 3, a.within(), 1e-14);
        assertEquals(65.0 / 22, a.between(), 1e-14);
    }

    @Test
    void aNegativeEstimateIsTruncatedAtZero() {
        // Groups {1, 3} and {1, 3}: MSW = 2, MSB = 0, so (MSB - MSW) / n0 < 0 becomes 0.
        OneWayAnova a = OneWayAnova.of(2, 4, 8, 20, 8 + 8, 8);
        assertEquals(2, a.within(), 1e-15);
        assertEquals(0, a.between(), 0);
    }

    @Test
    void tooFewGroupsOrValuesGiveNoComponents() {
        assertTrue(Double.isNaN(OneWayAnova.of(1, 5, 10, 30, 20, 25).between()));
        assertTrue(Double.isNaN(OneWayAnova.of(3, 3, 6, 14, 14, 3).within()), "one value per group");
    }
}
