package dev.empathy.jobs.fatigue;

import static dev.empathy.jobs.Fixtures.interaction;
import static org.apache.spark.sql.functions.col;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fatigue job on two agents' hand-made week (ISO week 2025-W10, Monday 3 March; times UTC),
 * every figure derived by hand below or, for the models, by R.
 *
 * <pre>
 * shift  agent queue            from        to           contacts (handle s; conversation)
 * s1     a1    general          Mon 08:00   Mon 16:00    c1 Mon 09:00 (600; hostile, cooperative: -0.6, 0.4)
 * s2     a1    high_empathy     Mon 16:00   Tue 00:00    c2 Mon 16:00 = s1's end (1200; hostile -0.8), c3 Mon 20:00 (300; cooperative 0.5)
 * s3     a1    general          Tue 22:00   Wed 06:00    c4 Tue 23:30 (480; hostile -0.4, -0.2), c5 Wed 02:00 (300; none)
 *                                                        c6 Wed 06:00 = s3's end, no shift then: outside every shift
 * s4     a1    high_empathy     Thu 08:00   Thu 16:00    none
 * s5     a1    general          Fri 08:00   Fri 16:00    c7 Fri 10:00 (600; none), c8 Fri 12:00 (no handle time; none)
 * s6     a1    general          Mon 10 Mar 08:00-16:00   none (W11)
 * t1     a2    high_empathy     Mon 09:00   Mon 17:00    d2 Mon 10:00 (240; hostile -0.5)
 * t2     a2    general          Mon 12:00   Mon 20:00    d1 Mon 13:00 (300; none): in t1 and t2, goes to t2 (started last)
 * t3     a2    general          Tue 09:00   Tue 17:00    d3 Tue 10:00 (720; hostile, cooperative -0.7, 0.3), d4 Tue 11:00 (300; cooperative 0.6)
 * t4     a2    " High_Empathy " Wed 09:00   Wed 17:00    d5 Wed 10:00 (360; hostile -0.9)
 * t5     a2    general          Thu 09:00   Thu 17:00    d6 Thu 10:00, d7 Thu 11:00 (300 each; none)
 * t6     a2    high_empathy     Mon 10 Mar 09:00-17:00   none (W11)
 * a3 has no shift: its contact e1 is counted apart.
 * </pre>
 *
 * Loads (hostile minutes per shift hour, 8-hour shifts): s1 10/8 = 1.25, s2 20/8 = 2.5 (c3 is not
 * hostile), s3 8/8 = 1, s4 s5 s6 0; t1 4/8 = 0.5, t2 0, t3 12/8 = 1.5, t4 6/8 = 0.75, t5 t6 0.
 * Model rows (contacts whose shift has a previous one; c1 and d2 are in their agent's first shift):
 * <pre>
 * contact  after high  previous load  hours since its end     score  documented  csat
 * c2       0 (s1)      1.25           Mon 16:00 - 16:00 = 0     70     1           5
 * c3       0           1.25           4                         -      1           -
 * c4       1 (s2)      2.5            Tue 23:30 - 00:00 = 23.5  62     0           3
 * c5       1           2.5            26                        66     1           -
 * c7       1 (s4)      0              Fri 10:00 - Thu 16:00 = 18 60    0           2
 * c8       1           0              20                        64     0           4
 * d1       1 (t1)      0.5            13:00 - 17:00 = -4        68     0           3
 * d3       0 (t2)      0              Tue 10:00 - Mon 20:00 = 14 75    1           5
 * d4       0           0              15                        73     1           -
 * d5       0 (t3)      1.5            17                        77     1           4
 * d6       1 (t4)      0.75           17                        69     0           3
 * d7       1           0.75           18                        71     1           -
 * </pre>
 */
class FatigueIT {

    @TempDir
    static Path dir;

    static Path folder;
    static JsonNode job;

    static final Instant MON = Instant.parse("2025-03-03T00:00:00Z");

    static Instant at(int day, double hour) {
        return MON.plusSeconds(Math.round((day * 24 + hour) * 3600));
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void run() throws IOException {
        Path input = dir.resolve("input");
        List<Map<String, Object>> shifts = List.of(
                shift("s1", "a1", "general", at(0, 8), at(0, 16)),
                shift("s2", "a1", "high_empathy", at(0, 16), at(1, 0)),
                shift("s3", "a1", "general", at(1, 22), at(2, 6)),
                shift("s4", "a1", "high_empathy", at(3, 8), at(3, 16)),
                shift("s5", "a1", "general", at(4, 8), at(4, 16)),
                shift("s6", "a1", "general", at(7, 8), at(7, 16)),
                shift("t1", "a2", "high_empathy", at(0, 9), at(0, 17)),
                shift("t2", "a2", "general", at(0, 12), at(0, 20)),
                shift("t3", "a2", "general", at(1, 9), at(1, 17)),
                shift("t4", "a2", " High_Empathy ", at(2, 9), at(2, 17)),
                shift("t5", "a2", "general", at(3, 9), at(3, 17)),
                shift("t6", "a2", "high_empathy", at(7, 9), at(7, 17)));
        List<Map<String, Object>> interactions = List.of(
                contact("c1", "a1", at(0, 9), 600.0, 80.0, true),
                contact("c2", "a1", at(0, 16), 1200.0, 70.0, true),
                contact("c3", "a1", at(0, 20), 300.0, null, true),
                contact("c4", "a1", at(1, 23.5), 480.0, 62.0, false),
                contact("c5", "a1", at(2, 2), 300.0, 66.0, true),
                contact("c6", "a1", at(2, 6), 300.0, 50.0, true),
                contact("c7", "a1", at(4, 10), 600.0, 60.0, false),
                contact("c8", "a1", at(4, 12), null, 64.0, false),
                contact("d1", "a2", at(0, 13), 300.0, 68.0, false),
                contact("d2", "a2", at(0, 10), 240.0, 80.0, true),
                contact("d3", "a2", at(1, 10), 720.0, 75.0, true),
                contact("d4", "a2", at(1, 11), 300.0, 73.0, true),
                contact("d5", "a2", at(2, 10), 360.0, 77.0, true),
                contact("d6", "a2", at(3, 10), 300.0, 69.0, false),
                contact("d7", "a2", at(3, 11), 300.0, 71.0, true),
                contact("e1", "a3", at(0, 10), 300.0, 70.0, true));
        String hostile = "This is ridiculous.";
        String cooperative = "Thanks for your help.";
        List<Map<String, Object>> turns = new ArrayList<>();
        turns.add(turn("c1", 0, hostile, -0.6));
        turns.add(turn("c1", 2, cooperative, 0.4));
        turns.add(turn("c2", 0, hostile, -0.8));
        turns.add(turn("c3", 0, cooperative, 0.5));
        turns.add(turn("c4", 0, hostile, -0.4));
        turns.add(turn("c4", 2, hostile, -0.2));
        turns.add(turn("d2", 0, hostile, -0.5));
        turns.add(turn("d3", 0, hostile, -0.7));
        turns.add(turn("d3", 2, cooperative, 0.3));
        turns.add(turn("d4", 0, cooperative, 0.6));
        turns.add(turn("d5", 0, hostile, -0.9));
        turns.add(turn("e1", 0, hostile, -0.9));
        List<Map<String, Object>> csat = new ArrayList<>();
        Map<String, Integer> answers = Map.of("c2", 5, "c4", 3, "c7", 2, "c8", 4, "d1", 3, "d3", 5, "d5", 4, "d6", 3);
        answers.forEach((id, score) -> csat.add(Fixtures.csat(id, "csat", score)));
        List<Map<String, Object>> pulse = List.of(
                pulse("a1", at(2, 12), 3), pulse("a1", at(4, 12), 4), pulse("a1", at(8, 12), 2),
                pulse("a2", at(4, 12), 4), pulse("a2", at(9, 12), 5), pulse("a2", at(14, 12), 3));
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.SHIFTS, shifts.toArray(Map[]::new));
        Fixtures.write(input, Contract.TURNS, turns.toArray(Map[]::new));
        Fixtures.write(input, Contract.CSAT, csat.toArray(Map[]::new));
        Fixtures.write(input, Contract.AGENT_PULSE, pulse.toArray(Map[]::new));
        Path out = dir.resolve("run");
        Fatigue fatigue = new Fatigue(new Fatigue.Options("high_empathy", 14, 0.4, 3, 200, 7));
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("fatigue", input, out, "2026-01-31", Map.of()),
                Jobs.plan(List.of(fatigue)), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        job = manifest.at("/jobs/1");
        assertEquals("succeeded", job.get("status").asText(), manifest.toPrettyString());
        folder = out.resolve("fatigue");
    }

    static Map<String, Object> shift(String id, String agent, String queue, Instant start, Instant end) {
        return Fixtures.row(Contract.SHIFTS, "shift_id", id, "agent_id", agent, "start_at", start, "end_at", end,
                "queue", queue);
    }

    static Map<String, Object> contact(String id, String agent, Instant at, Double handle, Double score,
                                       boolean documented) {
        return interaction(id, "agent_id", agent, "started_at", at, "handle_seconds", handle, "empathy_score", score,
                "empathy_documented", documented);
    }

    static Map<String, Object> turn(String id, int index, String text, double sentiment) {
        return Fixtures.row(Contract.TURNS, "interaction_id", id, "turn_index", index, "speaker", "customer", "text",
                text, "sentiment", sentiment);
    }

    static Map<String, Object> pulse(String agent, Instant at, int fatigue) {
        return Fixtures.row(Contract.AGENT_PULSE, "agent_id", agent, "surveyed_at", at, "fatigue", fatigue);
    }

    static Map<String, Map<String, String>> csv(String file, String... key) throws IOException {
        return Fixtures.csv(folder, file, key);
    }

    static double d(Map<String, String> row, String column) {
        return Fixtures.d(row, column);
    }

    static Map<String, Row> shiftRows() {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : SharedSpark.session().read().parquet(folder.resolve("shift_load").toString()).collectAsList()) {
            rows.put(r.getAs("shift_id"), r);
        }
        return rows;
    }

    @Test
    void populationCountsEveryContactAndShift() throws IOException {
        Map<String, Map<String, String>> p = csv("population.csv", "step");
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("interactions", 16L);
        expected.put("contacts_in_a_shift", 14L);
        expected.put("contacts_in_overlapping_shifts", 1L);     // d1
        expected.put("contacts_outside_every_shift", 1L);       // c6, at s3's end
        expected.put("contacts_of_agents_without_shifts", 1L);  // e1
        expected.put("shifts", 12L);
        expected.put("shifts_without_contacts", 3L);            // s4, s6, t6
        expected.put("shifts_overlapping_the_previous", 1L);    // t2 starts before t1 ends
        expected.put("high_empathy_shifts", 5L);                // s2, s4, t1, t4, t6
        expected.put("agents_with_shifts", 2L);
        expected.put("contacts_after_a_previous_shift", 12L);
        expected.put("modelled_empathy_score", 11L);
        expected.put("modelled_empathy_documented", 12L);
        expected.put("modelled_csat", 8L);
        expected.put("agent_weeks", 4L);
        expected.put("agent_weeks_with_pulse", 4L);
        expected.put("pulse_answers", 6L);
        expected.put("pulse_answers_in_weeks_with_shifts", 5L); // a2's W12 answer has no shift that week
        expected.put("agents_judged_for_rotation", 2L);
        expected.put("agents_listed_for_rotation", 2L);
        expected.forEach((step, n) -> assertEquals(String.valueOf(n), p.get(step).get("count"), step));
        assertEquals(expected.keySet(), p.keySet());
    }

    @Test
    void eachShiftHasItsContactsLoadAndPreviousShift() {
        Map<String, Row> s = shiftRows();
        assertEquals(12, s.size());
        Row s1 = s.get("s1");
        assertEquals(1L, s1.<Long>getAs("contacts"));
        assertEquals(0.5, s1.<Double>getAs("hostile_share"), 1e-12);
        assertEquals(-0.1, s1.<Double>getAs("mean_sentiment"), 1e-12);
        assertEquals(10.0, s1.<Double>getAs("hostile_minutes"), 1e-12);
        assertEquals(1.25, s1.<Double>getAs("emotional_load"), 1e-12);
        assertTrue(s1.isNullAt(s1.fieldIndex("previous_shift_id")));
        Row s2 = s.get("s2");
        assertEquals(2L, s2.<Long>getAs("contacts"), "c2, at s1's end, is s2's");
        assertEquals(25.0, s2.<Double>getAs("handle_minutes"), 1e-12);
        assertEquals(-0.15, s2.<Double>getAs("mean_sentiment"), 1e-12);
        assertEquals(2.5, s2.<Double>getAs("emotional_load"), 1e-12);
        assertEquals("s1", s2.getAs("previous_shift_id"));
        assertEquals(0.0, s2.<Double>getAs("rest_hours"), 1e-12);
        Row s3 = s.get("s3");
        assertEquals(2L, s3.<Long>getAs("contacts"), "c4 on Tuesday and c5 on Wednesday, over midnight");
        assertEquals(1L, s3.<Long>getAs("transcribed_contacts"));
        assertEquals(1.0, s3.<Double>getAs("hostile_share"), 1e-12);
        assertEquals(1.0, s3.<Double>getAs("emotional_load"), 1e-12);
        assertEquals(true, s3.getAs("previous_high_empathy"));
        assertEquals(22.0, s3.<Double>getAs("rest_hours"), 1e-12);
        Row s4 = s.get("s4");
        assertEquals(0L, s4.<Long>getAs("contacts"));
        assertEquals(0.0, s4.<Double>getAs("emotional_load"), 1e-12);
        assertTrue(s4.isNullAt(s4.fieldIndex("hostile_share")), "no clear turn");
        Row s5 = s.get("s5");
        assertEquals("s4", s5.getAs("previous_shift_id"), "a shift without contacts counts in the sequence");
        assertEquals(1L, s5.<Long>getAs("contacts_without_handle_time"));
        assertEquals(10.0, s5.<Double>getAs("handle_minutes"), 1e-12);
        assertTrue(s5.isNullAt(s5.fieldIndex("mean_sentiment")), "no scored turn");
        Row t2 = s.get("t2");
        assertEquals(1L, t2.<Long>getAs("contacts"), "d1 is in t1 and t2: it goes to t2, which started last");
        assertEquals(1L, s.get("t1").<Long>getAs("contacts"));
        assertEquals(true, t2.getAs("overlaps_previous"));
        assertEquals(-5.0, t2.<Double>getAs("rest_hours"), 1e-12);
        Row t3 = s.get("t3");
        assertEquals(1.0 / 3, t3.<Double>getAs("hostile_share"), 1e-12);
        assertEquals((-0.7 + 0.3 + 0.6) / 3, t3.<Double>getAs("mean_sentiment"), 1e-12);
        assertEquals(1.5, t3.<Double>getAs("emotional_load"), 1e-12);
        Row t4 = s.get("t4");
        assertEquals(true, t4.getAs("high_empathy"), "' High_Empathy ' is the high-empathy queue");
        assertEquals("2025-W10", t4.getAs("iso_week"));
        assertEquals("2025-W11", s.get("t6").getAs("iso_week"));
        assertEquals(8.0, t4.<Double>getAs("shift_hours"), 1e-12);
    }

    /**
     * R 4.2.2 (sandwich 3.0), the model rows of the class comment as {@code d}, CR1 with the
     * agent effects nested in the clusters left out of K as fixest does:
     * <pre>
     * cr1 &lt;- function(f, data) {
     *   data &lt;- data[complete.cases(data[, all.vars(f)]), ]
     *   m &lt;- lm(f, data = data); n &lt;- nrow(data); k &lt;- 3; G &lt;- 2
     *   v &lt;- vcovCL(m, cluster = data$agent, type = "HC0", cadjust = FALSE) * G / (G - 1) * (n - 1) / (n - k)
     *   ...coef(m)[c("high", "load", "hours")], sqrt(diag(v)), +- qt(0.975, G - 1) * se
     * }
     * cr1(score ~ high + load + hours + factor(agent), d)
     * high  -6.3427119808843822 se 0.7509427977718154 [-15.88434491452890, 3.198920952760134] n 11
     * load   1.0287492310646642 se 0.4180850341054517
     * hours  0.0231050248267883 se 0.0248229967183572
     * cr1(doc ~ ..., d):  high -0.78393502008950222 se 0.13723388679378104, n 12
     * cr1(csat ~ ..., d): high -1.71456557358823058 se 0.111338503407085357, hours -0.00785308481039745, n 8
     * </pre>
     */
    @Test
    void withinAgentModelsMatchRsDummyModelWithClusteredErrors() throws IOException {
        Map<String, Map<String, String>> e = csv("effects.csv", "outcome", "term");
        assertEquals(9, e.size());
        Map<String, String> high = e.get("empathy_score|after_high_empathy_shift");
        assertEquals(-6.3427119808843822, d(high, "estimate"), 1e-9);
        assertEquals(0.7509427977718154, d(high, "std_error"), 1e-9);
        assertEquals(-15.88434491452890, d(high, "ci_low"), 1e-8);
        assertEquals(3.198920952760134, d(high, "ci_high"), 1e-8);
        assertEquals("11", high.get("n"));
        assertEquals("2", high.get("clusters"));
        assertEquals(1.0287492310646642, d(e.get("empathy_score|previous_shift_load"), "estimate"), 1e-9);
        assertEquals(0.4180850341054517, d(e.get("empathy_score|previous_shift_load"), "std_error"), 1e-9);
        assertEquals(0.0231050248267883, d(e.get("empathy_score|hours_since_previous_shift"), "estimate"), 1e-11);
        assertEquals(0.0248229967183572, d(e.get("empathy_score|hours_since_previous_shift"), "std_error"), 1e-11);
        Map<String, String> doc = e.get("empathy_documented|after_high_empathy_shift");
        assertEquals(-0.78393502008950222, d(doc, "estimate"), 1e-10);
        assertEquals(0.13723388679378104, d(doc, "std_error"), 1e-10);
        assertEquals("12", doc.get("n"));
        Map<String, String> csat = e.get("csat|after_high_empathy_shift");
        assertEquals(-1.71456557358823058, d(csat, "estimate"), 1e-10);
        assertEquals(0.111338503407085357, d(csat, "std_error"), 1e-10);
        assertEquals(-0.00785308481039745, d(e.get("csat|hours_since_previous_shift"), "estimate"), 1e-12);
        assertEquals("8", csat.get("n"));
    }

    /**
     * W10: a1 worked 16 high-empathy hours (s2, s4) and 10 + 20 + 8 = 38 hostile minutes, index
     * 16 + 38/60; a2 16 hours (t1, t4) and 4 + 12 + 6 = 22 minutes. W11: a1 0, a2 8 (t6). Pulse:
     * a1 W10 (3 + 4) / 2 = 3.5, W11 2; a2 W10 4, W11 5 (its W12 answer has no shift that week).
     * R 4.2.2: {@code x <- c(16 + 38/60, 0, 16 + 22/60, 8); y <- c(3.5, 2, 4, 5); g <- c(1, 1, 2, 2);
     * cor(x, y, method = "spearman")} 0.2; {@code cor(x - ave(x, g), y - ave(y, g), method =
     * "spearman")} 0.8.
     */
    @Test
    void weeklyIndexMeetsThePulseOfItsIsoWeek() throws IOException {
        Map<String, Map<String, String>> index = csv("index.csv", "agent_id", "iso_week");
        assertEquals(4, index.size());
        Map<String, String> a1 = index.get("a1|2025-W10");
        assertEquals("5", a1.get("shifts"));
        assertEquals("2", a1.get("high_empathy_shifts"));
        assertEquals(16.0, d(a1, "high_empathy_hours"), 1e-12);
        assertEquals(38.0, d(a1, "hostile_minutes"), 1e-12);
        assertEquals(16 + 38.0 / 60, d(a1, "fatigue_index"), 1e-12);
        assertEquals(3.5, d(a1, "pulse_fatigue"), 1e-12);
        assertEquals("2", a1.get("pulse_answers"));
        assertEquals(16 + 22.0 / 60, d(index.get("a2|2025-W10"), "fatigue_index"), 1e-12);
        assertEquals(8.0, d(index.get("a2|2025-W11"), "fatigue_index"), 1e-12);
        assertEquals(0.0, d(index.get("a1|2025-W11"), "fatigue_index"), 1e-12);
        Map<String, Map<String, String>> rho = csv("pulse_correlation.csv", "method");
        assertEquals(0.2, d(rho.get("pooled"), "spearman_rho"), 1e-12);
        assertEquals("4", rho.get("pooled").get("agent_weeks"));
        assertEquals("2", rho.get("pooled").get("agents"));
        assertEquals(0.8, d(rho.get("within_agent"), "spearman_rho"), 1e-12);
    }

    /**
     * The last contact is c8, Friday 12:00; the 14 days before it hold s1-s5 and t1-t5 (s6 and t6
     * are rostered after it). Both agents worked 2 of 5 shifts high-empathy: 0.4, the option's
     * share. a1's shifts oldest first are 0 1 0 1 0: one general shift drops s1 and leaves 2 of
     * 5, not below 0.4; two drop s2 too, 1 of 5. a2's are 1 0 0 1 0: one general shift drops t1.
     */
    @Test
    void rotationListsAgentsAtTheShareWithTheirGeneralShifts() throws IOException {
        Map<String, Map<String, String>> rotation = csv("rotation.csv", "agent_id");
        assertEquals(List.of("a1", "a2"), List.copyOf(rotation.keySet()));
        Map<String, String> a1 = rotation.get("a1");
        assertEquals("5", a1.get("recent_shifts"));
        assertEquals("2", a1.get("recent_high_empathy_shifts"));
        assertEquals(0.4, d(a1, "recent_high_empathy_share"), 1e-12);
        assertEquals(38.0, d(a1, "recent_hostile_minutes"), 1e-12);
        assertEquals("general", a1.get("last_queue"));
        assertEquals("2", a1.get("recommended_general_shifts"));
        assertEquals("1", rotation.get("a2").get("recommended_general_shifts"));
        assertEquals(6.3427119808843822, d(a1, "recovery_points"), 1e-9);
        assertEquals(15.88434491452890, d(a1, "recovery_ci_high"), 1e-8);
    }

    @Test
    void loadByQueuePoolsTheQueuesTurnsAndClustersTheLoadByAgent() throws IOException {
        Map<String, Map<String, String>> q = csv("load_by_queue.csv", "queue");
        assertEquals(List.of("general", "high_empathy"), List.copyOf(q.keySet()));
        Map<String, String> high = q.get("high_empathy");
        // s2, s4, t1, t4, t6: contacts c2 c3 | - | d2 | d5 | -; clear turns 2 + 1 + 1, hostile 1 + 1 + 1.
        assertEquals("5", high.get("shifts"));
        assertEquals("2", high.get("agents"));
        assertEquals("4", high.get("contacts"));
        assertEquals(0.75, d(high, "hostile_share"), 1e-12);
        assertEquals((-0.8 + 0.5 - 0.5 - 0.9) / 4, d(high, "mean_sentiment"), 1e-12);
        assertEquals((20.0 + 4 + 6) / 5, d(high, "hostile_minutes_per_shift"), 1e-12);
        assertEquals((2.5 + 0 + 0.5 + 0.75 + 0) / 5, d(high, "mean_emotional_load"), 1e-12);
    }

    /**
     * With a high-empathy queue that no shift has, no contact follows a high-empathy shift: the
     * term is a noted row without figures, the other terms are still estimated, nobody is listed.
     */
    @Test
    void withoutHighEmpathyShiftsTheTermIsNotedAndNobodyIsListed() throws IOException {
        Path other = dir.resolve("run-no-queue");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("fatigue", dir.resolve("input"), other,
                        "2026-01-31", Map.of()),
                Jobs.plan(List.of(Fatigue.DEFINITION.create(Map.of("high-queue", "No_Such_Queue", "bootstrap", "0")))),
                Progress.to(System.err));
        Path f = other.resolve("fatigue");
        List<String> effects = Files.readAllLines(f.resolve("effects.csv"));
        String row = effects.stream().filter(l -> l.startsWith("empathy_score,after_high_empathy_shift,")).findFirst()
                .orElseThrow();
        assertTrue(row.startsWith("empathy_score,after_high_empathy_shift,,,,,11,2,,not estimated: "), row);
        String load = effects.stream().filter(l -> l.startsWith("empathy_score,previous_shift_load,")).findFirst()
                .orElseThrow();
        assertFalse(load.startsWith("empathy_score,previous_shift_load,,"), "the load is still estimated: " + load);
        assertEquals(1, Files.readAllLines(f.resolve("rotation.csv")).size(), "the header only");
        String summary = Files.readString(f.resolve("summary.md"));
        assertTrue(summary.contains("was not fitted: after_high_empathy_shift does not vary within any agent"), summary);
        assertFalse(summary.contains("NaN"), summary);
    }

    @Test
    void theSummaryHasNoIdsAndSaysWhatWasFound() throws IOException {
        String summary = Files.readString(folder.resolve("summary.md"));
        for (String id : List.of("a1", "a2", "a3", "c1", "d1", "s1", "t1")) {
            assertFalse(summary.matches("(?s).*\\b" + id + "\\b.*"), id + " in summary.md:\n" + summary);
        }
        assertTrue(summary.contains("6.34 points lower"), summary);
        assertTrue(summary.contains("2 of the 2 agents"), summary);
        assertTrue(Files.size(folder.resolve("pulse_by_index.png")) > 0);
        assertFalse(summary.contains("NaN"));
    }

    /**
     * The order runs' input: a1 works four high-empathy shifts o1-o4 (Mon-Thu of 2025-W10, 08:00
     * to 16:00), each with one hostile contact at 10:00 whose handle time is 174, 294, 774 and
     * 4224 s, hostile minutes 2.9, 4.9, 12.9 and 70.4 (each the double nearest the decimal: one
     * value divided by 60); a2 works one general shift p1 (Mon 08:00-16:00) with four hostile
     * contacts of 2.9, 4.9, 12.9 and 70.4 s.
     *
     * <p>2.9 + 4.9 + 12.9 + 70.4 = 91.1 exactly in decimal, and the double nearest it prints as
     * 91.1. Added as doubles they never give that double: of the 24 orders, 12 give
     * 91.10000000000001 (left to right among them) and 12 give 91.10000000000002 (2.9 + 70.4 first,
     * say), and pairing them (2.9 + 4.9) + (12.9 + 70.4) gives 91.10000000000001 too. So a plain
     * Spark sum of these four values is wrong in its last digit whichever order the shuffle adds
     * them in, and which wrong digit depends on that order; an exact sum gives 91.1 every time.
     */
    @SuppressWarnings("unchecked")
    static Path orderInput() throws IOException {
        Path input = dir.resolve("order/input");
        List<Map<String, Object>> shifts = new ArrayList<>();
        List<Map<String, Object>> interactions = new ArrayList<>();
        List<Map<String, Object>> turns = new ArrayList<>();
        double[] handle = {174, 294, 774, 4224};
        for (int day = 0; day < handle.length; day++) {
            shifts.add(shift("o" + (day + 1), "a1", "high_empathy", at(day, 8), at(day, 16)));
            interactions.add(contact("oc" + (day + 1), "a1", at(day, 10), handle[day], 70.0, true));
            turns.add(turn("oc" + (day + 1), 0, "This is ridiculous.", -0.6));
        }
        shifts.add(shift("p1", "a2", "general", at(0, 8), at(0, 16)));
        double[] seconds = {2.9, 4.9, 12.9, 70.4};
        for (int i = 0; i < seconds.length; i++) {
            interactions.add(contact("pc" + (i + 1), "a2", at(0, 9 + i), seconds[i], 70.0, true));
            turns.add(turn("pc" + (i + 1), 0, "This is ridiculous.", -0.6));
        }
        Fixtures.write(input, Contract.SHIFTS, shifts.toArray(Map[]::new));
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.TURNS, turns.toArray(Map[]::new));
        return input;
    }

    /** The shuffle partition counts the order runs use. */
    static final List<String> PARTITIONS = List.of("1", "2", "3", "5");

    /**
     * The fatigue job's result on {@link #orderInput()} per shuffle partition count, computed once
     * for the three tests below (adaptive execution as the shared session has it).
     */
    static Map<String, Fatigue.Result> orderResults;

    static synchronized Map<String, Fatigue.Result> orderResults() throws IOException {
        if (orderResults != null) {
            return orderResults;
        }
        var spark = SharedSpark.session();
        ValidatedInput input = new InputValidator(spark, dir.resolve("order/work"), Progress.silent())
                .validate(orderInput(), dir.resolve("order/rejects"));
        Fatigue fatigue = new Fatigue(new Fatigue.Options("high_empathy", 14, 0.5, 3, 0, 7));
        Map<String, Fatigue.Result> results = new TreeMap<>();
        SharedSpark.underShufflePartitions(PARTITIONS,
                parts -> results.put(parts, fatigue.compute(new JobContext(spark, input, Progress.silent()))));
        orderResults = results;
        return results;
    }

    /**
     * Load by queue, sums of doubles in any order: a1's four high-empathy shifts carry 2.9, 4.9,
     * 12.9 and 70.4 hostile minutes ({@link #orderInput()}), 91.1 in all, so 91.1 / 4 per shift;
     * their loads are those over 8 hours (0.3625, 0.6125, 1.6125, 8.8, dividing by 8 is exact), so
     * the mean load is 91.1 / 8 / 4. A plain sum gives 91.10000000000001 / 4 or
     * 91.10000000000002 / 4 (and the same over 8).
     */
    @Test
    void loadByQueueSumsDoNotDependOnTheOrderSparkAddsIn() throws IOException {
        orderResults().forEach((parts, result) -> {
            Fatigue.QueueLoad high = result.loadByQueue().stream().filter(q -> q.queue().equals("high_empathy"))
                    .findFirst().orElseThrow();
            assertEquals(4, high.shifts(), parts + " partitions");
            assertEquals(Double.toString(91.1 / 4), Double.toString(high.hostileMinutesPerShift()),
                    parts + " partitions");
            assertEquals(Double.toString(91.1 / 8 / 4), Double.toString(high.load().mean()), parts + " partitions");
        });
    }

    /**
     * Weekly index, sums of doubles in any order: a1's 2025-W10 holds the four shifts of
     * {@link #orderInput()}, 32 high-empathy hours and 2.9 + 4.9 + 12.9 + 70.4 = 91.1 hostile
     * minutes (a plain sum: 91.10000000000001 or 91.10000000000002), so the index is 32 + 91.1 / 60.
     */
    @Test
    void weeklyIndexSumsDoNotDependOnTheOrderSparkAddsIn() throws IOException {
        orderResults().forEach((parts, result) -> {
            Fatigue.WeekIndex week = result.index().stream().filter(w -> w.agentId().equals("a1")).findFirst()
                    .orElseThrow();
            assertEquals("2025-W10", week.isoWeek(), parts + " partitions");
            assertEquals(4, week.shifts(), parts + " partitions");
            assertEquals(Double.toString(91.1), Double.toString(week.hostileMinutes()), parts + " partitions");
            assertEquals(Double.toString(32 + 91.1 / 60), Double.toString(week.index()), parts + " partitions");
        });
    }

    /**
     * Shift load, handle-time sums in any order: a2's shift p1 has four hostile contacts of 2.9,
     * 4.9, 12.9 and 70.4 seconds ({@link #orderInput()}), 91.1 s in all (a plain sum:
     * 91.10000000000001 or 91.10000000000002), so its handle and hostile minutes are 91.1 / 60.
     */
    @Test
    void shiftHandleTimeSumsDoNotDependOnTheOrderSparkAddsIn() throws IOException {
        orderResults().forEach((parts, result) -> {
            Row p1 = result.shiftLoad().filter(col("shift_id").equalTo("p1")).first();
            assertEquals(4L, p1.<Long>getAs("contacts"), parts + " partitions");
            assertEquals(Double.toString(91.1 / 60), Double.toString(p1.<Double>getAs("handle_minutes")),
                    parts + " partitions");
            assertEquals(Double.toString(91.1 / 60), Double.toString(p1.<Double>getAs("hostile_minutes")),
                    parts + " partitions");
        });
    }
}
