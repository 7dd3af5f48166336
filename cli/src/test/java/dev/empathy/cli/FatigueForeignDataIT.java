package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fatigue job on data our generator did not make: a contact centre written by DuckDB SQL, with
 * a schedule of another shape and its own planted effect.
 *
 * <ul>
 *   <li>30 agents on twelve-hour shifts, four days on and four off; odd agents work nights (19:00
 *       to 07:00, over midnight), even ones days (07:00 to 19:00); 100 days from 2024-11-01, so the
 *       ISO weeks cross into 2025. The queue is {@code High_Empathy} (mixed case) or
 *       {@code standard}, drawn per shift with probability 0.55 for every third agent and 0.2 for
 *       the others.</li>
 *   <li>3 to 8 contacts per shift at any second of it. 70% are QA-scored: 72 + the agent's own
 *       level (uniform, -8 to 8) <b>- 6 when the agent's previous shift was High_Empathy</b> +
 *       noise (5 x the sum of three uniforms on -1..1, so the score stays within 0..100 and the
 *       effect is exactly -6 on every contact).</li>
 *   <li>One contact per agent at noon on a day off (outside every shift) and three of an agent
 *       with no shift at all.</li>
 *   <li>One contact in eight has a one-line transcript (hostile or cooperative); no csat table.</li>
 *   <li>A weekly pulse on the Friday of every ISO week with shifts: 1 + the week's High_Empathy
 *       shifts + noise (-1, 0, 0 or 1), within 1..5.</li>
 * </ul>
 * Values are drawn from DuckDB's {@code hash} of a label, so the data are the same on every run;
 * the expected counts are counted by SQL on the same tables.
 */
class FatigueForeignDataIT {

    @TempDir
    static Path dir;

    static Path out;
    static Map<String, Long> expected = new HashMap<>();

    static final List<String> BUILD = List.of(
            "SET TimeZone = 'UTC'",
            """
            CREATE TABLE team AS SELECT 'agent-' || lpad(i::VARCHAR, 2, '0') AS agent_id, i,
                CASE WHEN i % 3 = 0 THEN 0.55 ELSE 0.2 END AS p_high,
                ((hash('offset-' || i) % 1000) / 1000.0 - 0.5) * 16 AS level FROM range(1, 31) t(i)""",
            """
            CREATE TABLE roster AS SELECT 'SH-' || t.agent_id || '-' || lpad(d::VARCHAR, 3, '0') AS shift_id, t.agent_id,
                TIMESTAMPTZ '2024-11-01 00:00:00+00' + to_days(d::INTEGER)
                    + to_hours(CASE WHEN t.i % 2 = 0 THEN 7 ELSE 19 END) AS start_at,
                CASE WHEN (hash('queue-' || t.agent_id || '-' || d) % 1000) / 1000.0 < t.p_high
                    THEN 'High_Empathy' ELSE 'standard' END AS queue
            FROM team t, range(0, 100) r(d) WHERE (d + t.i) % 8 < 4""",
            """
            CREATE TABLE sequenced AS SELECT *, start_at + to_hours(12) AS end_at,
                lag(queue) OVER (PARTITION BY agent_id ORDER BY start_at, shift_id) AS previous_queue FROM roster""",
            """
            CREATE TABLE contacts AS SELECT 'X-' || s.shift_id || '-' || k AS interaction_id, s.agent_id,
                s.previous_queue, s.queue,
                s.start_at + to_seconds((hash('at-' || s.shift_id || '-' || k) % 43200)::BIGINT) AS started_at
            FROM sequenced s, range(0, 8) r(k) WHERE k < 3 + hash('n-' || s.shift_id) % 6""",
            """
            CREATE TABLE scored AS SELECT c.*,
                CASE WHEN hash('scored-' || c.interaction_id) % 10 < 7 THEN
                    72 + t.level + CASE WHEN c.previous_queue = 'High_Empathy' THEN -6 ELSE 0 END
                    + 5 * ((hash('e1-' || c.interaction_id) % 1000) / 500.0 - 1
                        + (hash('e2-' || c.interaction_id) % 1000) / 500.0 - 1
                        + (hash('e3-' || c.interaction_id) % 1000) / 500.0 - 1) END AS empathy_score
            FROM contacts c JOIN team t USING (agent_id)""",
            """
            CREATE TABLE outside AS
                SELECT 'OUT-' || t.agent_id AS interaction_id, t.agent_id,
                    TIMESTAMPTZ '2024-11-01 12:00:00+00'
                        + to_days((SELECT min(d) FROM range(4, 12) r(d) WHERE (d + t.i) % 8 = 6)::INTEGER) AS started_at,
                    66.0 AS empathy_score
                FROM team t
                UNION ALL SELECT 'NOSHIFT-' || k, 'agent-99', TIMESTAMPTZ '2024-12-02 10:00:00+00' + to_hours(k::INTEGER),
                    70.0 FROM range(0, 3) r(k)""",
            """
            CREATE TABLE interactions AS
                SELECT interaction_id, 'cust-' || (hash('customer-' || interaction_id) % 900) AS customer_id, agent_id,
                    started_at, 'chat' AS channel, 'emea' AS region, 'in_house' AS team_type, 'billing' AS contact_reason,
                    (200 + hash('handle-' || interaction_id) % 600)::DOUBLE AS handle_seconds, true AS resolved,
                    round(empathy_score, 1) AS empathy_score, coalesce(empathy_score > 74, false) AS empathy_documented,
                    'en' AS language
                FROM (SELECT interaction_id, agent_id, started_at, empathy_score FROM scored
                      UNION ALL SELECT interaction_id, agent_id, started_at, empathy_score FROM outside)""",
            """
            CREATE TABLE turns AS
                SELECT interaction_id, 0::INTEGER AS turn_index, 'customer' AS speaker,
                    CASE WHEN hash('tone-' || interaction_id) % 2 = 0 THEN 'This is ridiculous.'
                        ELSE 'Thanks for your help.' END AS text,
                    CASE WHEN hash('tone-' || interaction_id) % 2 = 0 THEN -0.6 ELSE 0.5 END AS sentiment
                FROM contacts WHERE hash('transcript-' || interaction_id) % 8 = 0""",
            """
            CREATE TABLE agent_pulse AS
                SELECT agent_id, week + to_days(4) + to_hours(16) AS surveyed_at,
                    greatest(1, least(5, 1 + high + CASE hash('pulse-' || agent_id || week::VARCHAR) % 4
                        WHEN 0 THEN -1 WHEN 3 THEN 1 ELSE 0 END))::INTEGER AS fatigue
                FROM (SELECT agent_id, date_trunc('week', start_at) AS week,
                             sum(CASE WHEN queue = 'High_Empathy' THEN 1 ELSE 0 END) AS high
                      FROM roster GROUP BY ALL)""");

    @BeforeAll
    static void build() throws SQLException, IOException {
        MainIT.session();
        Path input = dir.resolve("input");
        Files.createDirectories(input);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            for (String sql : BUILD) {
                s.execute(sql);
            }
            s.execute("CREATE TABLE shifts AS SELECT shift_id, agent_id, start_at, end_at, queue FROM sequenced");
            ForeignTables.copy(s, input, "interactions", "turns", "shifts", "agent_pulse");
            expected.put("interactions", count(s, "SELECT count(*) FROM interactions"));
            expected.put("contacts_outside_every_shift", count(s, "SELECT count(*) FROM outside WHERE agent_id <> 'agent-99'"));
            expected.put("contacts_of_agents_without_shifts", count(s, "SELECT count(*) FROM outside WHERE agent_id = 'agent-99'"));
            expected.put("shifts", count(s, "SELECT count(*) FROM shifts"));
            expected.put("high_empathy_shifts", count(s, "SELECT count(*) FROM shifts WHERE queue = 'High_Empathy'"));
            expected.put("contacts_after_a_previous_shift",
                    count(s, "SELECT count(*) FROM scored WHERE previous_queue IS NOT NULL"));
            expected.put("modelled_empathy_score",
                    count(s, "SELECT count(*) FROM scored WHERE previous_queue IS NOT NULL AND empathy_score IS NOT NULL"));
            expected.put("pulse_answers", count(s, "SELECT count(*) FROM agent_pulse"));
        }
        out = dir.resolve("out");
        MainIT.Outcome o = MainIT.run("fatigue", "--input", input.toString(), "--output", out.toString());
        assertEquals(0, o.code(), o.err());
    }

    private static long count(Statement s, String sql) throws SQLException {
        return (long) ForeignTables.number(s, sql);
    }

    private static List<CSVRecord> csv(String file) throws IOException {
        return ForeignTables.csv(out.resolve("fatigue").resolve(file));
    }

    @Test
    void everyContactIsPlacedOrCountedOutside() throws IOException {
        Map<String, Long> population = new HashMap<>();
        for (CSVRecord r : csv("population.csv")) {
            population.put(r.get("step"), Long.parseLong(r.get("count")));
        }
        expected.forEach((step, n) -> assertEquals(n, population.get(step), step));
        assertEquals(0L, population.get("contacts_in_overlapping_shifts"));
        assertEquals(expected.get("interactions") - expected.get("contacts_outside_every_shift")
                - expected.get("contacts_of_agents_without_shifts"), population.get("contacts_in_a_shift"));
    }

    /** The planted -6 points after a High_Empathy shift, within the job's 95% interval. */
    @Test
    void theJobRecoversThePlantedPenalty() throws IOException {
        Map<String, CSVRecord> effects = new HashMap<>();
        for (CSVRecord r : csv("effects.csv")) {
            effects.put(r.get("outcome") + "|" + r.get("term"), r);
        }
        CSVRecord score = effects.get("empathy_score|after_high_empathy_shift");
        double low = Double.parseDouble(score.get("ci_low"));
        double high = Double.parseDouble(score.get("ci_high"));
        assertTrue(low <= -6 && -6 <= high, "planted -6 outside " + score);
        assertTrue(high - low < 1.5, "an informative interval: " + score);
        assertEquals("30", score.get("clusters"));
        // No csat table: the CSAT model has no rows, and says so.
        CSVRecord csat = effects.get("csat|after_high_empathy_shift");
        assertTrue(csat.get("estimate").isEmpty() && csat.get("note").startsWith("not fitted"), csat.toString());
    }

    @Test
    void theWeeklyIndexGoesWithThePulse() throws IOException {
        for (CSVRecord r : csv("pulse_correlation.csv")) {
            assertTrue(Double.parseDouble(r.get("ci_low")) > 0, r.toString());
        }
        // ISO weeks across the new year: 2024-12-30 is in 2025-W01.
        assertTrue(csv("index.csv").stream().anyMatch(r -> r.get("iso_week").equals("2025-W01")));
        assertFalse(csv("index.csv").stream().anyMatch(r -> r.get("iso_week").equals("2024-W01")));
    }

    @Test
    void theSummaryNamesNoAgent() throws IOException {
        String summary = Files.readString(out.resolve("fatigue/summary.md"));
        assertFalse(summary.matches("(?s).*agent-\\d.*"), summary);
        assertTrue(summary.contains("CSAT was not fitted"), summary);
    }
}
