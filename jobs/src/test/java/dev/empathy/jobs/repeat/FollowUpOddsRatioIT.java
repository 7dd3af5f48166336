package dev.empathy.jobs.repeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The background-corrected follow-up odds ratio on counts chosen so its value is known by hand. */
class FollowUpOddsRatioIT {

    private static final StructType SCHEMA = new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("empathy_documented", DataTypes.IntegerType)
            .add("resolved", DataTypes.IntegerType)
            .add("contact_reason", DataTypes.StringType)
            .add("repeat_7d", DataTypes.IntegerType)
            .add("control_7d", DataTypes.IntegerType);

    /**
     * {@code n} contacts of one cell, {@code y} of them without a repeat and {@code z} without a
     * control contact; two contacts per customer.
     */
    private static void cell(List<Row> rows, String tag, int documented, int resolved, String reason, int n,
                             int y, int z) {
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(tag + "-" + (i / 2), documented, resolved, reason,
                    i < n - y ? 1 : 0, i >= z ? 1 : 0));
        }
    }

    private static List<Row> fixture(String suffix) {
        List<Row> rows = new ArrayList<>();
        // Stratum resolved/billing: p = 1 - Y/Z is 1/9 documented (odds 1/8) and 2/9 not (odds 2/7).
        cell(rows, "a1" + suffix, 1, 1, "billing", 100, 80, 90);
        cell(rows, "a0" + suffix, 0, 1, "billing", 100, 70, 90);
        // Stratum unresolved/complaint: odds (78-64)/64 = 7/32 documented, (60-40)/40 = 1/2 not: the same ratio.
        cell(rows, "b1" + suffix, 1, 0, "complaint", 100, 64, 78);
        cell(rows, "b0" + suffix, 0, 0, "complaint", 100, 40, 60);
        // A stratum with documented contacts only is dropped; a censored control leaves the row out.
        cell(rows, "c1" + suffix, 1, 1, "other", 30, 20, 25);
        rows.add(RowFactory.create("d" + suffix, 1, 1, "billing", 1, null));
        return rows;
    }

    private static FollowUpOddsRatio.Result estimate(List<Row> rows) {
        Dataset<Row> d = SharedSpark.session().createDataFrame(rows, SCHEMA).repartition(3);
        return FollowUpOddsRatio.estimate(d, List.of(7)).get(0);
    }

    @Test
    void equalStratumRatiosPoolToTheirCommonValue() {
        FollowUpOddsRatio.Result r = estimate(fixture(""));
        assertEquals(Math.log(7.0 / 16.0), r.logOr(), 1e-12);
        assertEquals(2, r.strata());
        assertEquals(1, r.strataDropped());
        assertEquals(430, r.contacts());
        assertEquals(215, r.customers());
        assertTrue(r.stdError() > 0.05 && r.stdError() < 1, "se " + r.stdError());
    }

    @Test
    void doublingTheCustomersHalvesTheVarianceUpToTheClusterFactor() {
        FollowUpOddsRatio.Result one = estimate(fixture(""));
        List<Row> twice = fixture("");
        twice.addAll(fixture("-copy"));
        FollowUpOddsRatio.Result two = estimate(twice);
        assertEquals(one.logOr(), two.logOr(), 1e-12);
        // The cluster covariance is (sum t t' - T T'/C) C/(C - 1): with every customer copied,
        // 2 var(two) = var(one) (2C/(2C - 1)) / (C/(C - 1)).
        double c = one.customers();
        double expected = one.stdError() * one.stdError() * (2 * c / (2 * c - 1)) / (c / (c - 1)) / 2;
        assertEquals(expected, two.stdError() * two.stdError(), 1e-12 * expected);
    }
}
