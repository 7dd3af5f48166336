package dev.empathy.jobs.text;

import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.contract.Contract;
import dev.empathy.lib.text.Codebooks;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-conversation facts on five hand-made conversations. Sentiments are given in the
 * {@code sentiment} column (so the scores are the given values) except where noted; the tones are
 * the shipped codebooks' obvious codes (the lines of {@code VerbatimsIT}).
 *
 * <pre>
 * id     customer turns (index, given sentiment, tone)                 facts
 * c-1    0 -0.6 H "This is ridiculous.", 2 null U "ok" (no given value: VADER scores "ok", lexicon valence 1.2, 1.2 / sqrt(1.2^2 + 15) = 0.2960),
 *        4 0.8 C "Thank you so much, that helps."                       first -0.6, last 0.8, shift 1.4,
 *                                                                       mean (-0.6 + 0.2960 + 0.8) / 3, H to C: 1
 * c-2    0 -0.5 H "This is terrible.", 2 -0.7 H "Still terrible, useless."
 *                                                                       shift -0.2, hostile 2 of 2, H to H: 0
 * c-3    0 0.4 C "Thanks for your help."                                one turn: shift 0, not hostile: null
 * c-4    0 null "Questo è ridicolo." (language it: no lexicon, no codebook)
 *                                                                       scored 0, no sentiment, no tone
 * c-5    agent turn only                                                no customer turn: no row
 * </pre>
 */
class ConversationFactsIT {

    @TempDir
    static Path dir;

    static Map<String, Row> facts = new HashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void build() {
        SparkSession spark = SharedSpark.session();
        Fixtures.write(dir, Contract.INTERACTIONS, interaction("c-1", "language", "en"),
                interaction("c-2", "language", "en"), interaction("c-3", "language", "en"),
                interaction("c-4", "language", "it"), interaction("c-5", "language", "en"));
        List<Map<String, Object>> turns = List.of(
                Fixtures.turn("c-1", 0, "customer", "This is ridiculous.", -0.6),
                Fixtures.turn("c-1", 1, "agent", "I am so sorry to hear that.", null),
                Fixtures.turn("c-1", 2, "customer", "ok", null),
                Fixtures.turn("c-1", 4, "customer", "Thank you so much, that helps.", 0.8),
                Fixtures.turn("c-2", 0, "customer", "This is terrible.", -0.5),
                Fixtures.turn("c-2", 2, "customer", "Still terrible, useless.", -0.7),
                Fixtures.turn("c-3", 0, "customer", "Thanks for your help.", 0.4),
                Fixtures.turn("c-4", 0, "customer", "Questo è ridicolo.", null),
                Fixtures.turn("c-5", 1, "agent", "Hello, how can I help?", null));
        Fixtures.write(dir, Contract.TURNS, turns.toArray(Map[]::new));
        Dataset<Row> interactions = spark.read().parquet(dir.resolve("interactions").toString());
        Dataset<Row> turnTable = spark.read().parquet(dir.resolve("turns").toString());
        for (Row r : ConversationFacts.of(spark, turnTable, interactions, Codebooks.defaults()).collectAsList()) {
            facts.put(r.getString(r.fieldIndex("interaction_id")), r);
        }
    }


    static Object get(String id, String column) {
        Row r = facts.get(id);
        return r.isNullAt(r.fieldIndex(column)) ? null : r.get(r.fieldIndex(column));
    }

    @Test
    void oneRowPerConversationWithACustomerTurn() {
        assertEquals(List.of("c-1", "c-2", "c-3", "c-4"), facts.keySet().stream().sorted().toList());
    }

    @Test
    void sentimentEndsAndShiftFollowTheScoredCustomerTurns() {
        // "ok" has no given sentiment: VADER's compound for a single word of valence 1.2 (its lexicon's
        // "ok") is 1.2 / sqrt(1.2^2 + alpha) with alpha = 15 (not rounded).
        assertEquals(3L, get("c-1", "scored_turns"));
        assertEquals(-0.6, (double) get("c-1", "first_sentiment"), 1e-12);
        assertEquals(0.8, (double) get("c-1", "last_sentiment"), 1e-12);
        assertEquals(1.4, (double) get("c-1", "sentiment_shift"), 1e-12);
        assertEquals((-0.6 + 1.2 / Math.sqrt(1.2 * 1.2 + 15) + 0.8) / 3, (double) get("c-1", "mean_sentiment"), 1e-12);
        assertEquals(-0.2, (double) get("c-2", "sentiment_shift"), 1e-12);
        assertEquals(0.0, (double) get("c-3", "sentiment_shift"), 1e-12);
        assertEquals(0L, get("c-4", "scored_turns"));
        assertEquals(null, get("c-4", "sentiment_shift"));
    }

    @Test
    void tonesCountHostileTurnsAndReadTheClearEnds() {
        assertEquals(3L, get("c-1", "customer_turns"));
        assertEquals(2L, get("c-1", "clear_turns"), "'ok' is unclear");
        assertEquals(1L, get("c-1", "hostile_turns"));
        assertEquals("hostile", get("c-1", "first_tone"));
        assertEquals("cooperative", get("c-1", "last_tone"));
        assertEquals(1, get("c-1", "hostile_to_cooperative"));
        assertEquals(2L, get("c-2", "hostile_turns"));
        assertEquals(0, get("c-2", "hostile_to_cooperative"));
        assertEquals(null, get("c-3", "hostile_to_cooperative"));
        assertEquals("cooperative", get("c-3", "first_tone"));
        assertEquals(0L, get("c-4", "clear_turns"));
        assertTrue(get("c-4", "first_tone") == null);
    }
}
