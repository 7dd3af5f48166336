package dev.empathy.jobs.text;

import static org.apache.spark.sql.functions.col;

import dev.empathy.jobs.spark.Partitions;
import dev.empathy.lib.text.Codebooks;
import dev.empathy.lib.text.LanguageTag;
import dev.empathy.lib.text.VerbatimCoder;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
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
 * The empathy phrases in the agents' turns (the codebooks' {@code empathy_phrase} rules,
 * {@link VerbatimCoder#empathyPhraseMatches}), for the audit: one row per agent turn with the
 * codebook patterns it holds. No text leaves this step: a phrase is the codebook's pattern, not
 * the agent's words.
 *
 * <p>Columns: {@code interaction_id}, {@code turn_index}, {@code language} (the primary subtag of
 * the interaction's tag, null when unknown), {@code coded} (true when the language has a
 * codebook, so the turn could be searched) and {@code phrases} (the patterns found, in order;
 * empty when none or not coded).
 */
public final class AgentPhrases {

    /** The columns of a searched agent turn. */
    public static final StructType SCHEMA = new StructType()
            .add("interaction_id", DataTypes.StringType, false)
            .add("turn_index", DataTypes.IntegerType, false)
            .add("language", DataTypes.StringType, true)
            .add("coded", DataTypes.BooleanType, false)
            .add("phrases", DataTypes.createArrayType(DataTypes.StringType, false), false);

    private AgentPhrases() {
    }

    /**
     * The agent turns of {@code turns} whose interaction is in {@code interactions} (which needs
     * {@code interaction_id} and {@code language}), searched with {@code codebooks}; lazy.
     */
    public static Dataset<Row> of(SparkSession spark, Dataset<Row> turns, Dataset<Row> interactions,
                                  Codebooks codebooks) {
        Broadcast<HashMap<String, VerbatimCoder>> coders = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(new HashMap<>(codebooks.coders()));
        Dataset<Row> agent = turns.filter(col("speaker").equalTo("agent"))
                .select(col("interaction_id"), col("turn_index"), col("text"))
                .join(interactions.select(col("interaction_id"), col("language")), "interaction_id")
                .select(col("interaction_id"), col("turn_index"), col("text"), col("language"));
        return agent.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> search(coders.value(), rows),
                Encoders.row(SCHEMA));
    }

    private record Language(String primary, VerbatimCoder coder) {
    }

    private static Iterator<Row> search(Map<String, VerbatimCoder> coders, Iterator<Row> rows) {
        Map<String, Language> byTag = new HashMap<>();
        Language unknown = new Language(null, null);
        return Partitions.map(rows, r -> {
            Language language = r.isNullAt(3) ? unknown : byTag.computeIfAbsent(r.getString(3),
                    tag -> language(coders, tag));
            List<String> found = language.coder() == null || r.isNullAt(2) ? List.of()
                    : language.coder().empathyPhraseMatches(r.getString(2));
            return RowFactory.create(r.getString(0), r.getInt(1), language.primary(), language.coder() != null,
                    found.toArray(String[]::new));
        });
    }

    /** The coder of a tag as {@link Codebooks#forLanguage} finds it: the whole tag, else its primary subtag. */
    private static Language language(Map<String, VerbatimCoder> coders, String tag) {
        String primary = LanguageTag.primary(tag);
        if (primary == null) {
            return new Language(null, null);
        }
        VerbatimCoder whole = coders.get(tag.strip().toLowerCase(Locale.ROOT).replace('_', '-'));
        return new Language(primary, whole != null ? whole : coders.get(primary));
    }
}
