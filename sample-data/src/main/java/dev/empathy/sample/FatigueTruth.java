package dev.empathy.sample;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the fatigue penalty did to the contacts, counted while they were made: the exact value a
 * within-agent regression of an outcome on "the agent's previous shift was high-empathy" must
 * find, so that a test compares the job's interval with it and not with a constant the design
 * mixes.
 *
 * <p>A contact's fatigue effect on an outcome is its value with the penalty minus its value
 * without it, the same draws otherwise: for the QA score the clamped, rounded latent empathy
 * ({@code e_i}, -4 or -7 points, or less near 0 and 100); for documented empathy the change in
 * its probability {@code logistic(-0.4 + 0.09 (empathy - 62))}; for CSAT the change in its
 * expected value {@code clamp(mu, 1.05, 4.95)}. With {@code d_i} = 1 when the agent's previous
 * shift (by start) was high-empathy, least squares with agent fixed effects estimates
 *
 * <pre>
 *   beta = sum_a sum_i (d_i - dbar_a) e_i / sum_a sum_i (d_i - dbar_a)^2
 *        = sum_a (S_de - S_d S_e / n) / sum_a (S_d - S_d^2 / n)     (d_i^2 = d_i)
 * </pre>
 *
 * plus noise with mean zero (the other draws do not depend on the previous shift's queue),
 * where the sums run over agent a's contacts of the outcome's population: scored contacts for the
 * score, all contacts for documented empathy, answered ones for CSAT; in each case contacts in a
 * shift that has a previous shift of the same agent and whose {@code started_at} lies in
 * {@code [start_at, end_at)} of their shift (rounding to the second can put one on its end).
 * The weights are the agents' variance of {@code d}: agents of the high-empathy team, who switch
 * queues more, count more, so beta is not the contacts' mean penalty (also written).
 *
 * <p>Accumulated per slice of customers and combined in slice order, so the sums do not depend on
 * the number of threads.
 */
final class FatigueTruth {

    /** The outcomes, as the fatigue job names them. */
    static final String[] OUTCOMES = {"empathy_score", "empathy_documented", "csat"};

    /** Per outcome and agent: n, sum d, sum e, sum d e. */
    private final double[][][] sums;
    private long outsideTheirShift;

    FatigueTruth(int agents) {
        sums = new double[OUTCOMES.length][agents][4];
    }

    /** A contact outside its own shift's [start, end) once rounded to the second: not counted. */
    void outsideTheirShift() {
        outsideTheirShift++;
    }

    /**
     * One contact in a shift with a previous one.
     *
     * @param effects the fatigue effect on each outcome of {@link #OUTCOMES}, NaN where the contact
     *                is not in the outcome's population (not scored, not answered)
     */
    void contact(int agent, boolean afterHigh, double... effects) {
        double d = afterHigh ? 1 : 0;
        for (int o = 0; o < OUTCOMES.length; o++) {
            double e = effects[o];
            if (Double.isNaN(e)) {
                continue;
            }
            double[] s = sums[o][agent];
            s[0] += 1;
            s[1] += d;
            s[2] += e;
            s[3] += d * e;
        }
    }

    /** This and {@code other} together; this one is updated and returned. */
    FatigueTruth combine(FatigueTruth other) {
        for (int o = 0; o < sums.length; o++) {
            for (int a = 0; a < sums[o].length; a++) {
                for (int k = 0; k < 4; k++) {
                    sums[o][a][k] += other.sums[o][a][k];
                }
            }
        }
        outsideTheirShift += other.outsideTheirShift;
        return this;
    }

    /** The keys added to {@code truth.json}'s {@code fatigue}. */
    Map<String, Object> toTruth() {
        Map<String, Object> byOutcome = new LinkedHashMap<>();
        byOutcome.put("definition", "least squares of the outcome on after_high_empathy_shift (1 when the agent's "
                + "previous shift by start_at was high_empathy) with agent fixed effects estimates "
                + "sum_a sum_i (d_i - mean_a d) e_i / sum_a sum_i (d_i - mean_a d)^2, e_i = the contact's outcome "
                + "with the fatigue penalty minus without it (clamped, rounded score; probability of documented "
                + "empathy; expected CSAT); over contacts in a shift that has a previous shift: scored ones for "
                + "empathy_score, all for empathy_documented, answered ones for csat");
        byOutcome.put("contacts_outside_their_shift_not_counted", outsideTheirShift);
        for (int o = 0; o < OUTCOMES.length; o++) {
            double numerator = 0;
            double denominator = 0;
            long contacts = 0;
            long afterHigh = 0;
            double effectAfterHigh = 0;
            long agentsWithBoth = 0;
            for (double[] s : sums[o]) {
                if (s[0] == 0) {
                    continue;
                }
                contacts += (long) s[0];
                afterHigh += (long) s[1];
                effectAfterHigh += s[3];
                numerator += s[3] - s[1] * s[2] / s[0];
                denominator += s[1] - s[1] * s[1] / s[0];
                if (s[1] > 0 && s[1] < s[0]) {
                    agentsWithBoth++;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("within_agent_estimand", denominator > 0 ? numerator / denominator : null);
            m.put("contacts", contacts);
            m.put("contacts_after_high_empathy_shift", afterHigh);
            m.put("agents_with_both", agentsWithBoth);
            m.put("mean_effect_after_high_empathy_shift", afterHigh > 0 ? effectAfterHigh / afterHigh : null);
            byOutcome.put(OUTCOMES[o], m);
        }
        return Map.of("after_high_empathy_shift", byOutcome);
    }
}
