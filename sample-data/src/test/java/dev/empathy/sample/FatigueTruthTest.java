package dev.empathy.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fatigue truth's estimand on five contacts of two agents, (after high, effect on the score):
 * agent 0 (0, 0), (1, -4), (1, -7); agent 1 (0, 0), (1, -4). R 4.2.2:
 * {@code e <- c(0, -4, -7, 0, -4); d <- c(0, 1, 1, 0, 1); a <- factor(c(0, 0, 0, 1, 1));
 * coef(lm(e ~ d + a))["d"]} is -4.8571428571428568 (= -34/7), while the contacts' mean penalty
 * after a high-empathy shift is (-4 - 7 - 4) / 3 = -5.
 */
class FatigueTruthTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outcome(FatigueTruth t, String name) {
        Map<String, Object> all = (Map<String, Object>) t.toTruth().get("after_high_empathy_shift");
        return (Map<String, Object>) all.get(name);
    }

    private static FatigueTruth fiveContacts() {
        FatigueTruth t = new FatigueTruth(2);
        t.contact(0, false, 0, 0, Double.NaN);
        t.contact(0, true, -4, -0.1, Double.NaN);
        t.contact(0, true, -7, -0.1, -0.2);
        t.contact(1, false, 0, 0, 0);
        t.contact(1, true, -4, -0.1, Double.NaN);
        return t;
    }

    @Test
    void theEstimandIsTheWithinAgentSlopeNotTheMeanPenalty() {
        Map<String, Object> score = outcome(fiveContacts(), "empathy_score");
        assertEquals(-4.8571428571428568, (double) score.get("within_agent_estimand"), 1e-14);
        assertEquals(-5.0, (double) score.get("mean_effect_after_high_empathy_shift"), 1e-14);
        assertEquals(5L, score.get("contacts"));
        assertEquals(3L, score.get("contacts_after_high_empathy_shift"));
        assertEquals(2L, score.get("agents_with_both"));
    }

    @Test
    void anOutcomeOnlyCountsItsOwnPopulationAndNeedsVariationWithinAnAgent() {
        // CSAT answered by agent 0's third contact (after high) and agent 1's first (not): no agent has both.
        Map<String, Object> csat = outcome(fiveContacts(), "csat");
        assertEquals(2L, csat.get("contacts"));
        assertNull(csat.get("within_agent_estimand"));
        assertEquals(0L, csat.get("agents_with_both"));
    }

    @Test
    void combiningSlicesEqualsOnePassOverTheirContacts() {
        FatigueTruth first = new FatigueTruth(2);
        first.contact(0, false, 0, 0, Double.NaN);
        first.contact(1, true, -4, -0.1, Double.NaN);
        FatigueTruth second = new FatigueTruth(2);
        second.contact(0, true, -4, -0.1, Double.NaN);
        second.contact(0, true, -7, -0.1, -0.2);
        second.contact(1, false, 0, 0, 0);
        second.outsideTheirShift();
        FatigueTruth combined = first.combine(second);
        assertEquals(outcome(fiveContacts(), "empathy_score"), outcome(combined, "empathy_score"));
        assertEquals(outcome(fiveContacts(), "empathy_documented"), outcome(combined, "empathy_documented"));
        assertEquals(1L, ((Map<?, ?>) combined.toTruth().get("after_high_empathy_shift"))
                .get("contacts_outside_their_shift_not_counted"));
    }
}
