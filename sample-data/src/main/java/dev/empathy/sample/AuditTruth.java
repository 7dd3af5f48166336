package dev.empathy.sample;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the quarterly audit's plants did, counted while the contacts and conversations were
 * written (docs/generator.md, "Audit"): the QA score of the dropped cell as written and as the
 * same draws give it without the drop, the rest of the organisation in the same quarter, the
 * small region's cell sizes, public posts' first responses by region, the empathy lines opted-out
 * customers met, and the stock-phrase agents' conversations. Scores are counted in tenths of a
 * point (every score is rounded to 0.1), so the means are exact. One accumulator per slice,
 * {@link #combine} merges them in slice order; truth.json's {@code audit} key.
 */
final class AuditTruth {

    private static final int QUARTERS = 4;
    private static final int OPTED_OUT = 1;

    /** The dropped cell in the audited quarter: scored contacts, tenths as written and without the drop. */
    private long cellScored;
    private long cellTenths;
    private long cellTenthsWithoutDrop;
    /** Every other scored contact of the audited quarter. */
    private long restScored;
    private long restTenths;
    /**
     * The model's expected scores (before the contact's noise, the drop included) of the dropped
     * cell and of the rest, in millionths of a point, so that the sums do not depend on their order.
     */
    private long cellExpectedMillionths;
    private long restExpectedMillionths;
    /** The same cell and the rest in the quarter before. */
    private long previousCellScored;
    private long previousCellTenths;
    private long previousRestScored;
    private long previousRestTenths;

    /** The small region: customers, and contacts and scored contacts per quarter and channel. */
    private long smallCustomers;
    private final long[][] smallContacts = new long[QUARTERS][PlantedModel.CHANNELS.size()];
    private final long[][] smallScored = new long[QUARTERS][PlantedModel.CHANNELS.size()];

    /** Public posts by region: posts, sum of first response minutes, answered within each truth minute. */
    private final Map<String, double[]> publicPosts = new TreeMap<>();

    /** [0 others, 1 opted out]: contacts, documented, conversations, with an empathy line, agent turns, empathy lines, lines replaced. */
    private final long[][] optOut = new long[2][7];

    /** Per agent: conversations, English ones, those opening with the agent's stock phrase. */
    private final long[][] stock;

    AuditTruth(int agents) {
        stock = new long[agents][3];
    }

    /** The quarter (0..3) of an instant of the period. */
    private static int quarter(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        return Math.min(QUARTERS - 1, Math.max(0, (z.getMonthValue() - 1) / 3));
    }

    /** A customer of the small region. */
    void smallRegionCustomer() {
        smallCustomers++;
    }

    /**
     * A contact: its region, channel and start, whether it was scored with {@code score} (the
     * written score), {@code withoutDrop} (the same draws without the audit's drop) and
     * {@code expected} (the score the model expects before the contact's noise, the drop
     * included), whether the customer opted out, and whether empathy was documented.
     */
    void contact(String region, String channel, Instant startedAt, boolean scored, double score, double withoutDrop,
                 double expected, boolean optedOut, boolean documented) {
        long[] o = optOut[optedOut ? OPTED_OUT : 0];
        o[0]++;
        o[1] += documented ? 1 : 0;
        if (PlantedModel.SMALL_REGION_COUNTRY.region().equals(region)) {
            int q = quarter(startedAt);
            int c = PlantedModel.CHANNELS.indexOf(channel);
            smallContacts[q][c]++;
            smallScored[q][c] += scored ? 1 : 0;
        }
        if (!scored) {
            return;
        }
        boolean cell = PlantedModel.AUDIT_DROP_REGION.equals(region) && PlantedModel.AUDIT_DROP_CHANNEL.equals(channel);
        long tenths = Math.round(score * 10);
        if (!startedAt.isBefore(PlantedModel.AUDIT_DROP_FROM) && startedAt.isBefore(PlantedModel.AUDIT_DROP_UNTIL)) {
            if (cell) {
                cellScored++;
                cellTenths += tenths;
                cellTenthsWithoutDrop += Math.round(withoutDrop * 10);
                cellExpectedMillionths += Math.round(expected * 1e6);
            } else {
                restScored++;
                restTenths += tenths;
                restExpectedMillionths += Math.round(expected * 1e6);
            }
        } else if (!startedAt.isBefore(PlantedModel.AUDIT_PREVIOUS_FROM) && startedAt.isBefore(PlantedModel.AUDIT_DROP_FROM)) {
            if (cell) {
                previousCellScored++;
                previousCellTenths += tenths;
            } else {
                previousRestScored++;
                previousRestTenths += tenths;
            }
        }
    }

    /** A public post (is_public) of a customer of {@code region}, first answered after {@code minutes}. */
    void publicPost(String region, double minutes) {
        List<Integer> limits = PlantedModel.PUBLIC_RESPONSE_TRUTH_MINUTES;
        double[] p = publicPosts.computeIfAbsent(region, k -> new double[2 + limits.size()]);
        p[0]++;
        p[1] += minutes;
        for (int i = 0; i < limits.size(); i++) {
            p[2 + i] += minutes <= limits.get(i) ? 1 : 0;
        }
    }

    /**
     * A conversation as written: the customer opted out or not, its agent turns, how many of them
     * were empathetic, scripted or stock lines, and how many such lines the opt-out turned plain.
     */
    void conversation(boolean optedOut, int agentTurns, int empathyLines, int replaced) {
        long[] o = optOut[optedOut ? OPTED_OUT : 0];
        o[2]++;
        o[3] += empathyLines > 0 ? 1 : 0;
        o[4] += agentTurns;
        o[5] += empathyLines;
        o[6] += replaced;
    }

    /** A conversation of agent {@code agent}: English or not, opened with the agent's stock phrase or not. */
    void agentConversation(int agent, boolean english, boolean stockPhrase) {
        stock[agent][0]++;
        stock[agent][1] += english ? 1 : 0;
        stock[agent][2] += stockPhrase ? 1 : 0;
    }

    AuditTruth combine(AuditTruth o) {
        cellScored += o.cellScored;
        cellTenths += o.cellTenths;
        cellTenthsWithoutDrop += o.cellTenthsWithoutDrop;
        restScored += o.restScored;
        restTenths += o.restTenths;
        cellExpectedMillionths += o.cellExpectedMillionths;
        restExpectedMillionths += o.restExpectedMillionths;
        previousCellScored += o.previousCellScored;
        previousCellTenths += o.previousCellTenths;
        previousRestScored += o.previousRestScored;
        previousRestTenths += o.previousRestTenths;
        smallCustomers += o.smallCustomers;
        for (int q = 0; q < QUARTERS; q++) {
            for (int c = 0; c < smallContacts[q].length; c++) {
                smallContacts[q][c] += o.smallContacts[q][c];
                smallScored[q][c] += o.smallScored[q][c];
            }
        }
        o.publicPosts.forEach((region, p) -> {
            double[] mine = publicPosts.computeIfAbsent(region, k -> new double[p.length]);
            for (int i = 0; i < p.length; i++) {
                mine[i] += p[i];
            }
        });
        for (int g = 0; g < 2; g++) {
            for (int k = 0; k < optOut[g].length; k++) {
                optOut[g][k] += o.optOut[g][k];
            }
        }
        for (int a = 0; a < stock.length; a++) {
            for (int k = 0; k < 3; k++) {
                stock[a][k] += o.stock[a][k];
            }
        }
        return this;
    }

    /** truth.json's {@code audit}; docs/generator.md describes every key. */
    Map<String, Object> toTruth(Workforce workforce) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("dropped_cell", droppedCell());
        t.put("small_region", smallRegion());
        t.put("public_posts", publicPosts());
        t.put("opt_out", optOut());
        t.put("stock_phrases", stockPhrases(workforce));
        return t;
    }

    private Map<String, Object> droppedCell() {
        Double mean = mean(cellTenths, cellScored);
        Double without = mean(cellTenthsWithoutDrop, cellScored);
        Double rest = mean(restTenths, restScored);
        Double previous = mean(previousCellTenths, previousCellScored);
        Double previousRest = mean(previousRestTenths, previousRestScored);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mechanism", "every QA empathy_score of a contact of a customer in region whose channel is channel and "
                + "whose started_at lies in quarter (UTC) is planted_drop_points lower than the same draws give "
                + "without the plant (clamped at 0, rounded to 0.1), and so are its QA ratings; nothing else of the "
                + "contact changes (latent empathy, documented empathy, CSAT, follow-ups and churn are as without "
                + "the plant)");
        m.put("quarter", PlantedModel.AUDIT_DROP_QUARTER);
        m.put("region", PlantedModel.AUDIT_DROP_REGION);
        m.put("channel", PlantedModel.AUDIT_DROP_CHANNEL);
        m.put("planted_drop_points", -PlantedModel.AUDIT_DROP_POINTS);
        m.put("scored_contacts", cellScored);
        m.put("mean_score", mean);
        m.put("mean_score_without_drop", without);
        m.put("realised_drop", mean == null ? null : mean - without);
        m.put("rest_of_organisation", map("scored_contacts", restScored, "mean_score", rest,
                "definition", "every other scored contact of the quarter (all other regions and channels)"));
        m.put("difference_vs_rest", mean == null || rest == null ? null : mean - rest);
        m.put("difference_vs_rest_without_drop", without == null || rest == null ? null : without - rest);
        Double cellExpected = cellScored == 0 ? null : cellExpectedMillionths / 1e6 / cellScored;
        Double restExpected = restScored == 0 ? null : restExpectedMillionths / 1e6 / restScored;
        m.put("expected_difference_vs_rest", cellExpected == null || restExpected == null ? null
                : cellExpected - restExpected);
        m.put("expected_difference_vs_rest_definition", "the cell's mean minus the rest's of the score the model "
                + "expects for each scored contact before its noise (the planted drop included; clamping and "
                + "rounding aside): the planted drop as a difference from the rest of the organisation, what "
                + "diff_vs_rest estimates");
        m.put("previous_quarter", map("quarter", PlantedModel.AUDIT_PREVIOUS_QUARTER,
                "scored_contacts", previousCellScored, "mean_score", previous,
                "rest_scored_contacts", previousRestScored, "rest_mean_score", previousRest,
                "difference_vs_rest", previous == null || previousRest == null ? null : previous - previousRest));
        m.put("change_from_previous_quarter", mean == null || previous == null ? null : mean - previous);
        return m;
    }

    private Map<String, Object> smallRegion() {
        Map<String, Object> byQuarter = new LinkedHashMap<>();
        long largest = 0;
        long largestRegionQuarter = 0;
        for (int q = 0; q < QUARTERS; q++) {
            Map<String, Object> channels = new LinkedHashMap<>();
            long contacts = 0;
            long scored = 0;
            for (int c = 0; c < PlantedModel.CHANNELS.size(); c++) {
                channels.put(PlantedModel.CHANNELS.get(c), map("contacts", smallContacts[q][c],
                        "scored", smallScored[q][c]));
                contacts += smallContacts[q][c];
                scored += smallScored[q][c];
                largest = Math.max(largest, smallScored[q][c]);
            }
            largestRegionQuarter = Math.max(largestRegionQuarter, scored);
            byQuarter.put(String.format(Locale.ROOT, "2025Q%d", q + 1),
                    map("contacts", contacts, "scored", scored, "by_channel", channels));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mechanism", "of the customers drawn in from_country, a share share_of_from_country live in country "
                + "(region region) instead, by a draw of a stream of its own (one per customer); language, CSAT term and personal "
                + "data formats stay those of from_country");
        m.put("region", PlantedModel.SMALL_REGION_COUNTRY.region());
        m.put("country", PlantedModel.SMALL_REGION_COUNTRY.code());
        m.put("from_country", PlantedModel.SMALL_REGION_FROM_COUNTRY);
        m.put("share_of_from_country", PlantedModel.SMALL_REGION_SHARE_OF_FROM);
        m.put("customers", smallCustomers);
        m.put("by_quarter", byQuarter);
        m.put("audit_min_scored", PlantedModel.AUDIT_MIN_SCORED);
        m.put("largest_scored_region_channel_quarter_cell", largest);
        m.put("largest_scored_region_quarter", largestRegionQuarter);
        return m;
    }

    private Map<String, Object> publicPosts() {
        List<Integer> limits = PlantedModel.PUBLIC_RESPONSE_TRUTH_MINUTES;
        Map<String, Object> byRegion = new LinkedHashMap<>();
        publicPosts.forEach((region, p) -> {
            Map<String, Object> within = new LinkedHashMap<>();
            for (int i = 0; i < limits.size(); i++) {
                within.put(String.valueOf(limits.get(i)), map("posts", (long) p[2 + i], "share", p[2 + i] / p[0]));
            }
            byRegion.put(region, map("posts", (long) p[0], "mean_first_response_minutes", p[1] / p[0],
                    "planted_mean_factor", PlantedModel.PUBLIC_RESPONSE_REGION_FACTOR.getOrDefault(region, 1.0),
                    "answered_within_minutes", within));
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mechanism", "a social contact is public (is_public) with probability public_share_of_social, with "
                + "audience_reach log-normal (median 250, log-sd 1.6); first_response_minutes is exponential with "
                + "mean social_mean_minutes, times outsourced_factor for outsourced agents and, for public posts, "
                + "times the region's planted_mean_factor (1 elsewhere), rounded to 0.1");
        m.put("public_share_of_social", PlantedModel.PUBLIC_SOCIAL_SHARE);
        m.put("social_mean_minutes", PlantedModel.FIRST_RESPONSE_MEAN_MINUTES.get("social"));
        m.put("outsourced_factor", PlantedModel.OUTSOURCED_SOCIAL_RESPONSE_FACTOR);
        m.put("by_region", byRegion);
        m.put("moved_to_private", "not planted: follow-ups come 0.25 to 7 days later on the same channel half the "
                + "time, so any move within 24 hours is by chance");
        return m;
    }

    private Map<String, Object> optOut() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mechanism", "in a conversation of a customer with emotional_opt_out, each agent line that would be "
                + "empathetic (documented empathy's first reply), scripted or a stock phrase is kept with probability "
                + "empathy_line_kept and is otherwise a plain line (drawn from the plants' stream); documented "
                + "empathy, scores and every other table are as without the plant");
        m.put("empathy_line_kept", PlantedModel.OPT_OUT_EMPATHY_LINE_KEPT);
        m.put("customer_share", PlantedModel.OPT_OUT_SHARE);
        String[] groups = {"others", "opted_out"};
        for (int g = 0; g < 2; g++) {
            long[] o = optOut[g];
            m.put(groups[g], map("contacts", o[0], "documented", o[1], "documented_share", share(o[1], o[0]),
                    "conversations", o[2], "conversations_with_an_empathy_line", o[3],
                    "share_of_conversations_with_an_empathy_line", share(o[3], o[2]),
                    "agent_turns", o[4], "empathy_lines", o[5], "empathy_lines_made_plain", o[6]));
        }
        Double out = share(optOut[OPTED_OUT][3], optOut[OPTED_OUT][2]);
        Double others = share(optOut[0][3], optOut[0][2]);
        m.put("difference_in_share_of_conversations_with_an_empathy_line",
                out == null || others == null ? null : out - others);
        m.put("definition", "an empathy line is an agent turn written as empathetic, scripted or stock (the styles of "
                + "text.agent_turns_by_style), counted as written");
        return m;
    }

    private Map<String, Object> stockPhrases(Workforce workforce) {
        Map<String, Object> agents = new LinkedHashMap<>();
        for (int a = 0; a < workforce.agentCount; a++) {
            if (workforce.stockPhrase[a] == null) {
                continue;
            }
            agents.put(workforce.agentId[a], map("phrase", workforce.stockPhrase[a], "conversations", stock[a][0],
                    "english_conversations", stock[a][1], "conversations_with_the_phrase", stock[a][2]));
        }
        List<String> ids = new ArrayList<>(agents.keySet());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mechanism", "count agents (share_of_agents, at least " + PlantedModel.STOCK_PHRASE_AGENTS_MIN + ", drawn "
                + "from the seed) each keep one phrase of phrases; in an English conversation (language en) the "
                + "agent's first reply is that phrase with probability use_share (the plants' stream), else as "
                + "without the plant; each phrase holds one empathy_phrase pattern of the en codebook");
        m.put("share_of_agents", PlantedModel.STOCK_PHRASE_AGENT_SHARE);
        m.put("use_share", PlantedModel.STOCK_PHRASE_USE);
        m.put("phrases", PlantedModel.STOCK_PHRASES);
        m.put("count", ids.size());
        m.put("agent_ids", ids);
        m.put("agents", agents);
        return m;
    }

    private static Double mean(long tenths, long n) {
        return n == 0 ? null : tenths / 10.0 / n;
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
