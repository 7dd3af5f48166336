package dev.empathy.jobs.text;

import static org.apache.spark.sql.functions.col;

import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.spark.Partitions;
import java.util.Iterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Every turn of both speakers with its language and sentiment ({@link TurnScoring}): the
 * {@code sentiment/turn_scores/} table. No text leaves this step.
 */
public final class TurnScores {

    /** The columns of {@code turn_scores}. */
    public static final StructType SCHEMA = new StructType()
            .add("interaction_id", DataTypes.StringType, false)
            .add("turn_index", DataTypes.IntegerType, false)
            .add("speaker", DataTypes.StringType, false)
            .add("language", DataTypes.StringType, true)
            .add("sentiment", DataTypes.DoubleType, true)
            .add("source", DataTypes.StringType, false);

    private TurnScores() {
    }

    /**
     * The scored turns of the run's input: scored once per run and shared by the jobs that read
     * them ({@link dev.empathy.jobs.run.DerivedTables}: sentiment, and the conversation facts);
     * outside a run, scored on each call, as {@link #of(SparkSession, ValidatedInput)}.
     */
    public static Dataset<Row> of(JobContext context) {
        return context.derived().table(context.spark(), "turn_scores", () -> of(context.spark(), context.input()));
    }

    /** The scored turns (lazy: scored again by every action that reads them unless persisted). */
    public static Dataset<Row> of(SparkSession spark, ValidatedInput input) {
        return of(spark, input.table("turns").orElseThrow().used(), input.table("interactions").orElseThrow().used());
    }

    /** The same from any turns and interactions with the contract's columns (benchmarks read them raw). */
    public static Dataset<Row> of(SparkSession spark, Dataset<Row> turnsTable, Dataset<Row> interactions) {
        Dataset<Row> turns = turnsTable
                .select(col("interaction_id"), col("turn_index"), col("speaker"), col("text"), col("sentiment"));
        Dataset<Row> languages = interactions.select(col("interaction_id"), col("language"));
        Dataset<Row> joined = turns.join(languages, "interaction_id")
                .select(col("interaction_id"), col("turn_index"), col("speaker"), col("text"), col("sentiment"),
                        col("language"));
        Broadcast<TurnScoring> scoring = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(new TurnScoring());
        return joined.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> score(scoring.value(), rows),
                Encoders.row(SCHEMA));
    }

    private static Iterator<Row> score(TurnScoring scoring, Iterator<Row> rows) {
        return Partitions.map(rows, r -> {
            TurnScoring.Score s = scoring.score(r.isNullAt(3) ? null : r.getString(3),
                    r.isNullAt(4) ? null : r.getDouble(4), r.isNullAt(5) ? null : r.getString(5));
            return RowFactory.create(r.getString(0), r.getInt(1), r.getString(2), s.language(), s.sentiment(),
                    s.source());
        });
    }
}
