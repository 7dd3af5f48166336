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
 * The calibration job on QA ratings our generator did not make: written by DuckDB SQL, with its
 * own raters, planted biases and drift, and alpha computed by SQL from Krippendorff's pairwise
 * definition (every ordered pair of values, no coincidence matrix and no shortcut through sums of
 * squares), so that the job's alpha is checked against an implementation that shares nothing
 * with it.
 *
 * <ul>
 *   <li>480 interactions, 120 in each month from January to April 2025 (the month index m is 0 to
 *       3); interaction i has a true level of 40 + 40 u_i (u uniform on 0..1 from a hash).</li>
 *   <li>Nine raters: calibration {@code cal-1}..{@code cal-3} (no bias), in-house
 *       {@code ih-1}..{@code ih-4} and outsourced {@code os-1}..{@code os-4}. A rating is the
 *       level + the team's offset + the rater's own bias + noise (3 x the sum of three uniforms
 *       on -1..1, sd 3): in-house offset <b>+1</b>, rater biases -1.5, -0.5, 0.5, 1.5;
 *       outsourced offset <b>+6 + 0.5 m</b> (a drift of half a point a month), biases -2, -1, 1,
 *       2. The biases of a team sum to zero.</li>
 *   <li>Each interaction is rated by two of the calibration raters, one or two in-house raters
 *       and one or two outsourced ones, chosen by hash; one interaction in twelve is rated by an
 *       outsourced rater alone (not pairable), and 7 ratings name an interaction that does not
 *       exist.</li>
 * </ul>
 * The planted differences from calibration: in-house +1 overall and each rater its bias + 1;
 * outsourced 6 + 0.5 x (the mean month of its compared interactions, counted by SQL) and each
 * rater its bias + that; the outsourced trend +0.5 a month, the in-house one 0.
 */
class CalibrationForeignDataIT {

    @TempDir
    static Path dir;

    static Path out;
    static double pairwiseAlpha;
    static double outsourcedMeanMonth;
    static long unknown;

    static final List<String> BUILD = List.of(
            "SET TimeZone = 'UTC'",
            """
            CREATE TABLE units AS SELECT 'case_' || lpad(i::VARCHAR, 4, '0') AS interaction_id, i,
                i // 120 AS m,
                TIMESTAMPTZ '2025-01-02 08:00:00+00' + to_months((i // 120)::INTEGER)
                    + to_minutes((hash('at-' || i) % 36000)::INTEGER) AS started_at,
                40 + 40 * (hash('level-' || i) % 100000) / 100000.0 AS level
            FROM range(0, 480) t(i)""",
            """
            CREATE TABLE raters AS SELECT * FROM (VALUES
                ('cal-1', 'calibration', 0.0, 1), ('cal-2', 'calibration', 0.0, 2), ('cal-3', 'calibration', 0.0, 3),
                ('ih-1', 'in_house', -1.5, 1), ('ih-2', 'in_house', -0.5, 2), ('ih-3', 'in_house', 0.5, 3),
                ('ih-4', 'in_house', 1.5, 4),
                ('os-1', 'outsourced', -2.0, 1), ('os-2', 'outsourced', -1.0, 2), ('os-3', 'outsourced', 1.0, 3),
                ('os-4', 'outsourced', 2.0, 4)) r(rater_id, rater_team, bias, k)""",
            // Who rates what: two calibration raters (all but one of three), one or two of each
            // other team (the k-th and, for some, the next one round the team).
            """
            CREATE TABLE assigned AS
                SELECT u.interaction_id, r.rater_id FROM units u, raters r
                WHERE u.i % 12 <> 0 AND r.rater_team = 'calibration' AND r.k <> 1 + hash('skip-' || u.i) % 3
                UNION ALL
                SELECT u.interaction_id, r.rater_id FROM units u, raters r
                WHERE u.i % 12 <> 0 AND r.rater_team <> 'calibration'
                  AND (r.k = 1 + hash(r.rater_team || '-first-' || u.i) % 4
                       OR (hash(r.rater_team || '-two-' || u.i) % 2 = 0
                           AND r.k = 1 + (hash(r.rater_team || '-first-' || u.i) % 4 + 1) % 4))
                UNION ALL
                SELECT u.interaction_id, 'os-' || (1 + u.i % 4) FROM units u WHERE u.i % 12 = 0""",
            """
            CREATE TABLE qa_ratings AS
                SELECT a.interaction_id, a.rater_id, r.rater_team,
                    round(u.level + r.bias
                        + CASE r.rater_team WHEN 'in_house' THEN 1 WHEN 'outsourced' THEN 6 + 0.5 * u.m ELSE 0 END
                        + 3 * ((hash('n1-' || a.interaction_id || a.rater_id) % 1000) / 500.0 - 1
                            + (hash('n2-' || a.interaction_id || a.rater_id) % 1000) / 500.0 - 1
                            + (hash('n3-' || a.interaction_id || a.rater_id) % 1000) / 500.0 - 1), 2) AS empathy_score,
                    u.started_at + to_days(3) AS rated_at
                FROM assigned a JOIN units u USING (interaction_id) JOIN raters r USING (rater_id)
                UNION ALL
                SELECT 'case_9' || k, 'cal-1', 'calibration', 50.0, TIMESTAMPTZ '2025-02-01 00:00:00+00'
                FROM range(0, 7) t(k)""",
            """
            CREATE TABLE interactions AS
                SELECT interaction_id, 'c' || (i % 97) AS customer_id, 'agent' || (i % 13) AS agent_id, started_at,
                    'voice' AS channel, 'apac' AS region, 'in_house' AS team_type, true AS resolved,
                    false AS empathy_documented
                FROM units""");

    /**
     * Krippendorff's alpha from its definition over pairs: D_o = (1/n) sum over units of the
     * squared differences of every ordered pair of values within the unit over (m_u - 1), D_e =
     * 1/(n(n-1)) times the squared differences of every ordered pair of the n pairable values.
     */
    static final String PAIRWISE_ALPHA = """
            WITH v AS (SELECT row_number() OVER () AS id, interaction_id, empathy_score AS x
                       FROM qa_ratings JOIN units USING (interaction_id)),
                 m AS (SELECT interaction_id, count(*) AS mu FROM v GROUP BY ALL HAVING count(*) >= 2),
                 p AS (SELECT v.* FROM v JOIN m USING (interaction_id)),
                 within AS (SELECT sum((a.x - b.x) ^ 2 / (m.mu - 1)) AS s FROM p a JOIN p b
                            ON a.interaction_id = b.interaction_id AND a.id <> b.id JOIN m ON m.interaction_id = a.interaction_id),
                 across AS (SELECT sum((a.x - b.x) ^ 2) AS s FROM p a, p b WHERE a.id <> b.id),
                 n AS (SELECT count(*)::DOUBLE AS n FROM p)
            SELECT 1 - (within.s / n.n) / (across.s / (n.n * (n.n - 1))) FROM within, across, n""";

    @BeforeAll
    static void build() throws SQLException, IOException {
        MainIT.session();
        Path input = dir.resolve("input");
        Files.createDirectories(input);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            for (String sql : BUILD) {
                s.execute(sql);
            }
            ForeignTables.copy(s, input, "interactions", "qa_ratings");
            pairwiseAlpha = number(s, PAIRWISE_ALPHA);
            // The interactions where the outsourced team's difference is measured: rated by it and
            // by calibration.
            outsourcedMeanMonth = number(s, """
                    SELECT avg(m) FROM units WHERE interaction_id IN (SELECT interaction_id FROM qa_ratings
                        WHERE rater_team = 'outsourced') AND interaction_id IN (SELECT interaction_id FROM qa_ratings
                        WHERE rater_team = 'calibration')""");
            unknown = (long) number(s, "SELECT count(*) FROM qa_ratings WHERE interaction_id NOT IN "
                    + "(SELECT interaction_id FROM units)");
        }
        out = dir.resolve("out");
        MainIT.Outcome o = MainIT.run("calibration", "--input", input.toString(), "--output", out.toString(),
                "--resamples", "200");
        assertEquals(0, o.code(), o.err());
    }

    private static double number(Statement s, String sql) throws SQLException {
        return ForeignTables.number(s, sql);
    }

    private static List<CSVRecord> csv(String file) throws IOException {
        return ForeignTables.csv(out.resolve("calibration").resolve(file));
    }

    private static double d(CSVRecord r, String column) {
        return Double.parseDouble(r.get(column));
    }

    private static void assertHolds(double planted, CSVRecord r) {
        assertTrue(d(r, "ci_low") <= planted && planted <= d(r, "ci_high"), "planted " + planted + " outside " + r);
    }

    @Test
    void alphaOverAllRatersEqualsThePairwiseDefinitionComputedBySql() throws IOException {
        CSVRecord all = csv("agreement.csv").stream()
                .filter(r -> r.get("rater_team").equals("all") && r.get("statistic").equals("alpha_interval"))
                .findFirst().orElseThrow();
        assertEquals(pairwiseAlpha, d(all, "estimate"), 1e-9, all.toString());
        assertTrue(d(all, "ci_low") < pairwiseAlpha && pairwiseAlpha < d(all, "ci_high"), all.toString());
        assertEquals(440, Integer.parseInt(all.get("units")), "480 interactions less the 40 rated once");
    }

    @Test
    void theTeamsAndRatersPlantedDifferencesAreRecovered() throws IOException {
        Map<String, CSVRecord> team = new HashMap<>();
        Map<String, CSVRecord> rater = new HashMap<>();
        for (CSVRecord r : csv("bias.csv")) {
            (r.get("scope").equals("team") ? team : rater).put(r.get("scope").equals("team")
                    ? r.get("rater_team") : r.get("rater_id"), r);
        }
        double outsourced = 6 + 0.5 * outsourcedMeanMonth;
        assertHolds(1, team.get("in_house"));
        assertHolds(outsourced, team.get("outsourced"));
        Map<String, Double> planted = Map.of("ih-1", -0.5, "ih-2", 0.5, "ih-3", 1.5, "ih-4", 2.5,
                "os-1", outsourced - 2, "os-2", outsourced - 1, "os-3", outsourced + 1, "os-4", outsourced + 2);
        long held = planted.entrySet().stream().filter(e -> {
            CSVRecord r = rater.get(e.getKey());
            return d(r, "ci_low") <= e.getValue() && e.getValue() <= d(r, "ci_high");
        }).count();
        assertTrue(held >= 7, held + " of 8 raters' planted differences inside their intervals: " + rater);
        assertEquals("most_lenient", rater.get("os-4").get("mark"));
        assertEquals("strictest", rater.get("ih-1").get("mark"));
        // Calibration raters, each against the other calibration raters: no bias planted.
        for (String c : List.of("cal-1", "cal-2", "cal-3")) {
            assertHolds(0, rater.get(c));
        }
    }

    @Test
    void theOutsourcedDriftIsFoundAndTheInHouseTeamHasNone() throws IOException {
        Map<String, CSVRecord> trend = new HashMap<>();
        for (CSVRecord r : csv("drift.csv")) {
            if (r.get("month").equals("all")) {
                trend.put(r.get("rater_team"), r);
            }
        }
        assertHolds(0.5, trend.get("outsourced"));
        assertTrue(d(trend.get("outsourced"), "ci_low") > 0, trend.get("outsourced").toString());
        assertHolds(0, trend.get("in_house"));
        assertTrue(csv("drift.csv").stream().anyMatch(r -> r.get("month").equals("2025-04")));
    }

    @Test
    void theRatingsOfUnknownInteractionsAreCountedAndNoRaterIsNamedInTheSummary() throws IOException {
        Map<String, Long> population = new HashMap<>();
        for (CSVRecord r : csv("population.csv")) {
            population.put(r.get("step"), Long.parseLong(r.get("count")));
        }
        assertEquals(7, unknown);
        assertEquals(unknown, population.get("ratings_rejected_unknown_interaction"));
        assertEquals(40L, population.get("interactions_rated_once"));
        String summary = Files.readString(out.resolve("calibration/summary.md"));
        assertFalse(summary.matches("(?s).*(cal|ih|os)-\\d.*"), summary);
    }
}
