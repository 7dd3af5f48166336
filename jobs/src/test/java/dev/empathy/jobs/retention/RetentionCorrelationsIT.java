package dev.empathy.jobs.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both routes of {@link RetentionCorrelations} (the customers collected to the driver, and the
 * Spark passes) against R on 18 customers in five segments: ties in the exposure, a customer
 * excluded at the horizon (followed 60 days, not churned), one churned after the horizon, a
 * segment of one customer, one where everybody was retained, one with a constant documented
 * share and a score correlation of exactly 0.
 *
 * <p>Expected values from R 4.2.2, {@code r <- ifelse(churned == 1 & days < 90, 0, ifelse(days >= 90, 1, NA))},
 * then per segment and overall over the rows with {@code r} known: {@code cor(exposure, r)} and
 * {@code cor(exposure, r, method = "spearman")}, the same for the documented share.
 */
class RetentionCorrelationsIT {

    private static final StructType SCHEMA = new StructType()
            .add("segment", DataTypes.StringType, false)
            .add("exposure", DataTypes.DoubleType, false)
            .add("documented_share", DataTypes.DoubleType, false)
            .add("days", DataTypes.DoubleType, false)
            .add("churned", DataTypes.IntegerType, false);

    private static final Object[][] CUSTOMERS = {
        {"A", 70, 0.5, 200, 0}, {"A", 80, 0.5, 30, 1}, {"A", 80, 1.0, 150, 0}, {"A", 60, 0.0, 40, 1},
        {"A", 90, 1.0, 95, 0}, {"A", 75, 0.25, 60, 0},
        {"B", 50, 0.2, 10, 1}, {"B", 65, 0.4, 100, 0}, {"B", 65, 0.4, 120, 1}, {"B", 55, 0.6, 89, 1},
        {"B", 85, 0.8, 300, 0},
        {"C", 70, 0.5, 100, 0},
        {"D", 60, 0.1, 100, 0}, {"D", 70, 0.2, 200, 0}, {"D", 80, 0.3, 95, 0},
        {"E", 70, 0.5, 10, 1}, {"E", 80, 0.5, 200, 0}, {"E", 90, 0.5, 20, 1},
    };

    @ParameterizedTest(name = "driver values {0}")
    @ValueSource(longs = {0, RetentionCorrelations.DRIVER_VALUES})
    void bothRoutesMatchR(long driverValues) {
        List<Row> rows = new ArrayList<>();
        for (Object[] c : CUSTOMERS) {
            rows.add(RowFactory.create(c[0], ((Number) c[1]).doubleValue(), ((Number) c[2]).doubleValue(),
                    ((Number) c[3]).doubleValue(), c[4]));
        }
        Dataset<Row> frame = SharedSpark.session().createDataFrame(rows, SCHEMA).repartition(3);
        List<Retention.Correlation> got = RetentionCorrelations.of(frame, Map.of("B", true), List.of(90),
                CUSTOMERS.length, driverValues);

        Map<String, Retention.Correlation> by = new LinkedHashMap<>();
        for (Retention.Correlation c : got) {
            by.put(c.segment() + "/" + c.exposure() + "/" + c.measure(), c);
        }
        // Per exposure: the segments in order, then all; two measures each.
        assertEquals(List.of("A/score/spearman", "A/score/point_biserial", "B/score/spearman"),
                new ArrayList<>(by.keySet()).subList(0, 3));
        assertEquals(24, got.size());
        assertEquals("all/score/spearman", new ArrayList<>(by.keySet()).get(10));

        estimate(by, "A/score/point_biserial", 0.480384461415261, 5, 3);
        estimate(by, "A/score/spearman", 0.444261658319319, 5, 3);
        estimate(by, "A/documented_share/point_biserial", 0.763762615825973, 5, 3);
        estimate(by, "A/documented_share/spearman", 0.760725774312731, 5, 3);
        estimate(by, "B/score/point_biserial", 0.782475890055737, 5, 3);
        estimate(by, "B/score/spearman", 0.888523316638639, 5, 3);
        estimate(by, "B/documented_share/point_biserial", 0.320256307610174, 5, 3);
        estimate(by, "B/documented_share/spearman", 0.296174438879546, 5, 3);
        estimate(by, "E/score/point_biserial", 0, 3, 1);
        estimate(by, "E/score/spearman", 0, 3, 1);
        estimate(by, "all/score/point_biserial", 0.273959022356464, 17, 11);
        estimate(by, "all/score/spearman", 0.254877146963645, 17, 11);
        estimate(by, "all/documented_share/point_biserial", 0.239060812660863, 17, 11);
        estimate(by, "all/documented_share/spearman", 0.102928983444587, 17, 11);
        assertTrue(by.get("B/score/spearman").highChurn());
        assertTrue(!by.get("A/score/spearman").highChurn());

        notEstimated(by, "C/score/spearman", "not estimated: fewer than 2 customers");
        notEstimated(by, "D/documented_share/point_biserial",
                "not estimated: every customer was still a customer at day 90");
        notEstimated(by, "E/documented_share/spearman",
                "not estimated: the documented share is the same for every customer");
        assertEquals("no interval: fewer than 4 customers", by.get("E/score/spearman").note());
    }

    private static void estimate(Map<String, Retention.Correlation> by, String key, double r, long n, long kept) {
        Retention.Correlation c = by.get(key);
        assertEquals(r, c.value().estimate(), 1e-12, key);
        assertEquals(n, c.customers(), key);
        assertEquals(kept, c.retained(), key);
    }

    private static void notEstimated(Map<String, Retention.Correlation> by, String key, String note) {
        Retention.Correlation c = by.get(key);
        assertTrue(Double.isNaN(c.value().estimate()), key);
        assertEquals(note, c.note(), key);
    }
}
