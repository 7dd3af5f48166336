package dev.empathy.jobs.training;

import static dev.empathy.jobs.spark.Deterministic.exactSum;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.text.ConversationFacts;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark pass of {@code training}: every contact with its ISO week and its outcomes,
 * summed by agent and week, with the agent's team and training week from {@code agents}, and
 * collected (at most agents x weeks rows: 5,000 agents over a year are 265,000 rows).
 *
 * <p>Outcomes per contact: {@code sentiment_shift} of its conversation when the customer has two
 * or more scored turns, and {@code hostile_to_cooperative} when its first clear customer turn is
 * hostile ({@link ConversationFacts}, the per-turn scores and codes of {@code sentiment} and
 * {@code verbatims}; only with a {@code turns} table); {@code csat}, its survey answer (only with
 * a {@code csat} table, which validation leaves with one answer per contact); {@code empathy_score}
 * when QA-scored.
 */
final class TrainingCells {

    private TrainingCells() {
    }

    /**
     * One agent-week: the agent, its {@code agents.team_type} and training week (both null when
     * the agent has no row in {@code agents}; the week null when not trained), the contacts, and
     * per outcome ({@link Outcome} order) the observations and their sum.
     */
    record Cell(String agent, String team, Integer trainingWeek, boolean known, int week, long contacts,
                long[] counts, double[] sums) {
    }

    /**
     * The ISO week of a timestamp as a consecutive index: whole weeks since Monday 1970-01-05,
     * in UTC ({@code floor((floor(seconds / 86400) - 4) / 7)}), so week {@code k + 1} follows
     * week {@code k} across years whether the ISO year has 52 or 53 weeks.
     */
    static Column weekIndex(Column timestamp) {
        return floor(floor(unix_seconds(timestamp).divide(86_400L)).minus(4).divide(7)).cast("int");
    }

    /** The agent-week cells of a validated input, sorted by agent and week. */
    static List<Cell> collect(JobContext context) {
        SparkSession spark = context.spark();
        ValidatedInput input = context.input();
        Dataset<Row> contacts = input.table("interactions").orElseThrow().used()
                .select(col("interaction_id"), col("agent_id"), weekIndex(col("started_at")).as("week"),
                        col("empathy_score"));
        if (input.table("turns").isPresent()) {
            Dataset<Row> facts = ConversationFacts.of(context).select(col("interaction_id"),
                    when(col("scored_turns").geq(2), col("sentiment_shift")).as("sentiment_shift"),
                    col("hostile_to_cooperative").cast("double").as("hostile_to_cooperative"));
            contacts = contacts.join(facts, "interaction_id", "left");
        } else {
            contacts = contacts.withColumn("sentiment_shift", lit(null).cast("double"))
                    .withColumn("hostile_to_cooperative", lit(null).cast("double"));
        }
        if (input.table("csat").isPresent()) {
            Dataset<Row> answers = input.table("csat").orElseThrow().used()
                    .select(col("interaction_id"), col("csat").cast("double").as("csat"));
            contacts = contacts.join(answers, "interaction_id", "left");
        } else {
            contacts = contacts.withColumn("csat", lit(null).cast("double"));
        }
        List<Column> sums = new ArrayList<>();
        sums.add(count(lit(1)).as("contacts"));
        for (Outcome o : Outcome.values()) {
            sums.add(count(col(o.label())).as("n_" + o.label()));
            sums.add(exactSum(col(o.label())).as("s_" + o.label()));
        }
        Dataset<Row> cells = contacts.groupBy(col("agent_id"), col("week"))
                .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new));
        Dataset<Row> agents = input.table("agents").orElseThrow().used().select(col("agent_id"),
                col("team_type").as("agent_team"), weekIndex(col("empathy_trained_at")).as("training_week"),
                lit(true).as("known"));
        List<Cell> out = new ArrayList<>();
        for (Row r : cells.join(agents, "agent_id", "left").orderBy(col("agent_id"), col("week")).collectAsList()) {
            long[] counts = new long[Outcome.values().length];
            double[] values = new double[counts.length];
            for (Outcome o : Outcome.values()) {
                counts[o.ordinal()] = r.getLong(r.fieldIndex("n_" + o.label()));
                int s = r.fieldIndex("s_" + o.label());
                values[o.ordinal()] = r.isNullAt(s) ? 0 : r.getDouble(s);
            }
            int tw = r.fieldIndex("training_week");
            int known = r.fieldIndex("known");
            out.add(new Cell(r.getString(r.fieldIndex("agent_id")), r.getString(r.fieldIndex("agent_team")),
                    r.isNullAt(tw) ? null : r.getInt(tw), !r.isNullAt(known), r.getInt(r.fieldIndex("week")),
                    r.getLong(r.fieldIndex("contacts")), counts, values));
        }
        return out;
    }
}
