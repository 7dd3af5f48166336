package dev.empathy.jobs.text;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.spark.Partitions;
import dev.empathy.lib.text.Codebooks;
import dev.empathy.lib.text.LanguageTag;
import dev.empathy.lib.text.PiiCounts;
import dev.empathy.lib.text.Redactor;
import dev.empathy.lib.text.VerbatimCode;
import dev.empathy.lib.text.VerbatimCoder;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
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
 * The Spark half of {@code verbatims}: every customer turn coded with its language's
 * {@link VerbatimCoder}, and the personal data in every turn counted by {@link Redactor}. No text
 * leaves this step: the coded table holds codes, and the count pass only numbers.
 */
public final class TurnCoding {

    /** The code of a turn whose language is unknown or has no codebook. */
    public static final String UNCODED_LANGUAGE = "uncoded_language";

    /** The columns of a coded customer turn; {@code pick} orders the turns for examples. */
    public static final StructType SCHEMA = new StructType()
            .add("interaction_id", DataTypes.StringType, false)
            .add("turn_index", DataTypes.IntegerType, false)
            .add("language", DataTypes.StringType, true)
            .add("code", DataTypes.StringType, false)
            .add("blank", DataTypes.BooleanType, false);

    private TurnCoding() {
    }

    /**
     * The customer turns of the run's input coded with the shipped codebooks: coded once per run
     * and shared by the jobs that read them ({@link dev.empathy.jobs.run.DerivedTables}:
     * {@code verbatims} with the shipped codebooks, and the conversation facts).
     */
    public static Dataset<Row> shipped(JobContext context) {
        return context.derived().table(context.spark(), "turn_codes", () -> code(
                context.input().table("turns").orElseThrow().used(),
                context.input().table("interactions").orElseThrow().used(),
                broadcast(context.spark(), Codebooks.defaults())));
    }

    /** The coders of {@code codebooks}, broadcast once. */
    public static Broadcast<HashMap<String, VerbatimCoder>> broadcast(SparkSession spark, Codebooks codebooks) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new HashMap<>(codebooks.coders()));
    }

    /**
     * The customer turns of {@code turns} coded: {@code interaction_id, turn_index, language}
     * (the primary subtag of the interaction's tag, null when unknown), {@code code} (hostile,
     * neutral, cooperative, unclear, or {@value #UNCODED_LANGUAGE}), {@code blank} (no text) and
     * {@code pick}, a hash of the interaction id and turn index that orders examples without
     * showing either.
     */
    public static Dataset<Row> code(Dataset<Row> turns, Dataset<Row> interactions,
                             Broadcast<HashMap<String, VerbatimCoder>> coders) {
        Dataset<Row> customer = turns.filter(col("speaker").equalTo("customer"))
                .select(col("interaction_id"), col("turn_index"), col("text"));
        Dataset<Row> joined = customer.join(interactions.select(col("interaction_id"), col("language")),
                        "interaction_id")
                .select(col("interaction_id"), col("turn_index"), col("text"), col("language"));
        return joined.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> code(coders.value(), rows),
                        Encoders.row(SCHEMA))
                .withColumn("pick", xxhash64(col("interaction_id"), col("turn_index")));
    }

    /** A language tag as met in the data: its primary subtag and its coder (null when none). */
    private record Language(String primary, VerbatimCoder coder) {
    }

    private static Iterator<Row> code(Map<String, VerbatimCoder> coders, Iterator<Row> rows) {
        // A partition meets a handful of tags: each is looked up once, not once per turn.
        Map<String, Language> byTag = new HashMap<>();
        Language unknown = new Language(null, null);
        return Partitions.map(rows, r -> {
            String text = r.isNullAt(2) ? null : r.getString(2);
            Language language = r.isNullAt(3) ? unknown
                    : byTag.computeIfAbsent(r.getString(3), tag -> language(coders, tag));
            String code = language.coder() == null ? UNCODED_LANGUAGE : language.coder().code(text).label();
            return RowFactory.create(r.getString(0), r.getInt(1), language.primary(), code,
                    text == null || text.isBlank());
        });
    }

    /**
     * The coder of a tag as {@link dev.empathy.lib.text.Codebooks#forLanguage} finds it: a
     * codebook named after the whole tag ({@code pt-br}), else after its primary subtag.
     */
    private static Language language(Map<String, VerbatimCoder> coders, String tag) {
        String primary = LanguageTag.primary(tag);
        if (primary == null) {
            return new Language(null, null);
        }
        VerbatimCoder whole = coders.get(tag.strip().toLowerCase(Locale.ROOT).replace('_', '-'));
        return new Language(primary, whole != null ? whole : coders.get(primary));
    }

    /** Whether a code is a tone: not unclear and not uncoded. */
    public static boolean clear(String code) {
        return !code.equals(VerbatimCode.UNCLEAR.label()) && !code.equals(UNCODED_LANGUAGE);
    }

    /**
     * What {@link Redactor} replaces in the {@code text} of every turn, of both speakers: one
     * {@link PiiCounts.Tally} per partition, combined by a tree aggregation; no text leaves the
     * executors.
     */
    public static PiiCounts piiCounts(Dataset<Row> turns) {
        return turns.select(col("text")).javaRDD().treeAggregate(new PiiCounts.Tally(),
                (tally, row) -> {
                    if (!row.isNullAt(0)) {
                        tally.accept(Redactor.redact(row.getString(0)).counts());
                    }
                    return tally;
                }, PiiCounts.Tally::combine).counts();
    }
}
