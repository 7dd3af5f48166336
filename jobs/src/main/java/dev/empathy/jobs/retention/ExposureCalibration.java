package dev.empathy.jobs.retention;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.stats.OneWayAnova;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Regression calibration of the exposure for the interactions that were not QA-scored.
 *
 * <p>The mean score of a customer's scored interactions measures the empathy they met over all
 * their interactions with error: the fewer of them were scored, the more. With scores
 * {@code v = mu + u_customer + e_interaction} (a one-way random-effects model whose variance
 * components come from the ANOVA of the scored interactions), the best linear prediction of the
 * mean over all {@code k} interactions from the mean over the {@code k_s} scored ones is
 * {@code mu + lambda (mean - mu)} with
 * {@code lambda = (s2u + s2e / k) / (s2u + s2e / k_s)}. Left uncorrected, the error pulls hazard
 * ratios towards 1 by roughly the scored share.
 */
record ExposureCalibration(double mean, double betweenVariance, double withinVariance, long customers,
                           long scores) {

    /** Variance components from per-customer columns scored, score_sum (exposure x scored) and score_sq. */
    static ExposureCalibration of(Dataset<Row> used) {
        Column k = col("scored").cast("double");
        Column total = col("exposure").multiply(k);
        // Exact sums of the doubles: the same bits whatever the order Spark adds the customers in.
        Row r = used.agg(count(lit(1)), sum(col("scored")), Deterministic.exactSum(total),
                Deterministic.exactSum(col("score_sq")), Deterministic.exactSum(total.multiply(total).divide(k)),
                sum(k.multiply(k))).first();
        long c = r.getLong(0);
        long n = r.isNullAt(1) ? 0 : r.getLong(1);
        if (c < 2 || n <= c) {
            return new ExposureCalibration(Double.NaN, Double.NaN, Double.NaN, c, n);
        }
        OneWayAnova a = OneWayAnova.of(c, n, r.getDouble(2), r.getDouble(3), r.getDouble(4), r.getDouble(5));
        return new ExposureCalibration(a.mean(), a.between(), a.within(), c, n);
    }

    /**
     * The calibrated exposure column from exposure, scored and contacts; the mean when nothing was
     * scored (what the scores predict for a customer none of whose contacts were scored); the mean
     * for everyone when every score is the same (both variance components 0).
     */
    Column calibrated() {
        if (betweenVariance == 0 && withinVariance == 0) {
            // Every score is the same: lambda would divide zero by zero, and mean - mu is 0 anyway.
            return lit(mean);
        }
        Column lambda = lit(betweenVariance).plus(lit(withinVariance).divide(col("contacts").cast("double")))
                .divide(lit(betweenVariance).plus(lit(withinVariance).divide(col("scored").cast("double"))));
        return when(col("scored").gt(0), lit(mean).plus(lambda.multiply(col("exposure").minus(lit(mean)))))
                .otherwise(lit(mean));
    }
}
