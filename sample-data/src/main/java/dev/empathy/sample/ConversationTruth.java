package dev.empathy.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the generator planted in the conversations, counted while it writes them: the {@code text}
 * part of {@code truth.json}. The jobs read the same rows, so these are the values they must find,
 * not expectations with a sampling error. One accumulator per slice; {@link #combine} merges them.
 *
 * <p>Sentiments are counted as the {@code sentiment} column carries them (rounded to 0.001), for
 * every conversation ({@code all_conversations}) and for those whose column is filled
 * ({@code sentiment_given}): on the latter a job that reads the column must reproduce the figures
 * up to floating-point summation order.
 */
final class ConversationTruth {

    /** Empathy-score bands as the repeat-contacts job draws them. */
    static final List<String> BANDS = List.of("not scored", "00-49", "50-59", "60-69", "70-79", "80-100");
    private static final double[] BAND_EDGES = {50, 60, 70, 80};

    private static final int ALL = 0;
    private static final int GIVEN = 1;
    private static final String[] SUBSETS = {"all_conversations", "sentiment_given"};

    private final Map<String, Long> conversationsByLanguage = new TreeMap<>();
    private final long[] customerTurnsByTone = new long[Phrases.Tone.values().length];
    private final long[] agentTurnsByStyle = new long[Phrases.AgentStyle.values().length];
    private long stockTurns;
    private final long[] personalData = new long[PersonalData.Kind.values().length];
    private long customerTurnsWithSentiment;

    /** [subset][documented]: conversations, sum of (last - first) in thousandths, sum of slopes over position. */
    private final long[][] conversations = new long[2][2];
    private final long[][] shiftThousandths = new long[2][2];
    private final double[][] positionSlopeSum = new double[2][2];

    /** [subset]: X'X and X'y of shift ~ 1 + documented + empathy_score / 10 on scored conversations. */
    private final double[][] xtx = new double[2][9];
    private final double[][] xty = new double[2][3];

    /** [documented or band][0 = first customer turn hostile, 1 = of those, last customer turn cooperative]. */
    private final long[][] hostileStartByDocumented = new long[2][2];
    private final long[][] hostileStartByBand = new long[BANDS.size()][2];

    /** The slice's training truth, carried here so that it travels and merges with these counts. */
    private final TrainingTruth training = new TrainingTruth();

    TrainingTruth training() {
        return training;
    }

    void customerTurn(Phrases.Tone tone, boolean sentimentGiven) {
        customerTurnsByTone[tone.ordinal()]++;
        if (sentimentGiven) {
            customerTurnsWithSentiment++;
        }
    }

    void agentTurn(Phrases.AgentStyle style) {
        agentTurnsByStyle[style.ordinal()]++;
    }

    /** An agent turn that is a stock-phrase agent's stock phrase (the audit's plant). */
    void stockTurn() {
        stockTurns++;
    }

    void personalData(PersonalData.Kind kind) {
        personalData[kind.ordinal()]++;
    }

    /**
     * One conversation.
     *
     * @param sentiments   the customer's sentiment per exchange as written (rounded to 0.001), at least two
     * @param empathyScore the interaction's empathy_score, null when not scored
     */
    void conversation(String languageTag, boolean documented, Double empathyScore, boolean sentimentGiven,
                      double[] sentiments, Phrases.Tone first, Phrases.Tone last) {
        conversationsByLanguage.merge(languageTag, 1L, Long::sum);
        int n = sentiments.length;
        long shift = Math.round(sentiments[n - 1] * 1000) - Math.round(sentiments[0] * 1000);
        double positionSlope = positionSlope(sentiments);
        int d = documented ? 1 : 0;
        for (int subset = ALL; subset <= (sentimentGiven ? GIVEN : ALL); subset++) {
            conversations[subset][d]++;
            shiftThousandths[subset][d] += shift;
            positionSlopeSum[subset][d] += positionSlope;
            if (empathyScore != null) {
                double[] x = {1, d, empathyScore / 10};
                for (int i = 0; i < 3; i++) {
                    for (int k = 0; k < 3; k++) {
                        xtx[subset][3 * i + k] += x[i] * x[k];
                    }
                    xty[subset][i] += x[i] * shift / 1000.0;
                }
            }
        }
        if (first == Phrases.Tone.HOSTILE) {
            int ended = last == Phrases.Tone.COOPERATIVE ? 1 : 0;
            hostileStartByDocumented[d][0]++;
            hostileStartByDocumented[d][1] += ended;
            int band = band(empathyScore);
            hostileStartByBand[band][0]++;
            hostileStartByBand[band][1] += ended;
        }
    }

    /** Adds another slice's counts to these; returns this. */
    ConversationTruth combine(ConversationTruth o) {
        o.conversationsByLanguage.forEach((k, v) -> conversationsByLanguage.merge(k, v, Long::sum));
        add(customerTurnsByTone, o.customerTurnsByTone);
        add(agentTurnsByStyle, o.agentTurnsByStyle);
        stockTurns += o.stockTurns;
        add(personalData, o.personalData);
        customerTurnsWithSentiment += o.customerTurnsWithSentiment;
        for (int s = 0; s < 2; s++) {
            add(conversations[s], o.conversations[s]);
            add(shiftThousandths[s], o.shiftThousandths[s]);
            for (int d = 0; d < 2; d++) {
                positionSlopeSum[s][d] += o.positionSlopeSum[s][d];
            }
            for (int i = 0; i < 9; i++) {
                xtx[s][i] += o.xtx[s][i];
            }
            for (int i = 0; i < 3; i++) {
                xty[s][i] += o.xty[s][i];
            }
        }
        for (int d = 0; d < 2; d++) {
            add(hostileStartByDocumented[d], o.hostileStartByDocumented[d]);
        }
        for (int b = 0; b < BANDS.size(); b++) {
            add(hostileStartByBand[b], o.hostileStartByBand[b]);
        }
        training.combine(o.training);
        return this;
    }

    long customerTurnsWithPersonalData() {
        long sum = 0;
        for (long c : personalData) {
            sum += c;
        }
        return sum;
    }

    /** The {@code text} entry of truth.json; {@code docs/generator.md} describes every key. */
    Map<String, Object> toTruth() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("mechanism", "per conversation (own random stream): sentiment at exchange j = clamp(start + slope * j "
                + "+ noise + closing lift at the last exchange, -1, 1) rounded to 0.001, constants in the sentiment key; the customer's line has the "
                + "tone of that value (hostile below hostile_below, cooperative above cooperative_above, neutral "
                + "between) except that a share unclear_share of customer turns are too short to judge; the first "
                + "agent reply is empathetic when empathy is documented, a scripted agent's replies are stock "
                + "phrases with probability scripted_reply_share; then the audit's plants (the audit key): a "
                + "stock-phrase agent's first reply in English is their stock phrase (agent style stock), and with "
                + "an opted-out customer most empathetic, scripted and stock lines become plain");
        t.put("hostile_below", PlantedModel.HOSTILE_BELOW);
        t.put("cooperative_above", PlantedModel.COOPERATIVE_ABOVE);
        t.put("unclear_share", PlantedModel.UNCLEAR_SHARE);
        t.put("scripted_reply_share", PlantedModel.SCRIPTED_REPLY_SHARE);

        long all = conversations[ALL][0] + conversations[ALL][1];
        t.put("conversations", all);
        t.put("conversations_by_language", new TreeMap<>(conversationsByLanguage));
        t.put("planned_language_share", PlantedModel.languageShares());
        t.put("customer_turns_by_tone", byLabel(Phrases.Tone.values(), customerTurnsByTone));
        Map<String, Long> styles = byLabel(Phrases.AgentStyle.values(), agentTurnsByStyle);
        styles.put("stock", stockTurns);
        t.put("agent_turns_by_style", styles);

        long customerTurns = sum(customerTurnsByTone);
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("planned_share_of_conversations", PlantedModel.SENTIMENT_GIVEN_SHARE);
        given.put("conversations", conversations[GIVEN][0] + conversations[GIVEN][1]);
        given.put("customer_turns", customerTurnsWithSentiment);
        given.put("share_of_customer_turns", share(customerTurnsWithSentiment, customerTurns));
        t.put("sentiment_given", given);

        Map<String, Object> shift = new LinkedHashMap<>();
        shift.put("definition", "last minus first customer sentiment of a conversation (exchanges 0 and n-1)");
        for (int s = 0; s < 2; s++) {
            Map<String, Object> m = new LinkedHashMap<>();
            double documented = mean(shiftThousandths[s][1], conversations[s][1]) / 1000;
            double not = mean(shiftThousandths[s][0], conversations[s][0]) / 1000;
            m.put("documented", map("conversations", conversations[s][1], "mean", finite(documented)));
            m.put("not_documented", map("conversations", conversations[s][0], "mean", finite(not)));
            m.put("difference", finite(documented - not));
            m.put("regression_on_scored", regression(s));
            shift.put(SUBSETS[s], m);
        }
        double meanExchangesMinusOne = PlantedModel.EXCHANGES_MIN - 1 + PlantedModel.EXCHANGES_EXTRA_MEAN;
        shift.put("expected_without_clamping", map(
                "documented", meanExchangesMinusOne * PlantedModel.SENTIMENT_SLOPE_DOCUMENTED,
                "per_10_empathy_points", meanExchangesMinusOne * PlantedModel.SENTIMENT_SLOPE_PER_10_EMPATHY,
                "why", "E[shift] = E[n - 1] * slope + E[closing lift] with E[n - 1] = " + meanExchangesMinusOne
                        + " independent of empathy; clamping to [-1, 1] pulls the realised values below these, and the "
                        + "closing lift adds a little to the empathy term because both empathy and resolution depend on "
                        + "the contact reason"));
        t.put("shift", shift);

        Map<String, Object> slope = new LinkedHashMap<>();
        slope.put("definition", "per conversation, the least-squares slope of customer sentiment on its normalised "
                + "position j / (n - 1) among the customer turns (0 first, 1 last); mean by group");
        for (int s = 0; s < 2; s++) {
            slope.put(SUBSETS[s], map(
                    "documented", finite(mean(positionSlopeSum[s][1], conversations[s][1])),
                    "not_documented", finite(mean(positionSlopeSum[s][0], conversations[s][0]))));
        }
        t.put("slope_over_position", slope);

        Map<String, Object> turnaround = new LinkedHashMap<>();
        turnaround.put("definition", "conversations whose first customer turn is hostile, and the share of them "
                + "whose last customer turn is cooperative, by the planted tone of each line");
        turnaround.put("documented", rate(hostileStartByDocumented[1]));
        turnaround.put("not_documented", rate(hostileStartByDocumented[0]));
        Map<String, Object> byBand = new LinkedHashMap<>();
        for (int b = 0; b < BANDS.size(); b++) {
            byBand.put(BANDS.get(b), rate(hostileStartByBand[b]));
        }
        turnaround.put("by_empathy_band", byBand);
        t.put("hostile_start_ends_cooperative", turnaround);

        Map<String, Object> pii = new LinkedHashMap<>();
        pii.put("planned_share_of_customer_turns", PlantedModel.PERSONAL_DATA_SHARE);
        pii.put("customer_turns_with_personal_data", customerTurnsWithPersonalData());
        pii.put("items_by_kind", byLabel(PersonalData.Kind.values(), personalData));
        pii.put("fake_by_construction", "e-mail at example.com/.org/.net; phones in the fictional ranges "
                + "+1 NXX 555-0100..0199 and UK 07700 900000..900999; card numbers 13 to 19 digits with a valid "
                + "Luhn digit; IBANs with valid mod-97 check digits; one item per turn, after the customer's line");
        t.put("personal_data", pii);
        return t;
    }

    private Map<String, Object> regression(int s) {
        double[] a = xtx[s];
        double[] b = xty[s];
        double det = det3(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "shift ~ 1 + documented + empathy_score / 10, least squares, conversations with a score");
        m.put("conversations", Math.round(a[0]));
        if (Math.abs(det) < 1e-9) {
            m.put("note", "singular: too few scored conversations in one group");
            return m;
        }
        // Cramer's rule on the 3 x 3 normal equations.
        m.put("intercept", det3(b[0], a[1], a[2], b[1], a[4], a[5], b[2], a[7], a[8]) / det);
        m.put("documented", det3(a[0], b[0], a[2], a[3], b[1], a[5], a[6], b[2], a[8]) / det);
        m.put("per_10_empathy_points", det3(a[0], a[1], b[0], a[3], a[4], b[1], a[6], a[7], b[2]) / det);
        return m;
    }

    private static double det3(double a, double b, double c, double d, double e, double f, double g, double h, double i) {
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    }

    /**
     * Least-squares slope of s on j / (n - 1), j = 0..n-1: (n - 1) times the slope on j, whose
     * denominator sum (j - mean j)^2 is n (n^2 - 1) / 12.
     */
    static double positionSlope(double[] s) {
        int n = s.length;
        double meanJ = (n - 1) / 2.0;
        double num = 0;
        for (int j = 0; j < n; j++) {
            num += (j - meanJ) * s[j];
        }
        return (n - 1) * num / (n * ((double) n * n - 1) / 12.0);
    }

    static int band(Double empathyScore) {
        if (empathyScore == null) {
            return 0;
        }
        for (int i = 0; i < BAND_EDGES.length; i++) {
            if (empathyScore < BAND_EDGES[i]) {
                return i + 1;
            }
        }
        return BAND_EDGES.length + 1;
    }

    private static Map<String, Object> rate(long[] counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostile_start", counts[0]);
        m.put("ended_cooperative", counts[1]);
        m.put("share", share(counts[1], counts[0]));
        return m;
    }

    private static Map<String, Long> byLabel(Enum<?>[] keys, long[] counts) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Enum<?> k : keys) {
            m.put(k.name().toLowerCase(Locale.ROOT), counts[k.ordinal()]);
        }
        return m;
    }

    /** JSON has no NaN: an empty group's mean is null. */
    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static double mean(double sum, long n) {
        return n == 0 ? Double.NaN : sum / n;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
