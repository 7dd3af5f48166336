package dev.empathy.jobs.repeat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.stats.BackgroundCorrectedOdds;
import dev.empathy.lib.stats.Wald;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The odds ratio of a <em>follow-up</em> contact for documented empathy, corrected for the contacts
 * the customer would have made anyway.
 *
 * <p>A repeat within W days is either the contact's own follow-up (probability {@code p}) or a
 * background contact of the customer (probability {@code q}), so {@code P(no repeat) = (1 - p)(1 - q)}.
 * The control window {@code (4W, 5W]} days after the same contact sees only background contacts
 * ({@link RepeatFlags}), so with {@code Y} the contacts without a repeat and {@code Z} the contacts
 * without a control contact, {@code 1 - p = Y / Z} and {@code log odds(p) = log(Z - Y) - log Y}.
 * Within each stratum of resolved x contact reason the log odds ratio documented versus not is
 * the difference of the two; the strata are pooled by inverse variance. Variances come from the
 * delta method on the counts' covariance clustered by customer (sums of per-customer count
 * vectors, found by one self-join per customer in Spark). A stratum is dropped when a side has
 * fewer than {@link #MIN_COUNT} contacts in {@code Y} or {@code Z - Y}.
 *
 * <p>It assumes the background does not depend on documented empathy within a stratum and is
 * stationary over 5W days; the contact's own chain of follow-ups must have died out by 4W days.
 */
final class FollowUpOddsRatio {

    static final int MIN_COUNT = 5;

    record Result(double logOr, double stdError, long contacts, long customers, int strata, int strataDropped) {

        /** The log odds ratio as a term of documented empathy, with its z test and interval. */
        Estimate estimate(double level) {
            return Wald.normal("empathy_documented", logOr, stdError, level);
        }
    }

    private FollowUpOddsRatio() {
    }

    /**
     * {@code flagged}: customer_id, resolved, contact_reason, empathy_documented (0/1) and the
     * window's repeat and control flags; rows with either flag null are left out.
     */
    static Result estimate(Dataset<Row> flagged, int w) {
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
            // Cells indexed; the totals vector holds (Y, Z) of each cell.
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
            // Cluster covariance of the totals: (sum t t' - T T' / C) C / (C - 1).
            double scale = customers > 1 ? (double) customers / (customers - 1) : Double.NaN;
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < dim; j++) {
                    cov[i][j] = (cov[i][j] - total[i] * total[j] / customers) * scale;
                }
            }
            return pool(index, total, cov, contacts, customers);
        } finally {
            perCustomer.unpersist();
        }
    }

    /** The per-stratum differences of log odds and their inverse-variance pool ({@link BackgroundCorrectedOdds}). */
    static Result pool(Map<String, Integer> index, double[] total, double[][] cov, long contacts, long customers) {
        BackgroundCorrectedOdds.Pooled p = BackgroundCorrectedOdds.pool(index, total, cov, MIN_COUNT);
        return new Result(p.logOddsRatio(), p.stdError(), contacts, customers, p.strata(), p.strataDropped());
    }
}
