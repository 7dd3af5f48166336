package dev.empathy.lib.did;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.lib.regression.Estimate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two-way fixed effects from cell sums against R's observation-level {@code lm} with
 * {@code sandwich::vcovCL}, Goodman-Bacon's wrong-sign example, and the designs where the
 * treatment coefficient is not identified.
 */
class TwoWayFixedEffectsTest {

    private static List<TwoWayFixedEffects.Cell> referenceCells() {
        List<TwoWayFixedEffects.Cell> cells = new ArrayList<>();
        for (Object[] c : CallawaySantAnnaTest.REFERENCE_CELLS) {
            String unit = (String) c[0];
            int period = (Integer) c[1];
            Integer first = CallawaySantAnnaTest.REFERENCE_FIRST.get(unit);
            cells.add(new TwoWayFixedEffects.Cell(unit, period, ((Number) c[2]).longValue(), (Double) c[3],
                    first != null && period >= first));
        }
        return cells;
    }

    /**
     * The panel of {@code cs_reference.py} (the always-treated unit u11 included, treated
     * throughout), expanded by {@code twfe_reference.R} into 215 observations scattered around
     * their cell means: R 4.2.2, {@code lm(y ~ trained + factor(period) + factor(unit))}, CR1 by
     * unit as {@code vcovCL(type = "HC0", cadjust = TRUE)} times {@code (N - 1) / (N - K)} with K =
     * 6 (trained and five period dummies), t with 11 degrees of freedom: "N 215 G 12 beta
     * 1.7638748630602108 se 0.62789918826289637 low 0.38187806765998977 high 3.1458716584604316 p
     * 0.016993757718298568".
     */
    @Test
    void matchesRsObservationLevelFitWithClusteredErrors() {
        TwoWayFixedEffects.Fit fit = TwoWayFixedEffects.fit(referenceCells(), 0.95);
        Estimate e = fit.estimate();
        assertEquals(1.7638748630602108, e.estimate(), 1e-12);
        assertEquals(0.62789918826289637, e.stdError(), 1e-12);
        assertEquals(0.38187806765998977, e.ciLow(), 1e-11);
        assertEquals(3.1458716584604316, e.ciHigh(), 1e-11);
        assertEquals(0.016993757718298568, e.pValue(), 1e-10);
        assertEquals(215, fit.n());
        assertEquals(12, fit.clusters());
        assertEquals(6, fit.periods());
    }

    /**
     * Goodman-Bacon (2021): early unit treated in 2 (effects 1, 4), late unit in 3 (effect 1), no
     * never-treated unit. By hand, the two comparisons weigh alike: (1 + (1 - 0 - (4 - 1))) / 2 =
     * -0.5; R 4.2.2 {@code lm(y ~ d + factor(i) + factor(t))} on the six rows gives
     * -0.50000000000000167. With two clusters and six observations on four coefficients (K = 3:
     * trained, two period dummies), the interval exists but is wide.
     */
    @Test
    void hasTheWrongSignWhenEffectsGrowAndAlreadyTreatedUnitsAreControls() {
        List<TwoWayFixedEffects.Cell> cells = List.of(
                new TwoWayFixedEffects.Cell("early", 1, 1, 10.0, false),
                new TwoWayFixedEffects.Cell("early", 2, 1, 11.5, true),
                new TwoWayFixedEffects.Cell("early", 3, 1, 15.0, true),
                new TwoWayFixedEffects.Cell("late", 1, 1, 20.0, false),
                new TwoWayFixedEffects.Cell("late", 2, 1, 20.5, false),
                new TwoWayFixedEffects.Cell("late", 3, 1, 22.0, true));
        TwoWayFixedEffects.Fit fit = TwoWayFixedEffects.fit(cells, 0.95);
        assertEquals(-0.5, fit.estimate().estimate(), 1e-12);
        assertEquals(6, fit.n());
    }

    @Test
    void aTreatmentThatIsAPeriodEffectOrConstantIsNotEstimated() {
        // Everybody treated from period 2: the treatment is the period effects.
        List<TwoWayFixedEffects.Cell> same = new ArrayList<>();
        for (String u : List.of("a", "b", "c")) {
            for (int t = 1; t <= 3; t++) {
                same.add(new TwoWayFixedEffects.Cell(u, t, 2, t + u.charAt(0), t >= 2));
            }
        }
        TwoWayFixedEffects.Fit fit = TwoWayFixedEffects.fit(same, 0.95);
        assertTrue(Double.isNaN(fit.estimate().estimate()));
        assertTrue(fit.note().startsWith("the treatment does not vary"), fit.note());
        // Nobody treated.
        List<TwoWayFixedEffects.Cell> none = same.stream()
                .map(c -> new TwoWayFixedEffects.Cell(c.unit(), c.period(), c.count(), c.sum(), false)).toList();
        assertTrue(Double.isNaN(TwoWayFixedEffects.fit(none, 0.95).estimate().estimate()));
        // No observations; one unit.
        assertEquals("no observations", TwoWayFixedEffects.fit(List.of(), 0.95).note());
        TwoWayFixedEffects.Fit one = TwoWayFixedEffects.fit(List.of(
                new TwoWayFixedEffects.Cell("a", 1, 3, 3.0, false), new TwoWayFixedEffects.Cell("a", 2, 3, 9.0, true),
                new TwoWayFixedEffects.Cell("b", 1, 3, 3.0, false), new TwoWayFixedEffects.Cell("b", 2, 3, 6.0, false)),
                0.95);
        assertEquals(1.0, one.estimate().estimate(), 1e-12, "(3 - 1) - (2 - 1) by hand");
        assertEquals(2, one.clusters());
    }
}
