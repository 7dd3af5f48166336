package dev.empathy.sample;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The realised effect of empathy training on the treated, counted while the generator writes the
 * contacts: for each contact of an agent trained during the period, from the ISO week of the
 * training on, the outcome as drawn minus the outcome the same random draws give without
 * training (no training boost to latent empathy, hence possibly another documented-empathy
 * decision from the same uniform draw, and no direct lift of the customer's sentiment slope).
 * Contacts of that week before the training instant count with an effect of 0: the training
 * week is event time 0, as the {@code training} job reads it. These are the values the job's
 * average effect on the treated must find, up to its weighting (it averages agent-weeks, this
 * averages contacts). Part of {@code truth.json}'s {@code training} key; one accumulator per
 * slice, {@link #combine} merges them.
 */
final class TrainingTruth {

    private static final int ALL = 0;
    private static final int GIVEN = 1;
    private static final String[] SUBSETS = {"all_conversations", "sentiment_given"};

    private long contacts;
    /** Scored contacts, and the sum of their empathy effects in tenths of a point (scores are rounded to 0.1). */
    private long scored;
    private long empathyTenths;
    /** Answered surveys, and the sum of the effects on expected CSAT (mu, clamped). */
    private long answered;
    private double csatEffect;
    /** [subset]: conversations, and the sum of their shift effects in thousandths (sentiments are rounded to 0.001). */
    private final long[] conversations = new long[2];
    private final long[] shiftThousandths = new long[2];
    /** [subset][0 as drawn, 1 without training]: conversations opening hostile, and of them ending cooperative. */
    private final long[][] openingHostile = new long[2][2];
    private final long[][] endingCooperative = new long[2][2];

    /** The ISO week of an instant as a consecutive index: weeks since Monday 1970-01-05 (UTC). */
    static int isoWeekIndex(Instant t) {
        long epochDay = Math.floorDiv(t.getEpochSecond(), 86_400L);
        return (int) Math.floorDiv(epochDay - 4, 7);
    }

    /** A contact in the agent's training week or after. */
    void contact() {
        contacts++;
    }

    /** A QA-scored contact: its score as drawn and without training. */
    void scored(double empathy, double untrainedEmpathy) {
        scored++;
        empathyTenths += Math.round(empathy * 10) - Math.round(untrainedEmpathy * 10);
    }

    /** An answered survey: the clamped expected CSAT as drawn and without training. */
    void answered(double mu, double untrainedMu) {
        answered++;
        csatEffect += mu - untrainedMu;
    }

    /**
     * A conversation: its shift (last minus first customer sentiment, as written) as drawn and
     * without training, and the tones of its first and last clear customer lines in both worlds
     * (null without a clear line).
     */
    void conversation(boolean sentimentGiven, double shift, double untrainedShift, Phrases.Tone first,
                      Phrases.Tone last, Phrases.Tone untrainedFirst, Phrases.Tone untrainedLast) {
        long effect = Math.round(shift * 1000) - Math.round(untrainedShift * 1000);
        for (int s = ALL; s <= (sentimentGiven ? GIVEN : ALL); s++) {
            conversations[s]++;
            shiftThousandths[s] += effect;
            if (first == Phrases.Tone.HOSTILE) {
                openingHostile[s][0]++;
                endingCooperative[s][0] += last == Phrases.Tone.COOPERATIVE ? 1 : 0;
            }
            if (untrainedFirst == Phrases.Tone.HOSTILE) {
                openingHostile[s][1]++;
                endingCooperative[s][1] += untrainedLast == Phrases.Tone.COOPERATIVE ? 1 : 0;
            }
        }
    }

    /** Adds another slice's counts to these; returns this. */
    TrainingTruth combine(TrainingTruth o) {
        contacts += o.contacts;
        scored += o.scored;
        empathyTenths += o.empathyTenths;
        answered += o.answered;
        csatEffect += o.csatEffect;
        for (int s = 0; s < 2; s++) {
            conversations[s] += o.conversations[s];
            shiftThousandths[s] += o.shiftThousandths[s];
            for (int w = 0; w < 2; w++) {
                openingHostile[s][w] += o.openingHostile[s][w];
                endingCooperative[s][w] += o.endingCooperative[s][w];
            }
        }
        return this;
    }

    /** The {@code effect_on_the_treated} entry of truth.json's {@code training}; docs/generator.md describes it. */
    Map<String, Object> toTruth() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("definition", "mean over the contacts of agents trained during the period, from the ISO week of their "
                + "training on, of the outcome as drawn minus the outcome the same random draws give without "
                + "training (contacts of the training week before the training instant count with 0)");
        t.put("contacts", contacts);
        t.put("empathy_score", map("scored_contacts", scored, "effect", mean(empathyTenths / 10.0, scored)));
        t.put("csat", map("answered_contacts", answered, "effect", mean(csatEffect, answered),
                "how", "expected CSAT: mu clamped to [1.05, 4.95], whose mean the answers have exactly"));
        Map<String, Object> shift = new LinkedHashMap<>();
        Map<String, Object> turnaround = new LinkedHashMap<>();
        for (int s = 0; s < 2; s++) {
            shift.put(SUBSETS[s], map("conversations", conversations[s],
                    "effect", mean(shiftThousandths[s] / 1000.0, conversations[s])));
            Double drawn = share(endingCooperative[s][0], openingHostile[s][0]);
            Double untrained = share(endingCooperative[s][1], openingHostile[s][1]);
            turnaround.put(SUBSETS[s], map("opening_hostile", openingHostile[s][0],
                    "share", drawn, "opening_hostile_without_training", openingHostile[s][1],
                    "share_without_training", untrained,
                    "effect", drawn == null || untrained == null ? null : drawn - untrained));
        }
        shift.put("definition", "last minus first customer sentiment as the sentiment column carries it "
                + "(latent, rounded to 0.001); sentiment_given: the conversations whose column is filled");
        t.put("sentiment_shift", shift);
        turnaround.put("definition", "share of the conversations whose first clear customer line is hostile that "
                + "end on a cooperative one (planted tones), as drawn minus without training, each among its own "
                + "conversations opening hostile");
        t.put("hostile_to_cooperative", turnaround);
        return t;
    }

    private static Double mean(double sum, long n) {
        return n == 0 ? null : sum / n;
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
