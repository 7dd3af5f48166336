package dev.empathy.jobs.text;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.run.DerivedTables;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.jobs.spark.LabelExtremes;
import dev.empathy.lib.text.Codebooks;
import dev.empathy.lib.text.VerbatimCode;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the text layer knows about each conversation, for the jobs that read the customers' words
 * without reading text themselves (fatigue, training, the audit): one row per interaction with
 * customer turns, built from the per-turn sentiment of {@link TurnScores} and the per-turn tone
 * of {@link TurnCoding}, the same scoring and coding the {@code sentiment} and {@code verbatims}
 * jobs use. No text leaves this step.
 *
 * <p>Columns:
 * <ul>
 *   <li>{@code interaction_id}</li>
 *   <li>{@code customer_turns}: the customer's turns (long)</li>
 *   <li>{@code scored_turns}: those with a sentiment (given or scored; long)</li>
 *   <li>{@code first_sentiment}, {@code last_sentiment}, {@code mean_sentiment}: over the scored
 *       customer turns by {@code turn_index} (null when none is scored)</li>
 *   <li>{@code sentiment_shift}: last minus first (0 for one scored turn, as in {@code sentiment})</li>
 *   <li>{@code clear_turns}: customer turns coded hostile, neutral or cooperative (long)</li>
 *   <li>{@code hostile_turns}: customer turns coded hostile (long)</li>
 *   <li>{@code first_tone}, {@code last_tone}: the codes of the first and last clear customer turns
 *       (null when none is clear), as {@code verbatims} reads a conversation's ends</li>
 *   <li>{@code hostile_to_cooperative}: 1 when the first clear turn is hostile and the last is
 *       cooperative, 0 when it opens hostile and ends otherwise, null when it does not open
 *       hostile (int)</li>
 * </ul>
 */
public final class ConversationFacts {

    private static final String HOSTILE = VerbatimCode.HOSTILE.label();
    private static final String COOPERATIVE = VerbatimCode.COOPERATIVE.label();
    /** The clear tones, whose first and last a conversation records. */
    private static final List<String> CLEAR = List.of(HOSTILE, VerbatimCode.NEUTRAL.label(), COOPERATIVE);

    private ConversationFacts() {
    }

    /**
     * The facts of every conversation of the run's input, coded with the shipped codebooks:
     * computed once per run and shared by every job that reads them ({@link DerivedTables}).
     */
    public static Dataset<Row> of(JobContext context) {
        return context.derived().table(context.spark(), "conversation_facts",
                () -> fromTurns(TurnScores.of(context), TurnCoding.shipped(context)));
    }

    /** The facts of every conversation of a validated input, coded with the shipped codebooks. */
    public static Dataset<Row> of(SparkSession spark, ValidatedInput input) {
        return of(spark, input.table("turns").orElseThrow().used(), input.table("interactions").orElseThrow().used(),
                Codebooks.defaults());
    }

    /**
     * The facts of every conversation of {@code turns} (the contract's columns) whose interaction
     * is in {@code interactions}, coded with {@code codebooks}. Lazy: persist it when several passes
     * read it. The codebooks are broadcast once per call.
     */
    public static Dataset<Row> of(SparkSession spark, Dataset<Row> turns, Dataset<Row> interactions,
                                  Codebooks codebooks) {
        Dataset<Row> customerTurns = turns.filter(col("speaker").equalTo("customer"));
        return fromTurns(TurnScores.of(spark, customerTurns, interactions),
                TurnCoding.code(customerTurns, interactions, TurnCoding.broadcast(spark, codebooks)));
    }

    /**
     * The same from turns already scored ({@link TurnScores}: of every speaker, or of the
     * customers' only) and the customer turns coded ({@link TurnCoding}), as a run shares them
     * with {@code sentiment} and {@code verbatims}.
     */
    static Dataset<Row> fromTurns(Dataset<Row> turnScores, Dataset<Row> coded) {
        Dataset<Row> scored = turnScores.filter(col("speaker").equalTo("customer").and(col("sentiment").isNotNull()));
        Column order = col("turn_index");
        Dataset<Row> sentiment = scored.groupBy(col("interaction_id")).agg(
                count(lit(1)).as("scored_turns"),
                min_by(col("sentiment"), order).as("first_sentiment"),
                max_by(col("sentiment"), order).as("last_sentiment"),
                // An exact mean: the same bits whatever the order Spark adds the turns in.
                Deterministic.exactMean(col("sentiment")).as("mean_sentiment"));

        Column clear = col("code").isin(CLEAR.toArray());
        Column clearOrder = when(clear, col("turn_index"));
        Dataset<Row> tones = coded.groupBy(col("interaction_id")).agg(
                count(lit(1)).as("customer_turns"),
                sum(when(clear, 1L).otherwise(0L)).as("clear_turns"),
                sum(when(col("code").equalTo(HOSTILE), 1L).otherwise(0L)).as("hostile_turns"),
                // By the tone's position: a text buffer would make Spark sort every turn (LabelExtremes).
                LabelExtremes.minBy(col("code"), CLEAR, clearOrder).as("first_tone"),
                LabelExtremes.maxBy(col("code"), CLEAR, clearOrder).as("last_tone"));

        return tones.join(sentiment, tones.col("interaction_id").equalTo(sentiment.col("interaction_id")), "left")
                .select(tones.col("interaction_id"), col("customer_turns"),
                        when(col("scored_turns").isNull(), lit(0L)).otherwise(col("scored_turns")).as("scored_turns"),
                        col("first_sentiment"), col("last_sentiment"), col("mean_sentiment"),
                        col("last_sentiment").minus(col("first_sentiment")).as("sentiment_shift"),
                        col("clear_turns"), col("hostile_turns"), col("first_tone"), col("last_tone"),
                        when(col("first_tone").equalTo(HOSTILE),
                                when(col("last_tone").equalTo(COOPERATIVE), 1).otherwise(0))
                                .as("hostile_to_cooperative"));
    }
}
