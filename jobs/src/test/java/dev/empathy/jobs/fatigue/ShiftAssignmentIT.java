package dev.empathy.jobs.fatigue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both routes of {@link ShiftAssignment} (the broadcast index and the day join) on a hand-made
 * roster (times UTC, Monday 3 March 2025), every expected shift read off the table:
 *
 * <pre>
 * shift  agent  from            to
 * s1     a1     Mon 08:00       Mon 16:00
 * s2     a1     Mon 16:00       Tue 00:00     (ends at midnight)
 * s3     a1     Tue 22:00       Wed 06:00     (over midnight)
 * t9     a2     Sun 00:00       Wed 00:00     (three days, under all of a2's others)
 * t1     a2     Mon 09:00       Mon 17:00
 * t2     a2     Mon 12:00       Mon 20:00
 * t3     a2     Mon 12:00       Mon 14:00     (starts with t2: t2 wins, the smaller id)
 * xＡ    a4     Mon 09:00       Mon 10:00     (U+FF21, UTF-8 EF BC A1)
 * x😀    a4     Mon 09:00       Mon 10:00     (U+1F600, UTF-8 F0 9F 98 80; UTF-16 D83D DE00)
 * a3 has no shift.
 * </pre>
 *
 * The last pair start together: Spark orders strings by UTF-8 bytes, so {@code xＡ} is the
 * smaller id, while Java's {@code String.compareTo} (UTF-16 units) would say {@code x😀}.
 */
class ShiftAssignmentIT {

    static final Instant MON = Instant.parse("2025-03-03T00:00:00Z");
    static final String FULLWIDTH = "x\uFF21";
    static final String EMOJI = "x\uD83D\uDE00";

    static Dataset<Row> contacts;
    static Dataset<Row> shifts;

    /** Contact id to {shift_id, matches, agent_has_shifts}, from the table above. */
    static final Map<String, List<Object>> EXPECTED = new TreeMap<>();

    static {
        EXPECTED.put("c0", expected(null, 0, true));     // Mon 07:59:59.999999, a microsecond before s1
        EXPECTED.put("c1", expected("s1", 1, true));     // Mon 08:00 = s1's start
        EXPECTED.put("c2", expected("s1", 1, true));     // Mon 09:00
        EXPECTED.put("c3", expected("s2", 1, true));     // Mon 16:00 = s1's end, s2's start
        EXPECTED.put("c4", expected(null, 0, true));     // Tue 00:00 = s2's end
        EXPECTED.put("c5", expected("s3", 1, true));     // Tue 23:30, s3's first day
        EXPECTED.put("c6", expected("s3", 1, true));     // Wed 02:00, s3's second day
        EXPECTED.put("c7", expected(null, 0, true));     // Wed 06:00 = s3's end
        EXPECTED.put("d1", expected("t2", 4, true));     // Mon 13:00: t9 t1 t2 t3, t2 and t3 started last
        EXPECTED.put("d2", expected("t1", 2, true));     // Mon 10:00: t9 t1
        EXPECTED.put("d3", expected("t2", 2, true));     // Mon 18:00: t9 t2
        EXPECTED.put("d4", expected("t9", 1, true));     // Tue 10:00: t9 only, started before every other
        EXPECTED.put("d5", expected(null, 0, true));     // Wed 00:00 = t9's end
        EXPECTED.put("e1", expected(null, 0, false));    // a3: no shifts
        EXPECTED.put("f1", expected(FULLWIDTH, 2, true)); // Mon 09:30: both of a4's
    }

    static List<Object> expected(String shift, long matches, boolean agentHasShifts) {
        List<Object> v = new ArrayList<>();
        v.add(shift);
        v.add(matches);
        v.add(agentHasShifts);
        return v;
    }

    static Timestamp at(int day, double hour) {
        return Timestamp.from(MON.plusSeconds(Math.round((day * 24 + hour) * 3600)));
    }

    @BeforeAll
    static void data() {
        SparkSession spark = SharedSpark.session();
        StructType c = new StructType().add("interaction_id", DataTypes.StringType)
                .add("agent_id", DataTypes.StringType).add("started_at", DataTypes.TimestampType)
                .add("handle_seconds", DataTypes.DoubleType);
        List<Row> cs = List.of(
                RowFactory.create("c0", "a1", Timestamp.from(MON.plusSeconds(8 * 3600).minusNanos(1000)), 1.0),
                RowFactory.create("c1", "a1", at(0, 8), 2.0),
                RowFactory.create("c2", "a1", at(0, 9), 3.0),
                RowFactory.create("c3", "a1", at(0, 16), 4.0),
                RowFactory.create("c4", "a1", at(1, 0), 5.0),
                RowFactory.create("c5", "a1", at(1, 23.5), 6.0),
                RowFactory.create("c6", "a1", at(2, 2), 7.0),
                RowFactory.create("c7", "a1", at(2, 6), 8.0),
                RowFactory.create("d1", "a2", at(0, 13), 9.0),
                RowFactory.create("d2", "a2", at(0, 10), 10.0),
                RowFactory.create("d3", "a2", at(0, 18), 11.0),
                RowFactory.create("d4", "a2", at(1, 10), 12.0),
                RowFactory.create("d5", "a2", at(2, 0), 13.0),
                RowFactory.create("e1", "a3", at(0, 10), 14.0),
                RowFactory.create("f1", "a4", at(0, 9.5), 15.0));
        StructType s = new StructType().add("shift_id", DataTypes.StringType).add("agent_id", DataTypes.StringType)
                .add("start_at", DataTypes.TimestampType).add("end_at", DataTypes.TimestampType);
        List<Row> ss = List.of(
                RowFactory.create("s1", "a1", at(0, 8), at(0, 16)),
                RowFactory.create("s2", "a1", at(0, 16), at(1, 0)),
                RowFactory.create("s3", "a1", at(1, 22), at(2, 6)),
                RowFactory.create("t9", "a2", at(-1, 0), at(2, 0)),
                RowFactory.create("t1", "a2", at(0, 9), at(0, 17)),
                RowFactory.create("t2", "a2", at(0, 12), at(0, 20)),
                RowFactory.create("t3", "a2", at(0, 12), at(0, 14)),
                RowFactory.create(EMOJI, "a4", at(0, 9), at(0, 10)),
                RowFactory.create(FULLWIDTH, "a4", at(0, 9), at(0, 10)));
        contacts = spark.createDataFrame(cs, c).repartition(2);
        shifts = spark.createDataFrame(ss, s).repartition(2);
    }

    static Map<String, List<Object>> read(Dataset<Row> assigned) {
        Map<String, List<Object>> got = new TreeMap<>();
        for (Row r : assigned.collectAsList()) {
            got.put(r.getAs("interaction_id"), expected(r.getAs("shift_id"), r.<Long>getAs("matches"),
                    r.<Boolean>getAs("agent_has_shifts")));
        }
        return got;
    }

    @Test
    void theIndexRouteAssignsEachContactWithoutAShuffle() {
        Dataset<Row> assigned = ShiftAssignment.assign(contacts, shifts);
        assertEquals(EXPECTED, read(assigned));
        assertEquals(List.of("interaction_id", "agent_id", "started_at", "handle_seconds", "shift_id", "matches",
                "agent_has_shifts"), List.of(assigned.columns()));
        String plan = assigned.queryExecution().executedPlan().toString();
        // The contacts' repartition(2) above is the only exchange: the assignment adds none.
        assertEquals(plan.split("Exchange RoundRobinPartitioning\\(2\\)", -1).length,
                plan.split("Exchange", -1).length, plan);
        assertTrue(plan.contains("UDF("), plan);
        assertEquals(15.0, assigned.filter("interaction_id = 'f1'").first().<Double>getAs("handle_seconds"));
    }

    @Test
    void theJoinRouteGivesTheSameRowsAboveTheIndexLimit() {
        assertEquals(EXPECTED, read(ShiftAssignment.assign(contacts, shifts, 0)));
        // Nine shifts, a limit of eight: the index is not built, the join runs.
        assertNull(ShiftAssignment.index(shifts, 8));
        assertEquals(EXPECTED, read(ShiftAssignment.assign(contacts, shifts, 8)));
        assertEquals(EXPECTED, read(ShiftAssignment.assign(contacts, shifts, 9)));
        // A count from the ledger: above the limit the join runs without collecting the shifts.
        assertEquals(EXPECTED, read(ShiftAssignment.assignCounted(contacts, shifts,
                ShiftAssignment.indexLimit() + 1L)));
        assertEquals(EXPECTED, read(ShiftAssignment.assignCounted(contacts, shifts, 9)));
        assertEquals(ShiftAssignment.assign(contacts, shifts, 0).schema().simpleString(),
                ShiftAssignment.assign(contacts, shifts).schema().simpleString());
    }

    @Test
    void theCountsAreTheSameOnBothRoutes() {
        Map<String, Long> counts = Map.of("interactions", 15L, "contacts_in_a_shift", 10L,
                "contacts_in_overlapping_shifts", 4L, "contacts_outside_every_shift", 4L,
                "contacts_of_agents_without_shifts", 1L);
        assertEquals(counts, Map.copyOf(ShiftAssignment.counts(ShiftAssignment.assign(contacts, shifts))));
        assertEquals(counts, Map.copyOf(ShiftAssignment.counts(ShiftAssignment.assign(contacts, shifts, 0))));
    }

    @Test
    void theIndexAnswersNullsAndUnknownAgentsWithoutAShift() {
        ShiftIndex index = ShiftIndex.of(List.of(new ShiftIndex.Shift("a1", "s1", 100, 200)));
        assertEquals(new ShiftIndex.Match(null, 0, false), index.find(null, 150L));
        assertEquals(new ShiftIndex.Match(null, 0, false), index.find("a9", 150L));
        assertEquals(new ShiftIndex.Match(null, 0, true), index.find("a1", null));
        assertEquals(new ShiftIndex.Match("s1", 1, true), index.find("a1", 100L));
        assertEquals(new ShiftIndex.Match(null, 0, true), index.find("a1", 200L));
        assertEquals(new ShiftIndex.Match(null, 0, true), index.find("a1", 99L));
        assertTrue(ShiftIndex.ID_ORDER.compare(FULLWIDTH, EMOJI) < 0);
        assertFalse(FULLWIDTH.compareTo(EMOJI) < 0);
    }
}
