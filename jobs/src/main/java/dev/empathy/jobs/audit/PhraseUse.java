package dev.empathy.jobs.audit;

import static dev.empathy.jobs.spark.Deterministic.exactSum;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.audit.Audit.AgentPhrasing;
import dev.empathy.jobs.audit.Audit.Gain;
import dev.empathy.jobs.audit.Audit.TeamPhrases;
import dev.empathy.jobs.text.AgentPhrases;
import dev.empathy.jobs.text.ConversationFacts;
import dev.empathy.lib.stats.ClusteredDifference;
import dev.empathy.lib.text.Codebooks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The agents' empathy phrases and the customers' sentiment shift, for {@code opt_out.csv} and
 * {@code performative.csv} (Module 5).
 *
 * <p>A conversation is <em>searched</em> when it has an agent turn in a language with a codebook.
 * A phrase is a codebook pattern with its language ({@code en:i completely understand}). Per agent
 * (within a team type) in the audited quarter: the phrase matches in their turns, the distinct
 * phrases among them, and the conversations of their most used phrase. Per team: distinct-n, the
 * agents' distinct phrases summed over the team's matches (1 when no phrase is ever repeated,
 * towards 0 as the same phrases come back); and the share of the team's conversations with a
 * phrase that use the team's single most common phrase (by conversations; a tie goes to the
 * phrase first in alphabetical order).
 *
 * <p>The sentiment gain: the customer's sentiment shift (last minus first scored customer turn,
 * conversations with two or more, as the {@code sentiment} job measures it), read from the run's
 * shared {@link ConversationFacts}, with documented empathy minus without, clustered by agent
 * ({@link ClusteredDifference}). The phrases are not among the facts (they are the agents' turns,
 * searched with the codebooks' phrase rules), so {@link #perTurn} searches them here.
 */
final class PhraseUse {

    /** The performative rows: per team type and {@value Audit#ALL}, and per agent. */
    record Teams(List<TeamPhrases> teams, List<AgentPhrasing> agents) {
        static Teams none() {
            return new Teams(List.of(), List.of());
        }
    }

    private PhraseUse() {
    }

    /**
     * Per contact of {@code contacts} with a searched agent turn: {@code interaction_id},
     * {@code searched_turns} and {@code matches}; and the phrases, one row per match:
     * the turn-level table {@code phrases} (array) is kept with them. Lazy.
     */
    static Dataset<Row> perTurn(SparkSession spark, Dataset<Row> turns, Dataset<Row> contacts, Codebooks codebooks) {
        return AgentPhrases.of(spark, turns, contacts.select(col("interaction_id"), col("language")), codebooks)
                .filter(col("coded"))
                .select(col("interaction_id"), col("language"), col("phrases"));
    }

    /** Per searched conversation: {@code interaction_id, matches}. */
    static Dataset<Row> perConversation(Dataset<Row> perTurn) {
        return perTurn.groupBy(col("interaction_id")).agg(sum(size(col("phrases"))).as("matches"));
    }

    /**
     * The teams' and agents' rows of the audited quarter {@code now}: {@code perTurn} as
     * {@link #perTurn} gives it, {@code facts} the run's shared conversation facts
     * ({@link ConversationFacts#of(dev.empathy.jobs.run.JobContext)}: {@code interaction_id},
     * {@code scored_turns}, {@code sentiment_shift}), whose shift is the sentiment job's.
     */
    static Teams teams(Dataset<Row> facts, Dataset<Row> contacts, Dataset<Row> perTurn, Quarter now) {
        Dataset<Row> audited = contacts.filter(col("quarter").equalTo(now.toString()))
                .select(col("interaction_id"), col("agent_id"), col("team_type"), col("documented"),
                        col("language"));
        Dataset<Row> who = audited.select(col("interaction_id"), col("agent_id"), col("team_type"));

        // Per agent: searched conversations, those with a phrase, matches.
        Map<String, long[]> counts = new TreeMap<>();
        for (Row r : perConversation(perTurn).join(who, "interaction_id")
                .groupBy(col("team_type"), col("agent_id"))
                .agg(count(lit(1)), sum(when(col("matches").gt(0), 1L).otherwise(0L)), sum(col("matches")))
                .collectAsList()) {
            counts.put(key(r.getString(0), r.getString(1)), new long[] {r.getLong(2), r.getLong(3), r.getLong(4)});
        }
        Dataset<Row> matches = perTurn.filter(size(col("phrases")).gt(0))
                .select(col("interaction_id"), col("language"), explode(col("phrases")).as("pattern"))
                .select(col("interaction_id"), concat(col("language"), lit(":"), col("pattern")).as("phrase"))
                .join(who, "interaction_id");
        // Per agent: distinct phrases, and their most used by conversations.
        Map<String, Object[]> distinct = new HashMap<>();
        Dataset<Row> agentPhrase = matches.groupBy(col("team_type"), col("agent_id"), col("phrase"))
                .agg(count_distinct(col("interaction_id")).as("conversations"));
        Column byUse = struct(col("conversations").multiply(-1), col("phrase"));
        for (Row r : agentPhrase.groupBy(col("team_type"), col("agent_id"))
                .agg(count(lit(1)), min_by(col("phrase"), byUse), max(col("conversations")))
                .collectAsList()) {
            distinct.put(key(r.getString(0), r.getString(1)), new Object[] {r.getLong(2), r.getString(3), r.getLong(4)});
        }
        // Per team (and over every team): the most used phrase by conversations.
        Map<String, Object[]> teamTop = new HashMap<>();
        Dataset<Row> teamPhrase = matches.groupBy(col("team_type"), col("phrase"))
                .agg(count_distinct(col("interaction_id")).as("conversations"));
        for (Row r : teamPhrase.groupBy(col("team_type")).agg(min_by(col("phrase"), byUse), max(col("conversations")))
                .collectAsList()) {
            teamTop.put(r.getString(0), new Object[] {r.getString(1), r.getLong(2)});
        }
        Row overall = matches.groupBy(col("phrase")).agg(count_distinct(col("interaction_id")).as("conversations"))
                .agg(min_by(col("phrase"), byUse), max(col("conversations"))).first();
        if (!overall.isNullAt(0)) {
            teamTop.put(Audit.ALL, new Object[] {overall.getString(0), overall.getLong(1)});
        }

        // The customer's shift per conversation (two or more scored customer turns: the run's shared
        // facts), then per agent with and without documented empathy.
        Dataset<Row> shifts = facts.filter(col("scored_turns").geq(2))
                .select(col("interaction_id"), col("sentiment_shift").as("shift"));
        Map<String, double[]> gains = new TreeMap<>();
        Column documented = col("documented").equalTo(1);
        for (Row r : shifts.join(audited, "interaction_id").groupBy(col("team_type"), col("agent_id"))
                .agg(sum(when(documented, 1L).otherwise(0L)), exactSum(when(documented, col("shift")).otherwise(0.0)),
                        sum(when(documented, 0L).otherwise(1L)), exactSum(when(documented, 0.0).otherwise(col("shift"))))
                .collectAsList()) {
            gains.put(key(r.getString(0), r.getString(1)),
                    new double[] {r.getLong(2), r.getDouble(3), r.getLong(4), r.getDouble(5)});
        }

        java.util.Set<String> keys = new java.util.TreeSet<>(counts.keySet());
        keys.addAll(gains.keySet());
        List<AgentPhrasing> agents = new ArrayList<>();
        for (String k : keys) {
            String[] tk = k.split("\u0000", 2);
            long[] c = counts.getOrDefault(k, new long[3]);
            Object[] d = distinct.getOrDefault(k, new Object[] {0L, "", 0L});
            double[] g = gains.getOrDefault(k, new double[4]);
            long distinctCount = (Long) d[0];
            long topConversations = (Long) d[2];
            agents.add(new AgentPhrasing(tk[1], tk[0], c[0], c[1], c[2], distinctCount, ratio(distinctCount, c[2]),
                    (String) d[1], topConversations, ratio(topConversations, c[1]), (long) g[0], (long) g[2],
                    g[0] == 0 ? Double.NaN : g[1] / g[0], g[2] == 0 ? Double.NaN : g[3] / g[2]));
        }
        agents.sort(java.util.Comparator.comparing(AgentPhrasing::teamType).thenComparing(AgentPhrasing::agentId));

        List<String> teamNames = new ArrayList<>(new java.util.TreeSet<>(agents.stream()
                .map(AgentPhrasing::teamType).toList()));
        List<TeamPhrases> teams = new ArrayList<>();
        if (!agents.isEmpty()) {
            teams.add(team(Audit.ALL, agents, gains, teamTop));
        }
        for (String t : teamNames) {
            teams.add(team(t, agents.stream().filter(a -> a.teamType().equals(t)).toList(), gains, teamTop));
        }
        return new Teams(teams, agents);
    }

    private static TeamPhrases team(String name, List<AgentPhrasing> agents, Map<String, double[]> gains,
                                    Map<String, Object[]> teamTop) {
        long conversations = 0;
        long withPhrase = 0;
        long matches = 0;
        long distinct = 0;
        // An agent met in two team types is one cluster over every team.
        Map<String, double[]> byAgent = new TreeMap<>();
        for (AgentPhrasing a : agents) {
            conversations += a.conversations();
            withPhrase += a.withPhrase();
            matches += a.matches();
            distinct += a.distinct();
            double[] g = gains.get(key(a.teamType(), a.agentId()));
            if (g != null) {
                double[] sum = byAgent.computeIfAbsent(a.agentId(), k -> new double[4]);
                for (int i = 0; i < 4; i++) {
                    sum[i] += g[i];
                }
            }
        }
        ClusteredDifference difference = new ClusteredDifference();
        byAgent.values().forEach(g -> difference.add((long) g[0], g[1], (long) g[2], g[3]));
        ClusteredDifference.Result r = difference.result(Audit.LEVEL);
        Gain gain = new Gain(r.nOne(), r.nZero(), r.meanOne(), r.meanZero(), r.difference(), r.low(), r.high(),
                r.pValue(), r.clusters());
        Object[] top = teamTop.getOrDefault(name, new Object[] {"", 0L});
        long topConversations = (Long) top[1];
        return new TeamPhrases(name, agents.stream().map(AgentPhrasing::agentId).distinct().count(), conversations, withPhrase, matches, distinct,
                ratio(distinct, matches), (String) top[0], topConversations, ratio(topConversations, withPhrase),
                gain);
    }

    private static String key(String team, String agent) {
        return team + "\u0000" + agent;
    }

    private static double ratio(long x, long n) {
        return n == 0 ? Double.NaN : (double) x / n;
    }
}
