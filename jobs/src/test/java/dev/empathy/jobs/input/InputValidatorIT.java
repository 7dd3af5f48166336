package dev.empathy.jobs.input;

import static dev.empathy.jobs.Fixtures.T0;
import static dev.empathy.jobs.Fixtures.csat;
import static dev.empathy.jobs.Fixtures.interaction;
import static dev.empathy.jobs.Fixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.store.Location;
import dev.empathy.lib.contract.Contract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every row rule of the contract on named rows, and the ledger over a fixture that mixes them all. */
class InputValidatorIT {

    @TempDir
    static Path dir;

    static SparkSession spark;
    static ValidatedInput validated;
    static Path rejects;

    /**
     * Each bad row carries its expected reason in the extra column {@code label}; good rows are
     * labelled {@code ok}.
     */
    @BeforeAll
    @SuppressWarnings("unchecked")
    static void validateMixedFixture() {
        spark = SharedSpark.session();
        Path input = dir.resolve("input");
        Fixtures.write(input, Contract.INTERACTIONS,
                interaction("i1", "label", "ok"),
                interaction("i2", "label", "ok", "customer_id", "c2", "empathy_score", null),
                interaction("", "label", "missing_interaction_id"),
                interaction("i4", "label", "missing_customer_id", "customer_id", "   "),
                interaction("i5", "label", "missing_agent_id", "agent_id", null),
                interaction("i6", "label", "missing_started_at", "started_at", null),
                interaction("i7", "label", "missing_channel", "channel", ""),
                interaction("i8", "label", "missing_region", "region", null),
                interaction("i9", "label", "missing_team_type", "team_type", null),
                interaction("i10", "label", "invalid_team_type", "team_type", "vendor"),
                interaction("i11", "label", "out_of_range_handle_seconds", "handle_seconds", -1.0),
                interaction("i12", "label", "missing_resolved", "resolved", null),
                interaction("i13", "label", "out_of_range_resolution_hours", "resolution_hours", -0.5),
                interaction("i14", "label", "out_of_range_empathy_score", "empathy_score", 100.5),
                interaction("i15", "label", "out_of_range_empathy_score", "empathy_score", Double.NaN),
                interaction("i16", "label", "missing_empathy_documented", "empathy_documented", null),
                interaction("i17", "label", "out_of_range_audience_reach", "audience_reach", -3L),
                interaction("i18", "label", "out_of_range_first_response_minutes", "first_response_minutes", -1.0),
                // i1 again, later: the earlier i1 is kept.
                interaction("i1", "label", "duplicate_id", "started_at", T0.plusSeconds(60)),
                // Breaks two rules: reported under the first in contract order, both listed.
                interaction("i19", "label", "missing_customer_id", "customer_id", "", "empathy_score", -5.0),
                interaction("i20", "label", "ok", "team_type", " Outsourced ", "channel", "Voice"));
        Fixtures.write(input, Contract.CSAT,
                csat("i1", "label", "ok"),
                csat("i2", "label", "ok", "csat", 1),
                csat("i1", "label", "duplicate_id", "responded_at", T0.plusSeconds(9000)),
                csat("i4", "label", "unknown_interaction"),
                csat("nope", "label", "unknown_interaction"),
                csat("i20", "label", "out_of_range_csat", "csat", 0),
                csat("i20", "label", "out_of_range_csat", "csat", 6),
                csat("i20", "label", "missing_csat", "csat", null));
        Fixtures.write(input, Contract.TURNS,
                row(Contract.TURNS, "interaction_id", "i1", "turn_index", 0, "speaker", "customer", "text", "hi",
                        "label", "ok"),
                row(Contract.TURNS, "interaction_id", "i1", "turn_index", 1, "speaker", "Agent", "text", "",
                        "sentiment", 0.2, "label", "ok"),
                row(Contract.TURNS, "interaction_id", "i1", "turn_index", 1, "speaker", "agent", "text", "again",
                        "label", "duplicate_id"),
                row(Contract.TURNS, "interaction_id", "i1", "turn_index", -1, "speaker", "agent", "text", "x",
                        "label", "out_of_range_turn_index"),
                row(Contract.TURNS, "interaction_id", "i1", "turn_index", 2, "speaker", "bot", "text", "x",
                        "label", "invalid_speaker"),
                row(Contract.TURNS, "interaction_id", "i1", "turn_index", 3, "speaker", "customer", "text", "x",
                        "sentiment", 1.5, "label", "out_of_range_sentiment"),
                row(Contract.TURNS, "interaction_id", "i1", "turn_index", null, "speaker", "customer", "text", "x",
                        "label", "missing_turn_index"));
        Fixtures.write(input, Contract.CUSTOMERS,
                row(Contract.CUSTOMERS, "customer_id", "c1", "segment", "prepaid", "label", "ok",
                        "signup_at", T0.minusSeconds(86_400)),
                row(Contract.CUSTOMERS, "customer_id", "c1", "segment", "business", "label", "duplicate_id",
                        "signup_at", T0),
                row(Contract.CUSTOMERS, "customer_id", "c2", "segment", " ", "label", "missing_segment"),
                row(Contract.CUSTOMERS, "customer_id", null, "segment", "prepaid", "label", "missing_customer_id"));
        Fixtures.write(input, Contract.AGENTS,
                row(Contract.AGENTS, "agent_id", "a1", "team_type", "in_house", "label", "ok"),
                row(Contract.AGENTS, "agent_id", "a2", "team_type", "bpo", "label", "invalid_team_type"));
        Fixtures.write(input, Contract.SHIFTS,
                row(Contract.SHIFTS, "shift_id", "s1", "agent_id", "a1", "start_at", T0, "end_at", T0.plusSeconds(3600),
                        "label", "ok"),
                row(Contract.SHIFTS, "shift_id", "s2", "agent_id", "a1", "start_at", T0, "end_at", T0,
                        "label", "end_at_not_after_start_at"),
                row(Contract.SHIFTS, "shift_id", "s3", "agent_id", "", "start_at", T0, "end_at", T0.plusSeconds(1),
                        "label", "missing_agent_id"));
        Fixtures.write(input, Contract.QA_RATINGS,
                row(Contract.QA_RATINGS, "interaction_id", "i1", "rater_id", "r1", "rater_team", "calibration",
                        "empathy_score", 60.0, "label", "ok"),
                row(Contract.QA_RATINGS, "interaction_id", "i1", "rater_id", "r2", "rater_team", "vendor",
                        "empathy_score", 60.0, "label", "invalid_rater_team"),
                row(Contract.QA_RATINGS, "interaction_id", "i1", "rater_id", "r2", "rater_team", "in_house",
                        "empathy_score", null, "label", "missing_empathy_score"),
                row(Contract.QA_RATINGS, "interaction_id", "zz", "rater_id", "r2", "rater_team", "in_house",
                        "empathy_score", 50.0, "label", "unknown_interaction"));
        Fixtures.write(input, Contract.AGENT_PULSE,
                row(Contract.AGENT_PULSE, "agent_id", "a1", "surveyed_at", T0, "fatigue", 3, "label", "ok"),
                row(Contract.AGENT_PULSE, "agent_id", "a1", "surveyed_at", T0, "fatigue", 6, "label",
                        "out_of_range_fatigue"),
                row(Contract.AGENT_PULSE, "agent_id", "a1", "surveyed_at", null, "fatigue", 2, "label",
                        "missing_surveyed_at"));
        rejects = dir.resolve("out/rejects");
        // Three tables at a time after interactions, as nightly checks them: the planted counts below hold for it.
        validated = new InputValidator(spark, Location.local(dir.resolve("out/_work")), Progress.silent(), 3)
                .validate(Location.local(input), Location.local(rejects));
    }

    @Test
    void oneTableAtATimeGivesTheSameLedgersAndUsedRows(@TempDir Path out) {
        ValidatedInput alone = new InputValidator(spark, out.resolve("w"), Progress.silent())
                .validate(dir.resolve("input"), out.resolve("r"));
        assertEquals(List.copyOf(validated.tables().keySet()), List.copyOf(alone.tables().keySet()));
        for (String table : validated.tables().keySet()) {
            ValidatedTable side = validated.table(table).orElseThrow();
            ValidatedTable one = alone.table(table).orElseThrow();
            assertEquals(side.ledger(), one.ledger(), table);
            assertEquals(side.used().collectAsList().stream().map(Row::toString).sorted().toList(),
                    one.used().collectAsList().stream().map(Row::toString).sorted().toList(), table);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new InputValidator(spark, Location.local(out), Progress.silent(), 0));
    }

    @Test
    void everyRejectedRowCarriesTheReasonItWasBuiltToBreak() {
        for (String table : List.of("interactions", "csat", "turns", "customers", "agents", "shifts", "qa_ratings",
                "agent_pulse")) {
            List<Row> rows = spark.read().parquet(rejects.resolve(table).toString()).collectAsList();
            assertFalse(rows.isEmpty(), table);
            for (Row r : rows) {
                assertEquals(r.<String>getAs("label"), r.<String>getAs("reject_reason"), table + " " + r);
            }
            long okRows = validated.table(table).orElseThrow().used().count();
            TableLedger ledger = validated.table(table).orElseThrow().ledger();
            assertEquals(ledger.rowsUsed(), okRows, table);
            assertEquals(rows.size(), ledger.rowsRejected(), table);
        }
    }

    @Test
    void theLedgerAddsUpWithTheExactCountsPlanted() {
        TableLedger interactions = validated.table("interactions").orElseThrow().ledger();
        assertEquals(21, interactions.rowsRead());
        assertEquals(3, interactions.rowsUsed());
        assertEquals(18, interactions.rowsRejected());
        Map<String, Long> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("missing_interaction_id", 1L), Map.entry("missing_customer_id", 2L),
                Map.entry("missing_agent_id", 1L), Map.entry("missing_started_at", 1L),
                Map.entry("missing_channel", 1L), Map.entry("missing_region", 1L),
                Map.entry("missing_team_type", 1L), Map.entry("invalid_team_type", 1L),
                Map.entry("out_of_range_handle_seconds", 1L), Map.entry("missing_resolved", 1L),
                Map.entry("out_of_range_resolution_hours", 1L), Map.entry("out_of_range_empathy_score", 2L),
                Map.entry("missing_empathy_documented", 1L), Map.entry("out_of_range_audience_reach", 1L),
                Map.entry("out_of_range_first_response_minutes", 1L), Map.entry("duplicate_id", 1L)));
        assertEquals(expected, interactions.rejectedByReason());

        TableLedger csat = validated.table("csat").orElseThrow().ledger();
        assertEquals(new TreeMap<>(Map.of("duplicate_id", 1L, "unknown_interaction", 2L, "out_of_range_csat", 2L,
                "missing_csat", 1L)), csat.rejectedByReason());
        assertEquals(8, csat.rowsRead());
        assertEquals(2, csat.rowsUsed());
        for (ValidatedTable t : validated.tables().values()) {
            TableLedger l = t.ledger();
            assertEquals(l.rowsRead(), l.rowsUsed() + l.rowsRejected(), l.table());
            assertEquals(l.rowsRejected(), l.rejectedByReason().values().stream().mapToLong(Long::longValue).sum());
        }
    }

    @Test
    void theEarliestOfDuplicatedIdsIsKeptAndCodesAreNormalised() {
        List<Row> used = validated.table("interactions").orElseThrow().used()
                .orderBy("interaction_id").collectAsList();
        assertEquals(List.of("i1", "i2", "i20"), used.stream().map(r -> r.<String>getAs("interaction_id")).toList());
        Row i1 = used.get(0);
        assertEquals(Instant.parse("2025-03-01T10:00:00Z"), i1.<java.sql.Timestamp>getAs("started_at").toInstant());
        Row i20 = used.get(2);
        assertEquals("outsourced", i20.getAs("team_type"));
        assertEquals("voice", i20.getAs("channel"));
        List<String> csatKept = validated.table("csat").orElseThrow().used().orderBy("interaction_id")
                .collectAsList().stream().map(r -> r.<String>getAs("interaction_id") + ":" + r.<Integer>getAs("csat"))
                .toList();
        assertEquals(List.of("i1:4", "i2:1"), csatKept, "the first answer by responded_at is kept");
    }

    @Test
    void aRowBreakingTwoRulesIsCountedOnceAndListsBoth() {
        Row r = spark.read().parquet(rejects.resolve("interactions").toString())
                .filter("interaction_id = 'i19'").first();
        assertEquals("missing_customer_id", r.getAs("reject_reason"));
        assertEquals("missing_customer_id;out_of_range_empathy_score", r.getAs("reject_reasons"));
    }

    @Test
    void rejectsKeepTheOriginalColumnsAndValues() {
        var rejected = spark.read().parquet(rejects.resolve("interactions").toString());
        List<String> columns = List.of(rejected.columns());
        assertEquals(Contract.INTERACTIONS.columnNames(), columns.subList(0, Contract.INTERACTIONS.columns().size()));
        assertEquals(List.of("label", "reject_reason", "reject_reasons"),
                columns.subList(Contract.INTERACTIONS.columns().size(), columns.size()));
        Row r = rejected.filter("interaction_id = 'i10'").first();
        assertEquals("vendor", r.getAs("team_type"));
        assertTrue(Files.isRegularFile(rejects.resolve("interactions/part-00000.parquet")));
    }

    @Test
    void missingRequiredTableStopsTheRun(@TempDir Path empty) {
        InputContractException e = assertThrows(InputContractException.class,
                () -> new InputValidator(spark, empty.resolve("w"), Progress.silent()).validate(empty, empty.resolve("r")));
        assertEquals("table interactions: required table is missing: expected interactions/ (a folder of Parquet files) "
                + "or interactions.parquet under " + empty, e.getMessage());
    }

    @Test
    void missingRequiredColumnNamesTableColumnTypeAndTheColumnsThere(@TempDir Path in) {
        Fixtures.write(in, Contract.INTERACTIONS, interaction("i1"));
        spark.sql("select 'i1' as interaction_id, 4L as score").write().parquet(in.resolve("csat").toString());
        InputContractException e = assertThrows(InputContractException.class,
                () -> new InputValidator(spark, in.resolve("w"), Progress.silent()).validate(in, in.resolve("r")));
        assertEquals("table csat, column csat: required column is missing (expected type int); "
                + "columns present: interaction_id string, score bigint", e.getMessage());
    }

    @Test
    void wrongTypeNamesExpectedAndFound(@TempDir Path in) {
        Fixtures.write(in, Contract.INTERACTIONS, interaction("i1"));
        spark.sql("select 'i1' as interaction_id, 'five' as CSAT").write().parquet(in.resolve("csat").toString());
        InputContractException e = assertThrows(InputContractException.class,
                () -> new InputValidator(spark, in.resolve("w"), Progress.silent()).validate(in, in.resolve("r")));
        assertEquals("table csat, column csat: expected type int: any integer type whose values fit, but found string; "
                + "columns present: interaction_id string, CSAT string", e.getMessage());
    }

    /**
     * Two customers rows equal in every contract column, told apart only by a column outside the
     * contract: the row kept is the same whichever comes first in the file.
     */
    @Test
    void aDuplicateEqualInEveryCheckedColumnIsChosenIndependentlyOfFileOrder(@TempDir Path in) {
        List<String> rejectedLabels = new java.util.ArrayList<>();
        for (List<String> order : List.of(List.of("first", "second"), List.of("second", "first"))) {
            Path root = in.resolve(String.join("-", order));
            Fixtures.write(root, Contract.INTERACTIONS, interaction("i1"));
            Fixtures.write(root, Contract.CUSTOMERS,
                    row(Contract.CUSTOMERS, "customer_id", "c1", "segment", "prepaid", "signup_at", T0, "label", order.get(0)),
                    row(Contract.CUSTOMERS, "customer_id", "c1", "segment", "prepaid", "signup_at", T0, "label", order.get(1)));
            ValidatedInput v = new InputValidator(spark, root.resolve("w"), Progress.silent())
                    .validate(root, root.resolve("r"));
            assertEquals(Map.of("duplicate_id", 1L), v.table("customers").orElseThrow().ledger().rejectedByReason());
            List<Row> rejected = spark.read().parquet(root.resolve("r/customers").toString()).collectAsList();
            assertEquals(1, rejected.size());
            rejectedLabels.add(rejected.get(0).getAs("label"));
        }
        assertEquals(rejectedLabels.get(0), rejectedLabels.get(1), "the same row is rejected in both file orders");
    }

    @Test
    void aMissingOptionalTableIsReportedAbsent(@TempDir Path in) {
        Fixtures.write(in, Contract.INTERACTIONS, interaction("i1"));
        ValidatedInput v = new InputValidator(spark, in.resolve("w"), Progress.silent()).validate(in, in.resolve("r"));
        assertEquals(List.of("csat", "turns", "customers", "agents", "shifts", "qa_ratings", "agent_pulse"), v.absent());
        assertEquals(1, v.table("interactions").orElseThrow().ledger().rowsUsed());
        assertFalse(Files.exists(in.resolve("r/interactions")), "no rejects, no rejects folder");
    }
}
