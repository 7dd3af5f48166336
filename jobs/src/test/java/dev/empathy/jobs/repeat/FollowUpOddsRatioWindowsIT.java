package dev.empathy.jobs.repeat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Every window's follow-up odds ratio from one set of passes is, field for field and bit for bit,
 * the one the former pass per window gave (kept here as {@link #perWindow}).
 */
class FollowUpOddsRatioWindowsIT {

    private static final StructType SCHEMA = new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("empathy_documented", DataTypes.IntegerType)
            .add("resolved", DataTypes.IntegerType)
            .add("contact_reason", DataTypes.StringType)
            .add("repeat_7d", DataTypes.IntegerType)
            .add("control_7d", DataTypes.IntegerType)
            .add("repeat_30d", DataTypes.IntegerType)
            .add("control_30d", DataTypes.IntegerType);

    private static final List<String> REASONS = List.of("billing", "complaint", "other");

    /** A flag: 1 with probability {@code p}, null (censored) with probability {@code censored}. */
    private static Integer flag(Random random, double p, double censored) {
        return random.nextDouble() < censored ? null : random.nextDouble() < p ? 1 : 0;
    }

    /**
     * Seeded contacts of 150 customers over every cell of documented x resolved x three reasons,
     * the 30-day flags censored more often than the 7-day ones (so many rows count for one window
     * only); then a customer whose contacts are all censored for 30 days, cells (reason "late")
     * whose contacts are all censored for 30 days, so they exist for the 7-day window only, and a
     * contact without a customer.
     */
    private static List<Row> fixture() {
        Random random = new Random(20261128L);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            int documented = random.nextInt(2);
            rows.add(RowFactory.create("c" + random.nextInt(150), documented, random.nextInt(2),
                    REASONS.get(random.nextInt(REASONS.size())),
                    flag(random, 0.35 + 0.1 * documented, 0.05), flag(random, 0.15, 0.1),
                    flag(random, 0.6 + 0.1 * documented, 0.2), flag(random, 0.3, 0.25)));
        }
        for (int i = 0; i < 6; i++) {
            rows.add(RowFactory.create("recent", i % 2, 1, "billing", i % 3 == 0 ? 1 : 0, 0, null, null));
        }
        for (int i = 0; i < 60; i++) {
            rows.add(RowFactory.create("late" + (i % 20), i % 2, 1, "late", i % 4 == 0 ? 1 : 0, i % 5 == 0 ? 1 : 0,
                    i % 3 == 0 ? null : 1, null));
        }
        rows.add(RowFactory.create(null, 1, 0, "complaint", 0, 0, 1, 0));
        return rows;
    }

    /**
     * The contacts over three partitions, left-joined to their customers as the job joins them
     * (a plan with a join is where Spark checks references for an ambiguous self-join).
     */
    private static Dataset<Row> frame(List<Row> rows) {
        Set<String> ids = new TreeSet<>();
        rows.forEach(r -> {
            if (!r.isNullAt(0)) {
                ids.add(r.getString(0));
            }
        });
        List<Row> customers = new ArrayList<>();
        ids.forEach(id -> customers.add(RowFactory.create(id, "s" + id.length())));
        Dataset<Row> segments = SharedSpark.session().createDataFrame(customers, new StructType()
                .add("customer_id", DataTypes.StringType).add("segment", DataTypes.StringType));
        return SharedSpark.session().createDataFrame(rows, SCHEMA).repartition(3)
                .join(segments, "customer_id", "left");
    }

    @Test
    void everyWindowMatchesItsOwnPassBitForBit() {
        Dataset<Row> d = frame(fixture());
        List<FollowUpOddsRatio.Result> all = FollowUpOddsRatio.estimate(d, List.of(7, 30));
        assertEquals(2, all.size());
        FollowUpOddsRatio.Result seven = perWindow(d, 7);
        FollowUpOddsRatio.Result thirty = perWindow(d, 30);
        assertSame(seven, all.get(0), 7);
        assertSame(thirty, all.get(1), 30);
        // The fixture does what it says: estimable strata in both windows, rows and a customer
        // that count for 7 days only, and the "late" stratum (both sides) in the 7-day window only.
        assertTrue(seven.strata() > 0 && thirty.strata() > 0, seven + " " + thirty);
        assertFalse(Double.isNaN(seven.stdError()) || Double.isNaN(thirty.stdError()), seven + " " + thirty);
        assertTrue(seven.contacts() > thirty.contacts(), seven + " " + thirty);
        assertTrue(seven.customers() > thirty.customers(), seven + " " + thirty);
        assertEquals(seven.strata() + seven.strataDropped(), thirty.strata() + thirty.strataDropped() + 1);
    }

    @Test
    void theWindowsComeBackInTheOrderGiven() {
        Dataset<Row> d = frame(fixture());
        List<FollowUpOddsRatio.Result> all = FollowUpOddsRatio.estimate(d, List.of(30, 7));
        assertSame(perWindow(d, 30), all.get(0), 30);
        assertSame(perWindow(d, 7), all.get(1), 7);
    }

    @Test
    void oneWindowAloneMatches() {
        Dataset<Row> d = frame(fixture());
        List<FollowUpOddsRatio.Result> one = FollowUpOddsRatio.estimate(d, List.of(30));
        assertEquals(1, one.size());
        assertSame(perWindow(d, 30), one.get(0), 30);
    }

    @Test
    void anEmptyInputMatchesInEveryWindow() {
        Dataset<Row> d = frame(List.of());
        List<FollowUpOddsRatio.Result> all = FollowUpOddsRatio.estimate(d, List.of(7, 30));
        assertSame(perWindow(d, 7), all.get(0), 7);
        assertSame(perWindow(d, 30), all.get(1), 30);
        assertEquals(0, all.get(1).contacts());
        assertEquals(0, all.get(1).customers());
    }

    @Test
    void aWindowWithEveryRowCensoredMatches() {
        List<Row> rows = new ArrayList<>();
        for (Row r : fixture()) {
            rows.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), null));
        }
        Dataset<Row> d = frame(rows);
        List<FollowUpOddsRatio.Result> all = FollowUpOddsRatio.estimate(d, List.of(7, 30));
        assertSame(perWindow(d, 7), all.get(0), 7);
        assertSame(perWindow(d, 30), all.get(1), 30);
        assertEquals(0, all.get(1).contacts());
    }

    /** Every field, the doubles by their bits. */
    private static void assertSame(FollowUpOddsRatio.Result expected, FollowUpOddsRatio.Result actual, int w) {
        String what = String.format(Locale.ROOT, "%d-day window: expected %s, got %s", w, expected, actual);
        assertEquals(Double.doubleToLongBits(expected.logOr()), Double.doubleToLongBits(actual.logOr()), what);
        assertEquals(Double.doubleToLongBits(expected.stdError()), Double.doubleToLongBits(actual.stdError()), what);
        assertEquals(expected.contacts(), actual.contacts(), what);
        assertEquals(expected.customers(), actual.customers(), what);
        assertEquals(expected.strata(), actual.strata(), what);
        assertEquals(expected.strataDropped(), actual.strataDropped(), what);
    }

    /** The former estimator, one window per call, as it was before every window shared one set of passes. */
    private static FollowUpOddsRatio.Result perWindow(Dataset<Row> flagged, int w) {
        Dataset<Row> rows = flagged
                .filter(col(RepeatFlags.column(w)).isNotNull().and(col(RepeatFlags.controlColumn(w)).isNotNull()))
                .select(col("customer_id"),
                        concat_ws("|", col("empathy_documented").cast("string"), col("resolved").cast("string"),
                                col("contact_reason")).as("cell"),
                        lit(1).minus(col(RepeatFlags.column(w))).as("y"),
                        lit(1).minus(col(RepeatFlags.controlColumn(w))).as("z"));
        Dataset<Row> perCustomer = rows.groupBy("customer_id", "cell")
                .agg(sum("y").as("y"), sum("z").as("z"), count(lit(1)).as("n")).cache();
        try {
            Row sizes = perCustomer.agg(sum("n"), countDistinct("customer_id")).first();
            long contacts = sizes.isNullAt(0) ? 0 : sizes.getLong(0);
            long customers = sizes.getLong(1);
            Map<String, Integer> index = new TreeMap<>();
            Map<String, double[]> totals = new HashMap<>();
            for (Row r : perCustomer.groupBy("cell").agg(sum("y"), sum("z")).collectAsList()) {
                totals.put(r.getString(0), new double[] {r.getLong(1), r.getLong(2)});
                index.put(r.getString(0), 0);
            }
            int k = 0;
            for (Map.Entry<String, Integer> e : index.entrySet()) {
                e.setValue(k++);
            }
            int dim = 2 * index.size();
            double[] total = new double[dim];
            totals.forEach((cell, t) -> {
                total[2 * index.get(cell)] = t[0];
                total[2 * index.get(cell) + 1] = t[1];
            });
            double[][] cov = new double[dim][dim];
            Dataset<Row> a = perCustomer.select(col("customer_id"), col("cell").as("ca"), col("y").as("ya"),
                    col("z").as("za"));
            Dataset<Row> b = perCustomer.select(col("customer_id"), col("cell").as("cb"), col("y").as("yb"),
                    col("z").as("zb"));
            for (Row r : a.join(b, "customer_id").groupBy("ca", "cb").agg(
                    sum(col("ya").multiply(col("yb"))), sum(col("ya").multiply(col("zb"))),
                    sum(col("za").multiply(col("yb"))), sum(col("za").multiply(col("zb")))).collectAsList()) {
                int i = 2 * index.get(r.getString(0));
                int j = 2 * index.get(r.getString(1));
                cov[i][j] = r.getLong(2);
                cov[i][j + 1] = r.getLong(3);
                cov[i + 1][j] = r.getLong(4);
                cov[i + 1][j + 1] = r.getLong(5);
            }
            double scale = customers > 1 ? (double) customers / (customers - 1) : Double.NaN;
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < dim; j++) {
                    cov[i][j] = (cov[i][j] - total[i] * total[j] / customers) * scale;
                }
            }
            return FollowUpOddsRatio.pool(index, total, cov, contacts, customers);
        } finally {
            perCustomer.unpersist();
        }
    }
}
