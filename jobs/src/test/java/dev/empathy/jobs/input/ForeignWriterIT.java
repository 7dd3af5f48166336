package dev.empathy.jobs.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.run.Progress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables written by DuckDB, not by Spark: upper-case column names, DECIMAL, REAL (float),
 * SMALLINT, TINYINT and INTEGER columns, local (no time zone) and nanosecond timestamps, single {@code .parquet}
 * files as well as folders, and planted bad rows whose counts are known.
 */
class ForeignWriterIT {

    @TempDir
    static Path dir;

    static ValidatedInput validated;
    static SparkSession spark;

    @BeforeAll
    static void writeWithDuckDb() throws Exception {
        spark = SharedSpark.session();
        Path input = dir.resolve("input");
        java.nio.file.Files.createDirectories(input.resolve("csat"));
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             Statement sql = db.createStatement()) {
            // 1,000 interactions; planted: 7 with empathy 120, 5 duplicated ids (a second row one hour later).
            sql.execute("""
                    CREATE TABLE interactions AS
                    SELECT 'I' || lpad(i::VARCHAR, 5, '0') AS "INTERACTION_ID",
                           'C' || (i % 300)::VARCHAR AS "Customer_Id",
                           'A' || (i % 20)::VARCHAR AS "AGENT_ID",
                           TIMESTAMP '2025-03-01 10:00:00' + to_minutes(i::BIGINT) AS "STARTED_AT",
                           CASE WHEN i % 2 = 0 THEN 'chat' ELSE 'voice' END AS "CHANNEL",
                           'emea' AS "REGION",
                           'in_house' AS "TEAM_TYPE",
                           (120 + i % 60)::INTEGER AS "HANDLE_SECONDS",
                           true AS "RESOLVED",
                           CAST(1.25 AS DECIMAL(6,2)) AS "RESOLUTION_HOURS",
                           CAST(CASE WHEN i <= 7 THEN 120.0 ELSE 70.5 END AS REAL) AS "EMPATHY_SCORE",
                           (i % 3 = 0) AS "EMPATHY_DOCUMENTED",
                           CAST(i % 100 AS SMALLINT) AS "AUDIENCE_REACH",
                           'extra' AS "SOMETHING_ELSE"
                    FROM range(1, 1001) t(i)
                    """);
            sql.execute("""
                    INSERT INTO interactions
                    SELECT "INTERACTION_ID", "Customer_Id", "AGENT_ID", "STARTED_AT" + INTERVAL 1 HOUR, "CHANNEL",
                           "REGION", "TEAM_TYPE", "HANDLE_SECONDS", "RESOLVED", "RESOLUTION_HOURS", "EMPATHY_SCORE",
                           "EMPATHY_DOCUMENTED", "AUDIENCE_REACH", 'dup'
                    FROM interactions WHERE "INTERACTION_ID" IN ('I00100', 'I00200', 'I00300', 'I00400', 'I00500')
                    """);
            sql.execute("COPY interactions TO '" + input.resolve("interactions.parquet") + "' (FORMAT PARQUET)");
            // 400 answers, SMALLINT; planted: 3 out of range, 2 of unknown interactions.
            sql.execute("""
                    COPY (SELECT 'I' || lpad(i::VARCHAR, 5, '0') AS interaction_id,
                                 CAST(CASE WHEN i <= 3 THEN 9 ELSE 1 + i % 5 END AS SMALLINT) AS csat,
                                 TIMESTAMPTZ '2025-03-02 08:00:00+00' AS responded_at
                          FROM range(1, 399) t(i)
                          UNION ALL SELECT 'X1', 5::SMALLINT, NULL UNION ALL SELECT 'X2', 4::SMALLINT, NULL)
                    TO '{file}' (FORMAT PARQUET)
                    """.replace("{file}", input.resolve("csat/part-0.parquet").toString()));
            // Turns with a BIGINT turn_index; planted: one index too large for an int.
            sql.execute("""
                    COPY (SELECT 'I00010' AS interaction_id, i::BIGINT AS turn_index,
                                 CASE WHEN i % 2 = 0 THEN 'customer' ELSE 'agent' END AS speaker,
                                 'text ' || i AS text, CAST(0.25 AS DECIMAL(4,2)) AS sentiment
                          FROM range(0, 6) t(i)
                          UNION ALL SELECT 'I00010', 3000000000, 'agent', 'late', NULL)
                    TO '{file}' (FORMAT PARQUET)
                    """.replace("{file}", input.resolve("turns.parquet").toString()));
            // Pulse with TINYINT fatigue and a nanosecond timestamp (TIMESTAMP_NS, which Spark cannot read
            // by itself); planted: one 0. An extra nanosecond column whose name holds a backtick is
            // converted as well, and must not stop validation (its name is quoted for Spark).
            sql.execute("""
                    COPY (SELECT 'A1' AS agent_id, '2025-03-03 12:00:00.123456789'::TIMESTAMP_NS AS surveyed_at,
                                 CAST(i AS TINYINT) AS fatigue,
                                 '2025-03-04 09:00:00.5'::TIMESTAMP_NS AS "noted`at" FROM range(0, 6) t(i))
                    TO '{file}' (FORMAT PARQUET)
                    """.replace("{file}", input.resolve("agent_pulse.parquet").toString()));
        }
        validated = new InputValidator(spark, dir.resolve("work"), Progress.silent())
                .validate(input, dir.resolve("rejects"));
    }

    @Test
    void reportsExactlyThePlantedBadRows() {
        TableLedger interactions = validated.table("interactions").orElseThrow().ledger();
        assertEquals(1005, interactions.rowsRead());
        assertEquals(new TreeMap<>(Map.of("out_of_range_empathy_score", 7L, "duplicate_id", 5L)),
                interactions.rejectedByReason());
        assertEquals(993, interactions.rowsUsed());

        TableLedger csat = validated.table("csat").orElseThrow().ledger();
        assertEquals(400, csat.rowsRead());
        // I00001..I00007 are rejected interactions, so answers 4..7 are unknown too (1..3 are out of range first).
        assertEquals(new TreeMap<>(Map.of("out_of_range_csat", 3L, "unknown_interaction", 6L)), csat.rejectedByReason());

        assertEquals(Map.of("out_of_range_turn_index", 1L), validated.table("turns").orElseThrow().ledger().rejectedByReason());
        assertEquals(Map.of("out_of_range_fatigue", 1L), validated.table("agent_pulse").orElseThrow().ledger().rejectedByReason());
    }

    @Test
    void readsValuesByKind() {
        Row i = validated.table("interactions").orElseThrow().used().filter("interaction_id = 'I00010'").first();
        assertEquals(Instant.parse("2025-03-01T10:10:00Z"), i.<java.sql.Timestamp>getAs("started_at").toInstant(),
                "a local timestamp is read as UTC");
        assertEquals(1.25, i.<Double>getAs("resolution_hours"), 0.0, "decimal to double");
        assertEquals(70.5, i.<Double>getAs("empathy_score"), 0.0, "float to double");
        assertEquals(130.0, i.<Double>getAs("handle_seconds"), 0.0, "integer to double");
        assertEquals(10L, i.<Long>getAs("audience_reach").longValue(), "smallint to long");
        Row kept = validated.table("interactions").orElseThrow().used().filter("interaction_id = 'I00100'").first();
        assertEquals(Instant.parse("2025-03-01T11:40:00Z"), kept.<java.sql.Timestamp>getAs("started_at").toInstant(),
                "of duplicated ids the earliest started_at is kept");

        Row c = validated.table("csat").orElseThrow().used().filter("interaction_id = 'I00010'").first();
        assertEquals(1 + 10 % 5, c.<Integer>getAs("csat").intValue(), "smallint to int");
        assertEquals(Instant.parse("2025-03-02T08:00:00Z"), c.<java.sql.Timestamp>getAs("responded_at").toInstant());
        Row t = validated.table("turns").orElseThrow().used().filter("turn_index = 5").first();
        assertEquals(0.25, t.<Double>getAs("sentiment"), 0.0);
        assertEquals(5, t.<Integer>getAs("turn_index").intValue(), "bigint that fits to int");
        Row p = validated.table("agent_pulse").orElseThrow().used().first();
        assertEquals(Instant.parse("2025-03-03T12:00:00.123456Z"), p.<java.sql.Timestamp>getAs("surveyed_at").toInstant(),
                "a nanosecond timestamp, truncated to the microsecond");
    }
}
