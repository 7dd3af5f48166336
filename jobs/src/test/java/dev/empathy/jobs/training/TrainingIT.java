package dev.empathy.jobs.training;

import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.input.InputValidator;
import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import dev.empathy.lib.contract.Contract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training job on a hand-made staggered design whose figures are derived by hand below,
 * with {@code --window 2 --base-weeks 1} (Callaway and Sant'Anna's universal base period).
 *
 * <pre>
 * ISO weeks W1..W4 = 2025-W10..2025-W13 (Mondays 2025-03-03 .. 03-24); one contact per agent and
 * week, at 10:00 on the Monday, unless noted.
 *
 * agent team        trained               empathy_score   csat            shift            hostile -> cooperative
 * a1    in_house    2025-03-12 (W2)       60 66 70 72     3 4 4 4         .1 .5 .5 .5      0 1 1 1
 * a2    in_house    2025-03-19 (W3)       50 52 59 61     3 3 5 5         .1 .1 .4 .4      0 0 1 1
 * a3    outsourced  never                 55 57 56 58     3 (2,4) 3 3     .1 .1 .1 .1      0 1 0 1
 * a4    outsourced  never                 40 41 43 44     3 3 3 3         .2 .2 .2 .2      0 0 0 0
 * a5    in_house    2024-12-01 (before)   80 80 80 80     5 5 5 5         no conversations
 * a9    (no agents row)                   one contact in W1: left out
 *
 * a3 in W2: a second contact, answered 4 (the first 2), not scored, no conversation: the cell's
 * CSAT mean is 3. a1 in W4: a second contact, not answered, not scored, no conversation (counts only as a contact).
 * Every conversation: customer "This is ridiculous." (hostile; given sentiment -0.2), agent,
 * customer "Thank you so much, that helps." (cooperative) or "Still terrible, useless."
 * (hostile), with the given sentiment -0.2 + shift.
 * </pre>
 *
 * <p>Empathy score, N = 4 agents (a5 is always treated), base W(g-1). ATT(2,2): a1 66-60 = 6
 * minus the not-yet-trained a2, a3, a4 (2, 2, 1; mean 5/3) = 13/3; ATT(2,3): 10 - mean(a3 1, a4 3)
 * = 8; ATT(2,4): 12 - mean(3, 4) = 8.5; ATT(3,3), base W2: a2 7 - mean(a3 -1, a4 2) = 6.5;
 * ATT(3,4): 9 - mean(1, 3) = 7; ATT(3,1): -2 - mean(a3 -2, a4 -1) = -0.5 (a1, trained in the base
 * week, is no control). Overall (equal groups, five post cells): (13/3 + 8 + 8.5 + 6.5 + 7) / 5 =
 * 103/15; event time 0: (13/3 + 6.5) / 2 = 65/12; 1: 7.5; 2: 8.5; -2: -0.5. Standard error of
 * ATT(2,2): one treated agent (no spread), controls' deviations 1/3, 1/3, -2/3: sqrt((2/3) / 9).
 * Pre-trend: theta(-2) = ATT(3,1) alone; its influence is the controls' (deviations -0.5, 0.5,
 * scaled by N / n_C = 2) and nothing from the weights (one cell): variance (0.25 + 0.25) * 4 / 16
 * = 0.125, so W = 0.25 / 0.125 = 2 on 1 df, p = 0.15729920705028513 (R 4.2.2,
 * {@code pchisq(2, 1, lower.tail = FALSE)}). Cells used by the overall: every cell of a1..a4 (16
 * contacts).
 *
 * <p>CSAT: trained agents gain 1 (a1) and 2 (a2), controls stay at 3: overall (1 + 1 + 1 + 2 + 2)
 * / 5 = 1.4. Shift: a1 +0.4 in every post week, a2 +0.3, controls constant: (3 * 0.4 + 2 * 0.3) / 5
 * = 0.36. Hostile to cooperative: ATT(2,2) = 1 - mean(a2 0, a3 1, a4 0) = 2/3; (2,3) = 1 - 0 = 1;
 * (2,4) = 1 - mean(1, 0) = 0.5; (3,3) = 1 - mean(-1, 0) = 1.5; (3,4) = 1 - 0 = 1; overall 14/15.
 *
 * <p>Two-way fixed effects (a5 included, treated throughout), R 4.2.2 with {@code sandwich}:
 * {@code lm(y ~ trained + factor(week) + factor(agent))}, CR1 as {@code vcovCL(fit, cluster =
 * ~agent, type = "HC0", cadjust = TRUE)} times (N - 1) / (N - K), K = 4, t with 4 df. Empathy (the
 * 20 scored contacts): beta 7.1666666666667309, se 0.8942826129263638, 4.6837400833438352 to
 * 9.6495932499896266. CSAT (21 answered contacts, a3's W2 as two rows 2 and 4): beta 1.5854383358098043, se 0.3713915152986455, 0.55429018104688854 to 2.6165864905727201.
 */
class TrainingIT {

    @TempDir
    static Path dir;

    static Path folder;

    static final Instant W1 = Instant.parse("2025-03-03T10:00:00Z");

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void run() throws IOException {
        Path input = dir.resolve("input");
        Map<String, double[]> empathy = Map.of("a1", new double[] {60, 66, 70, 72}, "a2", new double[] {50, 52, 59, 61},
                "a3", new double[] {55, 57, 56, 58}, "a4", new double[] {40, 41, 43, 44}, "a5", new double[] {80, 80, 80, 80});
        Map<String, double[]> csat = Map.of("a1", new double[] {3, 4, 4, 4}, "a2", new double[] {3, 3, 5, 5},
                "a3", new double[] {3, 2, 3, 3}, "a4", new double[] {3, 3, 3, 3}, "a5", new double[] {5, 5, 5, 5});
        Map<String, double[]> shift = Map.of("a1", new double[] {.1, .5, .5, .5}, "a2", new double[] {.1, .1, .4, .4},
                "a3", new double[] {.1, .1, .1, .1}, "a4", new double[] {.2, .2, .2, .2});
        Map<String, int[]> turned = Map.of("a1", new int[] {0, 1, 1, 1}, "a2", new int[] {0, 0, 1, 1},
                "a3", new int[] {0, 1, 0, 1}, "a4", new int[] {0, 0, 0, 0});
        List<Map<String, Object>> interactions = new ArrayList<>();
        List<Map<String, Object>> answers = new ArrayList<>();
        List<Map<String, Object>> turns = new ArrayList<>();
        for (String agent : List.of("a1", "a2", "a3", "a4", "a5")) {
            for (int w = 0; w < 4; w++) {
                String id = agent + "-w" + (w + 1);
                Instant at = W1.plusSeconds(7L * 86_400 * w);
                interactions.add(interaction(id, "agent_id", agent, "started_at", at, "empathy_score",
                        empathy.get(agent)[w]));
                answers.add(Fixtures.csat(id, "csat", (int) csat.get(agent)[w]));
                if (shift.containsKey(agent)) {
                    double last = -0.2 + shift.get(agent)[w];
                    turns.add(Fixtures.turn(id, 0, "customer", "This is ridiculous.", -0.2));
                    turns.add(Fixtures.turn(id, 1, "agent", "I am so sorry to hear that.", null));
                    turns.add(Fixtures.turn(id, 2, "customer", turned.get(agent)[w] == 1 ? "Thank you so much, that helps."
                            : "Still terrible, useless.", last));
                }
            }
        }
        // a3's second contact in W2 (answered 4), a1's unanswered extra in W4.
        interactions.add(interaction("a3-w2-b", "agent_id", "a3", "started_at", W1.plusSeconds(7L * 86_400 + 3600),
                "empathy_score", null));
        answers.add(Fixtures.csat("a3-w2-b", "csat", 4));
        interactions.add(interaction("a1-w4-b", "agent_id", "a1", "started_at", W1.plusSeconds(21L * 86_400 + 3600),
                "empathy_score", null));
        interactions.add(interaction("a9-w1", "agent_id", "a9", "started_at", W1, "empathy_score", 90.0));
        answers.add(Fixtures.csat("a9-w1", "csat", 5));
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.CSAT, answers.toArray(Map[]::new));
        Fixtures.write(input, Contract.TURNS, turns.toArray(Map[]::new));
        Fixtures.write(input, Contract.AGENTS,
                agent("a1", "in_house", Instant.parse("2025-03-12T09:00:00Z")),
                agent("a2", "in_house", Instant.parse("2025-03-19T15:00:00Z")),
                agent("a3", "outsourced", null), agent("a4", "outsourced", null),
                agent("a5", "in_house", Instant.parse("2024-12-01T00:00:00Z")),
                agent("a7", "outsourced", Instant.parse("2025-03-20T00:00:00Z")));
        Path out = dir.resolve("run");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("training", input, out, "2026-01-31", Map.of()),
                Jobs.plan(List.of(new Training(2, 1))), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest.at("/jobs/0/status").asText(), manifest.toPrettyString());
        folder = out.resolve("training");
    }

    static Map<String, Object> agent(String id, String team, Instant trained) {
        return Fixtures.row(Contract.AGENTS, "agent_id", id, "team_type", team, "empathy_trained_at", trained);
    }


    static Map<String, Map<String, String>> csv(Path in, String file, String... key) throws IOException {
        return Fixtures.csv(in, file, key);
    }

    static double d(Map<String, String> row, String column) {
        return Fixtures.d(row, column);
    }

    @Test
    void callawaySantAnnaEffectsOnTheTrainedAsDerivedByHand() throws IOException {
        Map<String, Map<String, String>> att = csv(folder, "att.csv", "outcome", "method");
        assertEquals(8, att.size());
        Map<String, String> empathy = att.get("empathy_score|callaway_santanna");
        assertEquals(103.0 / 15, d(empathy, "estimate"), 1e-12);
        assertEquals("16", empathy.get("n"));
        assertEquals("4", empathy.get("agents"));
        assertTrue(empathy.get("note").contains("1 units treated in or before the first period are left out"),
                empathy.get("note"));
        assertEquals(1.4, d(att.get("csat|callaway_santanna"), "estimate"), 1e-12);
        assertEquals(0.36, d(att.get("sentiment_shift|callaway_santanna"), "estimate"), 1e-12);
        assertEquals(14.0 / 15, d(att.get("hostile_to_cooperative|callaway_santanna"), "estimate"), 1e-12);
        // Intervals are the estimate plus and minus 1.959963984540054 standard errors.
        Map<String, String> c = att.get("csat|callaway_santanna");
        assertEquals(d(c, "estimate") - 1.959963984540054 * d(c, "std_error"), d(c, "ci_low"), 1e-12);

        Map<String, Map<String, String>> cells = csv(folder, "group_time.csv", "outcome", "training_week", "week");
        Map<String, String> first = cells.get("empathy_score|2025-W11|2025-W11");
        assertEquals(13.0 / 3, d(first, "estimate"), 1e-12);
        assertEquals(Math.sqrt(2.0 / 27), d(first, "std_error"), 1e-12);
        assertEquals("1", first.get("trained_agents"));
        assertEquals("3", first.get("control_agents"));
        assertEquals("0", cells.get("empathy_score|2025-W11|2025-W11").get("relative_week"));
        assertEquals(-0.5, d(cells.get("empathy_score|2025-W12|2025-W10"), "estimate"), 1e-12);
        assertEquals(6.5, d(cells.get("empathy_score|2025-W12|2025-W12"), "estimate"), 1e-12);

        Map<String, Map<String, String>> events = csv(folder, "event_study.csv", "outcome", "relative_week");
        assertEquals(65.0 / 12, d(events.get("empathy_score|0"), "estimate"), 1e-12);
        assertEquals(7.5, d(events.get("empathy_score|1"), "estimate"), 1e-12);
        assertEquals(8.5, d(events.get("empathy_score|2"), "estimate"), 1e-12);
        assertEquals(-0.5, d(events.get("empathy_score|-2"), "estimate"), 1e-12);
        Map<String, String> base = events.get("empathy_score|-1");
        assertEquals(0.0, d(base, "estimate"));
        assertEquals("", base.get("ci_low"));
        assertEquals("base period: zero by construction", base.get("note"));
    }

    @Test
    void preTrendTestByHand() throws IOException {
        Map<String, Map<String, String>> pre = csv(folder, "pretrend.csv", "outcome");
        Map<String, String> empathy = pre.get("empathy_score");
        assertEquals(2.0, d(empathy, "chi_square"), 1e-12);
        assertEquals("1", empathy.get("df"));
        assertEquals(0.15729920705028513, d(empathy, "p_value"), 1e-12);
        assertEquals("1", empathy.get("pre_weeks"));
        // The shift's controls do not move at all: nothing to test against.
        assertEquals("0", pre.get("sentiment_shift").get("df"));
        assertEquals("", pre.get("sentiment_shift").get("p_value"));
        assertFalse(pre.get("sentiment_shift").get("note").isEmpty());
    }

    @Test
    void twoWayFixedEffectsMatchR() throws IOException {
        Map<String, Map<String, String>> att = csv(folder, "att.csv", "outcome", "method");
        Map<String, String> empathy = att.get("empathy_score|twfe");
        assertEquals(7.1666666666667309, d(empathy, "estimate"), 1e-9);
        assertEquals(0.8942826129263638, d(empathy, "std_error"), 1e-9);
        assertEquals(4.6837400833438352, d(empathy, "ci_low"), 1e-9);
        assertEquals(9.6495932499896266, d(empathy, "ci_high"), 1e-9);
        assertEquals("20", empathy.get("n"));
        assertEquals("5", empathy.get("agents"));
        Map<String, String> csat = att.get("csat|twfe");
        assertEquals(1.5854383358098043, d(csat, "estimate"), 1e-9);
        assertEquals(0.3713915152986455, d(csat, "std_error"), 1e-9);
        assertEquals(0.55429018104688854, d(csat, "ci_low"), 1e-9);
        assertEquals("21", csat.get("n"));
    }

    @Test
    void completionPopulationChartAndAPlainSummaryWithoutIds() throws IOException {
        List<String> completion = Files.readAllLines(folder.resolve("completion.csv"));
        assertEquals(List.of("team_type,week,week_start,agents,trained,share",
                "all,2025-W10,2025-03-03,5,1,0.2", "all,2025-W11,2025-03-10,5,2,0.4",
                "all,2025-W12,2025-03-17,5,3,0.6", "all,2025-W13,2025-03-24,5,3,0.6",
                "in_house,2025-W10,2025-03-03,3,1,0.3333333333333333", "in_house,2025-W11,2025-03-10,3,2,0.6666666666666666",
                "in_house,2025-W12,2025-03-17,3,3,1.0", "in_house,2025-W13,2025-03-24,3,3,1.0",
                "outsourced,2025-W10,2025-03-03,2,0,0.0", "outsourced,2025-W11,2025-03-10,2,0,0.0",
                "outsourced,2025-W12,2025-03-17,2,0,0.0", "outsourced,2025-W13,2025-03-24,2,0,0.0"), completion);
        Map<String, Map<String, String>> population = csv(folder, "population.csv", "step");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("contacts", "23");
        expected.put("contacts_without_an_agents_row", "1");
        expected.put("contacts_analysed", "22");
        expected.put("agents_with_contacts", "5");
        expected.put("agents_trained_by_the_first_week", "1");
        expected.put("agents_trained_during_the_data", "2");
        expected.put("agents_not_trained_during_the_data", "2");
        expected.put("weeks", "4");
        expected.put("conversations_with_a_shift", "16");
        expected.put("conversations_opening_hostile", "16");
        expected.put("csat_answers", "21");
        expected.put("scored_contacts", "20");
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(population.keySet()));
        expected.forEach((step, n) -> assertEquals(n, population.get(step).get("count"), step));
        assertTrue(Files.size(folder.resolve("event_study.png")) > 10_000);
        String summary = Files.readString(folder.resolve("summary.md"));
        assertFalse(summary.matches("(?s).*\\ba[0-9]\\b.*"), "no agent id");
        assertFalse(summary.contains("NaN") || summary.contains("Infinity"), summary);
        assertTrue(summary.contains("in 2025-W13, 60.0% of 5."), summary);
        assertTrue(summary.contains("The QA empathy score: +6.87 points after training (95% interval"), summary);
        assertTrue(summary.contains("Two-way fixed effects: +7.17 points"), summary);
        assertTrue(summary.contains("Why two estimates"), summary);
    }

    /**
     * Without turns or csat tables, and with nobody trained during the data: noted rows and plain
     * sentences, no exception.
     */
    @Test
    void absentTablesAndNobodyTrainedAreNotesNotFailures() throws IOException {
        Path input = dir.resolve("bare");
        Fixtures.write(input, Contract.INTERACTIONS, interaction("b1", "agent_id", "x1", "started_at", W1),
                interaction("b2", "agent_id", "x2", "started_at", W1.plusSeconds(7L * 86_400)),
                interaction("b3", "agent_id", "x1", "started_at", W1.plusSeconds(7L * 86_400)));
        Fixtures.write(input, Contract.AGENTS, agent("x1", "in_house", null), agent("x2", "outsourced", null));
        Path out = dir.resolve("bare-run");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("training", input, out, "2026-01-31", Map.of()),
                Jobs.plan(List.of(new Training())), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest.at("/jobs/0/status").asText(), manifest.toPrettyString());
        Path bare = out.resolve("training");
        Map<String, Map<String, String>> att = csv(bare, "att.csv", "outcome", "method");
        assertEquals("no turns table", att.get("sentiment_shift|callaway_santanna").get("note"));
        assertEquals("no csat table", att.get("csat|twfe").get("note"));
        assertEquals("", att.get("empathy_score|callaway_santanna").get("estimate"));
        String summary = Files.readString(bare.resolve("summary.md"));
        assertTrue(summary.contains("No agent completed training during the data's weeks"), summary);
        assertFalse(summary.contains("NaN"), summary);
        for (String file : List.of("event_study.csv", "pretrend.csv", "group_time.csv", "completion.csv",
                "population.csv", "event_study.png")) {
            assertTrue(Files.exists(bare.resolve(file)), file);
        }
    }

    /**
     * Cells, sums of doubles in any order: a1's four contacts of 2025-W10 are QA-scored 2.9, 4.9,
     * 12.9 and 70.4. 2.9 + 4.9 + 12.9 + 70.4 = 91.1 exactly in decimal, and the double nearest it
     * prints as 91.1; added as doubles they never give that double: 12 of the 24 orders give
     * 91.10000000000001 (left to right among them), the other 12 91.10000000000002 (2.9 + 70.4
     * first, say), and (2.9 + 4.9) + (12.9 + 70.4) gives 91.10000000000001. The cell's sum is 91.1
     * whatever the shuffle's partitions.
     */
    @Test
    @SuppressWarnings("unchecked")
    void cellSumsDoNotDependOnTheOrderSparkAddsIn() throws IOException {
        Path input = dir.resolve("order/input");
        double[] scores = {2.9, 4.9, 12.9, 70.4};
        List<Map<String, Object>> interactions = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            interactions.add(interaction("o" + i, "agent_id", "a1", "started_at", W1.plusSeconds(3600L * i),
                    "empathy_score", scores[i]));
        }
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.AGENTS, agent("a1", "in_house", null));
        var spark = SharedSpark.session();
        ValidatedInput validated = new InputValidator(spark, dir.resolve("order/work"), Progress.silent())
                .validate(input, dir.resolve("order/rejects"));
        SharedSpark.underShufflePartitions(List.of("1", "2", "3", "5"), parts -> {
            List<TrainingCells.Cell> cells = TrainingCells.collect(new JobContext(spark, validated, Progress.silent()));
            assertEquals(1, cells.size(), parts + " partitions");
            TrainingCells.Cell cell = cells.get(0);
            assertEquals(4, cell.counts()[Outcome.EMPATHY_SCORE.ordinal()], parts + " partitions");
            assertEquals(Double.toString(91.1), Double.toString(cell.sums()[Outcome.EMPATHY_SCORE.ordinal()]),
                    parts + " partitions");
        });
    }
}
