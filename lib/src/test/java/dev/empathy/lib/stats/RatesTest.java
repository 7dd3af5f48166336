package dev.empathy.lib.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Rates and correlation intervals against R 4.2.2 (the calls are quoted). */
class RatesTest {

    @Test
    void poissonRateMatchesRsPoissonTest() {
        // R: poisson.test(137, 24.19893) -> rate 5.66140734321724, 95% CI 4.75312480484875 6.69270933417607
        Proportions.Interval i = Rates.poisson(137, 24.19893, 0.95);
        assertEquals(5.66140734321724, i.estimate(), 1e-12);
        assertEquals(4.75312480484875, i.low(), 1e-9);
        assertEquals(6.69270933417607, i.high(), 1e-9);
        // R: poisson.test(0, 10)$conf.int -> 0 0.368887945411394
        Proportions.Interval none = Rates.poisson(0, 10, 0.95);
        assertEquals(0, none.low());
        assertEquals(0.368887945411394, none.high(), 1e-9);
    }

    @Test
    void pearsonIntervalMatchesRsCorTest() {
        // R: cor.test(mtcars$mpg, mtcars$wt) -> cor -0.867659376517228, 95% CI -0.933826413284994 -0.744087196460113
        Proportions.Interval i = Rates.correlation(-0.867659376517228, 32, 1, 0.95);
        assertEquals(-0.933826413284994, i.low(), 1e-12);
        assertEquals(-0.744087196460113, i.high(), 1e-12);
    }

    @Test
    void spearmanIntervalIsWiderBySqrtOf106OnTheFisherScale() {
        // By hand: atanh(0.5) = 0.549306; +- 1.959964 sqrt(1.06 / 97) = 0.204887 -> tanh: 0.331417, 0.637644
        Proportions.Interval i = Rates.correlation(0.5, 100, Rates.SPEARMAN_FACTOR, 0.95);
        assertEquals(Math.tanh(0.5493061443340549 - 1.959963984540054 * Math.sqrt(1.06 / 97)), i.low(), 1e-12);
        assertEquals(0.331417, i.low(), 1e-6);
        assertEquals(0.637644, i.high(), 1e-6);
    }
}
