package dev.empathy.jobs.repeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The repeat flags against a plain count of the definition, on cases chosen to sit on its edges. */
class RepeatFlagsIT {

    private static final StructType SCHEMA = new StructType()
            .add("interaction_id", DataTypes.StringType)
            .add("customer_id", DataTypes.StringType)
            .add("started_at", DataTypes.TimestampType);

    private static final long DAY = 86_400_000L;

    /** The definition, counted directly: another contact of the customer in (t, t + W days]; censored past the end. */
    private static Map<String, Integer> byHand(List<Object[]> rows, int days) {
        long last = rows.stream().mapToLong(r -> ((Timestamp) r[2]).getTime()).max().orElseThrow();
        Map<String, Integer> flags = new HashMap<>();
        for (Object[] i : rows) {
            long t = ((Timestamp) i[2]).getTime();
            if (t + days * DAY > last) {
                flags.put((String) i[0], null);
                continue;
            }
            int repeat = 0;
            for (Object[] j : rows) {
                long u = ((Timestamp) j[2]).getTime();
                if (j != i && j[1].equals(i[1]) && u > t && u <= t + days * DAY) {
                    repeat = 1;
                }
            }
            flags.put((String) i[0], repeat);
        }
        return flags;
    }

    private static Object[] row(String id, String customer, long millis) {
        return new Object[] {id, customer, new Timestamp(millis)};
    }

    @Test
    void flagsEqualAPlainCountOfTheDefinition() {
        long t0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
        List<Object[]> rows = new ArrayList<>(List.of(
                // exactly 7 days later counts; 7 days and 1 ms later does not
                row("a1", "A", t0), row("a2", "A", t0 + 7 * DAY), row("a3", "A", t0 + 14 * DAY + 1),
                // two contacts at the same instant are not repeats of each other
                row("b1", "B", t0 + DAY), row("b2", "B", t0 + DAY),
                // another customer's contact never counts
                row("c1", "C", t0 + 2 * DAY), row("d1", "D", t0 + 3 * DAY),
                // a repeat 20 days later counts for 30 days, not 7
                row("e1", "E", t0), row("e2", "E", t0 + 20 * DAY)));
        Random random = new Random(9);
        for (int k = 0; k < 400; k++) {
            rows.add(row("r" + k, "R" + random.nextInt(40), t0 + (long) (random.nextDouble() * 120 * DAY)));
        }
        // The last contact of the data, so the censoring edge is known: 120 days after t0.
        rows.add(row("z", "Z", t0 + 120 * DAY));
        List<Row> input = new ArrayList<>();
        rows.forEach(r -> input.add(RowFactory.create(r)));
        Dataset<Row> d = SharedSpark.session().createDataFrame(input, SCHEMA).repartition(3);
        List<Row> flagged = RepeatFlags.add(d, List.of(7, 30)).collectAsList();
        for (int days : new int[] {7, 30}) {
            Map<String, Integer> expected = byHand(rows, days);
            Map<String, Integer> got = new HashMap<>();
            for (Row r : flagged) {
                Object v = r.get(r.fieldIndex(RepeatFlags.column(days)));
                got.put(r.getString(0), v == null ? null : ((Number) v).intValue());
            }
            assertEquals(expected, got, "window " + days);
        }
        Map<String, Integer> seven = byHand(rows, 7);
        assertEquals(1, seven.get("a1"));
        assertEquals(0, seven.get("a2"));
        assertEquals(0, seven.get("b1"));
        assertEquals(0, seven.get("e1"));
        assertEquals(1, byHand(rows, 30).get("e1"));
    }

    /** The control flag counted directly: a contact in (t + 4W, t + 5W]; censored past the end or the churn. */
    private static Map<String, Integer> controlByHand(List<Object[]> rows, Map<String, Long> churn, int days) {
        long last = rows.stream().mapToLong(r -> ((Timestamp) r[2]).getTime()).max().orElseThrow();
        Map<String, Integer> flags = new HashMap<>();
        for (Object[] i : rows) {
            long t = ((Timestamp) i[2]).getTime();
            long end = Math.min(last, churn.getOrDefault((String) i[1], Long.MAX_VALUE));
            if (t + 5L * days * DAY > end) {
                flags.put((String) i[0], null);
                continue;
            }
            int control = 0;
            for (Object[] j : rows) {
                long u = ((Timestamp) j[2]).getTime();
                if (j[1].equals(i[1]) && u > t + 4L * days * DAY && u <= t + 5L * days * DAY) {
                    control = 1;
                }
            }
            flags.put((String) i[0], control);
        }
        return flags;
    }

    @Test
    void controlFlagsEqualAPlainCountAndStopAtChurn() {
        long t0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
        Random random = new Random(11);
        List<Object[]> rows = new ArrayList<>();
        // 28 days later is not in the 7-day control window, 28 days and 1 ms is, 35 days is.
        rows.add(row("a1", "A", t0));
        rows.add(row("a2", "A", t0 + 28 * DAY));
        rows.add(row("b1", "B", t0));
        rows.add(row("b2", "B", t0 + 28 * DAY + 1));
        for (int k = 0; k < 300; k++) {
            rows.add(row("r" + k, "R" + random.nextInt(30), t0 + (long) (random.nextDouble() * 200 * DAY)));
        }
        rows.add(row("z", "Z", t0 + 200 * DAY));
        Map<String, Long> churn = new HashMap<>();
        for (int c = 0; c < 30; c += 3) {
            churn.put("R" + c, t0 + (long) (random.nextDouble() * 200 * DAY));
        }
        StructType schema = SCHEMA.add("churned_at", DataTypes.TimestampType);
        List<Row> input = new ArrayList<>();
        for (Object[] r : rows) {
            Long c = churn.get((String) r[1]);
            input.add(RowFactory.create(r[0], r[1], r[2], c == null ? null : new Timestamp(c)));
        }
        Dataset<Row> d = SharedSpark.session().createDataFrame(input, schema).repartition(3);
        Map<String, Integer> got = new HashMap<>();
        for (Row r : RepeatFlags.add(d, List.of(7), true).collectAsList()) {
            Object v = r.get(r.fieldIndex(RepeatFlags.controlColumn(7)));
            got.put(r.getString(0), v == null ? null : ((Number) v).intValue());
        }
        Map<String, Integer> expected = controlByHand(rows, churn, 7);
        assertEquals(expected, got);
        assertEquals(0, expected.get("a1"));
        assertEquals(1, expected.get("b1"));
        assertTrue(expected.values().stream().filter(v -> v == null).count() > 30, "censored at churn or end");
    }
}
