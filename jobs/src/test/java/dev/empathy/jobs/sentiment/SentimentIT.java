package dev.empathy.jobs.sentiment;

import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import dev.empathy.lib.contract.Contract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sentiment job on nine hand-made conversations whose every figure is derived by hand below.
 *
 * <pre>
 * id  agent documented language  customer turns (turn_index: sentiment or text)
 * i1  a1    yes        en        0: -0.6, 2: -0.2, 4: 0.4   (agent turns 1, 3 between)
 * i2  a2    yes        en        0: -0.5, 1: 0.1
 * i3  a3    no         en        0: 0.2, 1: -0.5           deteriorating: drop 0.7, ends negative
 * i4  a4    no         en        0: 0.0, 1: 0.1
 * i5  a1    no         en        0: "VADER is smart, handsome, and funny."  (VADER 0.8316)
 * i6  a2    yes        de-DE     0: "Das ist gut."          unscored_language, never VADER
 * i7  a3    no         (null)    0: "ok"                    unscored_language, language unknown
 * i8  a4    yes        pt-BR     0: "" (empty); agent 1: "Obrigado."
 * i9  a1    no         en        no turns
 * i10 a2    no         fr-CA     0: "Le service est parfait"  (lexicon:fr: parf 0.8, 4 * 0.8 = 3.2,
 *                                   3.2 / sqrt(3.2^2 + 15) = 0.636950...)
 * </pre>
 *
 * i1: n = 3, first -0.6, last 0.4, min -0.6, slope 12 (K - (n+1) S / 2) / (n^2 - 1) with
 * K = 1(-0.6) + 2(-0.2) + 3(0.4) = 0.2 and S = -0.4: 12 (0.2 + 0.8) / 8 = 1.5 (the least-squares
 * slope of -0.6, -0.2, 0.4 on 1/6, 1/2, 5/6). Shifts: yes 1.0 (a1), 0.6 (a2), no -0.7 (a3),
 * 0.1 (a4). Deciles 1 + floor(10 (k - 0.5) / n): n = 3 gives 2, 6, 9; n = 2 gives 3, 8; n = 1 gives 6.
 */
class SentimentIT {

    @TempDir
    static Path dir;

    static Path folder;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void run() throws IOException {
        Path input = dir.resolve("input");
        List<Map<String, Object>> interactions = List.of(
                interaction("i1", "agent_id", "a1", "empathy_documented", true),
                interaction("i2", "agent_id", "a2", "empathy_documented", true),
                interaction("i3", "agent_id", "a3", "empathy_documented", false),
                interaction("i4", "agent_id", "a4", "empathy_documented", false),
                interaction("i5", "agent_id", "a1", "empathy_documented", false),
                interaction("i6", "agent_id", "a2", "empathy_documented", true, "language", "de-DE"),
                interaction("i7", "agent_id", "a3", "empathy_documented", false, "language", null),
                interaction("i8", "agent_id", "a4", "empathy_documented", true, "language", "pt-BR"),
                interaction("i9", "agent_id", "a1", "empathy_documented", false),
                interaction("i10", "agent_id", "a2", "empathy_documented", false, "language", "fr-CA"));
        List<Map<String, Object>> turns = new ArrayList<>();
        turns.add(Fixtures.turn("i1", 0, "customer", "I am upset", -0.6));
        turns.add(Fixtures.turn("i1", 1, "agent", "Sorry", null));
        turns.add(Fixtures.turn("i1", 2, "customer", "hm", -0.2));
        turns.add(Fixtures.turn("i1", 3, "agent", "Fixed", null));
        turns.add(Fixtures.turn("i1", 4, "customer", "thanks", 0.4));
        turns.add(Fixtures.turn("i2", 0, "customer", "bad", -0.5));
        turns.add(Fixtures.turn("i2", 1, "customer", "ok", 0.1));
        turns.add(Fixtures.turn("i3", 0, "customer", "fine", 0.2));
        turns.add(Fixtures.turn("i3", 1, "customer", "awful", -0.5));
        turns.add(Fixtures.turn("i4", 0, "customer", "so", 0.0));
        turns.add(Fixtures.turn("i4", 1, "customer", "ok", 0.1));
        turns.add(Fixtures.turn("i5", 0, "customer", "VADER is smart, handsome, and funny.", null));
        turns.add(Fixtures.turn("i6", 0, "customer", "Das ist gut.", null));
        turns.add(Fixtures.turn("i7", 0, "customer", "ok", null));
        turns.add(Fixtures.turn("i8", 0, "customer", "", null));
        turns.add(Fixtures.turn("i8", 1, "agent", "Obrigado.", null));
        turns.add(Fixtures.turn("i10", 0, "customer", "Le service est parfait", null));
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.TURNS, turns.toArray(Map[]::new));
        Path out = dir.resolve("run");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("sentiment", input, out, "2026-01-31",
                Map.of()), Jobs.plan(List.of(new Sentiment())), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest.at("/jobs/1/status").asText(), manifest.toPrettyString());
        folder = out.resolve("sentiment");
    }


    private static Map<String, Map<String, String>> csv(String file, String... key) throws IOException {
        return Fixtures.csv(folder, file, key);
    }

    private static double d(Map<String, String> row, String column) {
        return Fixtures.d(row, column);
    }

    @Test
    void everyTurnOfBothSpeakersIsScoredOrSaysWhyNot() {
        Map<String, Row> byTurn = new HashMap<>();
        for (Row r : SharedSpark.session().read().parquet(folder.resolve("turn_scores").toString()).collectAsList()) {
            byTurn.put(r.getString(r.fieldIndex("interaction_id")) + ":" + r.getInt(r.fieldIndex("turn_index")), r);
        }
        assertEquals(17, byTurn.size());
        assertEquals(List.of("interaction_id", "turn_index", "speaker", "language", "sentiment", "source"),
                List.of(byTurn.get("i1:0").schema().fieldNames()), "no text column");
        Row vader = byTurn.get("i5:0");
        assertEquals("vader", vader.getAs("source"));
        assertEquals(0.8316, vader.<Double>getAs("sentiment"), 5e-5, "the reference VADER's published score");
        assertEquals("given", byTurn.get("i1:0").getAs("source"));
        assertEquals(-0.6, byTurn.get("i1:0").<Double>getAs("sentiment"), 1e-15);
        assertEquals("vader", byTurn.get("i1:1").getAs("source"), "agent turns are scored too");
        Row french = byTurn.get("i10:0");
        assertEquals("lexicon:fr", french.getAs("source"));
        assertEquals("fr", french.getAs("language"));
        assertEquals(3.2 / Math.sqrt(3.2 * 3.2 + 15), french.<Double>getAs("sentiment"), 1e-12);
        Row german = byTurn.get("i6:0");
        assertEquals("unscored_language", german.getAs("source"));
        assertEquals("de", german.getAs("language"));
        assertNull(german.getAs("sentiment"));
        Row unknown = byTurn.get("i7:0");
        assertEquals("unscored_language", unknown.getAs("source"));
        assertNull(unknown.getAs("language"));
        assertEquals("empty", byTurn.get("i8:0").getAs("source"));
        assertEquals("pt", byTurn.get("i8:0").getAs("language"));
        assertEquals("unscored_language", byTurn.get("i8:1").getAs("source"));
    }

    @Test
    void shiftByDocumentedEmpathyWithItsClusteredIntervalsAndTheEngineDifference() throws IOException {
        Map<String, Map<String, String>> shift = csv("shift.csv", "documented");
        Map<String, String> yes = shift.get("yes");
        assertEquals("2", yes.get("conversations"));
        assertEquals(-0.55, d(yes, "mean_first"), 1e-12);
        assertEquals(0.25, d(yes, "mean_last"), 1e-12);
        assertEquals(0.8, d(yes, "mean_shift"), 1e-12);
        // Two clusters of one: se = sqrt(2 * (0.2^2 + 0.2^2)) / 2 = 0.2, t(1) 0.975 = 12.7062047361747.
        assertEquals(0.8 - 12.7062047361747 * 0.2, d(yes, "ci_low"), 1e-9);
        Map<String, String> no = shift.get("no");
        assertEquals(-0.3, d(no, "mean_shift"), 1e-12);
        Map<String, String> diff = shift.get("difference");
        assertEquals(1.1, d(diff, "mean_shift"), 1e-12);
        // R 4.2.2: lm(y ~ d), y = c(1, .6, -.7, .1), d = c(1, 1, 0, 0); the sandwich with
        // G/(G-1) (n-1)/(n-k) = 4/3 * 3/2 over four clusters of one: se 0.447213595499958;
        // t with G - 1 = 3 df, qt(0.975, 3) = 3.18244630528371.
        assertEquals(1.1 - 3.18244630528371 * 0.447213595499958, d(diff, "ci_low"), 1e-9);
    }

    @Test
    void welchMannWhitneyAndCliffsDeltaMatchR() throws IOException {
        Map<String, Map<String, String>> tests = csv("tests.csv", "test");
        // R 4.2.2: t.test(c(1, .6), c(-.7, .1)): t 2.459674775249769, p 0.176507144476908.
        assertEquals(2.459674775249769, d(tests.get("welch"), "statistic"), 1e-9);
        assertEquals(0.176507144476908, d(tests.get("welch"), "p_value"), 1e-6);
        assertEquals(1.1, d(tests.get("welch"), "effect"), 1e-12);
        // wilcox.test(c(1, .6), c(-.7, .1), exact = FALSE, correct = TRUE): W 4, p 0.245278116806773.
        assertEquals(4, d(tests.get("mann_whitney"), "statistic"), 1e-12);
        assertEquals(0.245278116806773, d(tests.get("mann_whitney"), "p_value"), 1e-12);
        assertEquals(1.0, d(tests.get("cliffs_delta"), "statistic"), 1e-12);
    }

    /**
     * Sums of doubles in any order: agent a1's three documented conversations end at 0.1, 0.2 and
     * 0.3 (from 0.0), which in doubles add to 0.6000000000000001 in four of the six orders and to
     * 0.6 in two. The means are the sums of the values as decimals, rounded once: 0.6 / 3, with
     * one shuffle partition and with three.
     */
    @Test
    @SuppressWarnings("unchecked")
    void shiftAndTrajectoryMeansDoNotDependOnTheOrderSparkAddsIn() throws IOException {
        Path input = dir.resolve("order/input");
        List<Map<String, Object>> turns = new ArrayList<>();
        List<Map<String, Object>> interactions = new ArrayList<>();
        double[] lasts = {0.1, 0.2, 0.3};
        for (int i = 0; i < lasts.length; i++) {
            interactions.add(interaction("d" + i, "agent_id", "a1", "empathy_documented", true));
            turns.add(Fixtures.turn("d" + i, 0, "customer", "x", 0.0));
            turns.add(Fixtures.turn("d" + i, 1, "customer", "y", lasts[i]));
        }
        for (int i = 0; i < 2; i++) {
            interactions.add(interaction("n" + i, "agent_id", "a" + (2 + i), "empathy_documented", false));
            turns.add(Fixtures.turn("n" + i, 0, "customer", "x", 0.0));
            turns.add(Fixtures.turn("n" + i, 1, "customer", "y", 0.5));
        }
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.TURNS, turns.toArray(Map[]::new));
        // The session is taken once: taking it again re-applies the test builder's partition count.
        SparkSession spark = SharedSpark.session();
        SharedSpark.underShufflePartitions(List.of("1", "3"), parts -> {
            Path out = dir.resolve("order/run-" + parts);
            RunPipeline.run(spark, new RunPipeline.Params("sentiment", input, out, "2026-01-31",
                    Map.of()), Jobs.plan(List.of(new Sentiment())), Progress.to(System.err));
            Map<String, String> yes = Fixtures.csv(out.resolve("sentiment"), "shift.csv", "documented").get("yes");
            assertEquals(Double.toString(0.6 / 3), yes.get("mean_last"), parts + " partitions");
            assertEquals(Double.toString(0.6 / 3), yes.get("mean_shift"), parts + " partitions");
            Map<String, String> last = Fixtures.csv(out.resolve("sentiment"), "trajectories.csv", "documented",
                    "decile").get("yes|8");
            assertEquals(Double.toString(0.6 / 3), last.get("mean_sentiment"), parts + " partitions");
        });
    }

    @Test
    void trajectoriesByDecileAndTheDeterioratingConversation() throws IOException {
        Map<String, Map<String, String>> t = csv("trajectories.csv", "documented", "decile");
        assertEquals(List.of("no|3", "no|6", "no|8", "yes|2", "yes|3", "yes|6", "yes|8", "yes|9"),
                List.copyOf(t.keySet()));
        assertEquals(-0.6, d(t.get("yes|2"), "mean_sentiment"), 1e-12);
        assertEquals(0.1, d(t.get("no|3"), "mean_sentiment"), 1e-12);
        assertEquals("2", t.get("no|3").get("conversations"));
        assertEquals("2", t.get("no|3").get("agents"));
        assertEquals((0.8316 + 3.2 / Math.sqrt(3.2 * 3.2 + 15)) / 2, d(t.get("no|6"), "mean_sentiment"), 5e-5);
        assertEquals(-0.2, d(t.get("no|8"), "mean_sentiment"), 1e-12);
        List<String> deteriorating = Files.readAllLines(folder.resolve("deteriorating.csv"));
        assertEquals(List.of("interaction_id,agent_id,first,last,min", "i3,a3,0.2,-0.5,-0.5"), deteriorating);
        Map<String, Map<String, String>> population = csv("population.csv", "step");
        assertEquals("10", population.get("interactions").get("conversations"));
        assertEquals("9", population.get("with_turns").get("conversations"));
        assertEquals("6", population.get("with_a_scored_customer_turn").get("conversations"));
        assertEquals("4", population.get("with_two_or_more").get("conversations"));
    }

    @Test
    void theSummarySaysItInWordsWithoutTextOrNoise() throws IOException {
        String summary = Files.readString(folder.resolve("summary.md"));
        assertTrue(summary.contains("+0.800"), summary);
        assertTrue(summary.contains("1 conversations ended clearly worse"), summary);
        for (String noise : List.of("NaN", "Infinity", "VADER is smart", "Das ist gut")) {
            assertFalse(summary.contains(noise), summary);
        }
        assertTrue(Files.isRegularFile(folder.resolve("trajectories.png")));
    }
}
