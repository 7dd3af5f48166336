package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Against published examples and hand computations written out here. */
class ProportionsTest {

    @Test
    void wilsonMatchesNewcombesExampleAndRsPropTest() {
        // Newcombe (1998), Statistics in Medicine 17:857, example 81/263: Wilson score 0.2553 to 0.3662;
        // R: prop.test(81, 263, correct = FALSE)$conf.int gives the same.
        Proportions.Interval w = Proportions.wilson(81, 263, 0.95);
        assertEquals(81.0 / 263, w.estimate(), 1e-15);
        assertEquals(0.2553, w.low(), 5e-5);
        assertEquals(0.3662, w.high(), 5e-5);
        // 0 of 10: the interval starts at 0 and ends at z^2 / (n + z^2).
        double z = 1.959963984540054;
        assertEquals(z * z / (10 + z * z), Proportions.wilson(0, 10, 0.95).high(), 1e-12);
        assertEquals(0.0, Proportions.wilson(0, 10, 0.95).low(), 0);
    }

    @Test
    void newcombesHybridScoreDifferenceMatchesHisExample() {
        // Newcombe (1998), Statistics in Medicine 17:873, example 56/70 - 48/80: method 10, 0.0524 to 0.3339.
        Proportions.Interval d = Proportions.difference(56, 70, 48, 80, 0.95);
        assertEquals(0.2, d.estimate(), 1e-15);
        assertEquals(0.0524, d.low(), 5e-5);
        assertEquals(0.3339, d.high(), 5e-5);
    }

    @Test
    void theLogIntervalOfARatioByHand() {
        // 30/100 over 20/100: r = 1.5, se(log r) = sqrt(1/30 - 1/100 + 1/20 - 1/100) = sqrt(0.0633...)
        double se = Math.sqrt(1.0 / 30 - 0.01 + 1.0 / 20 - 0.01);
        Proportions.Interval r = Proportions.ratio(30, 100, 20, 100, 0.95);
        assertEquals(1.5, r.estimate(), 1e-15);
        assertEquals(1.5 * Math.exp(-1.959963984540054 * se), r.low(), 1e-12);
        assertEquals(1.5 * Math.exp(1.959963984540054 * se), r.high(), 1e-12);
    }
}
