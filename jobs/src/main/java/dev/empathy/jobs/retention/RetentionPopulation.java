package dev.empathy.jobs.retention;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.spark.Deterministic;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * One row per customer for the retention analyses, built in one aggregation by customer.
 *
 * <p>Follow-up runs from the customer's first interaction in the data to {@code churned_at}
 * (event) or to the end of the data, the last {@code started_at} (censored); it is counted in
 * whole days (floor). Exposure is the mean QA empathy score of the customer's scored
 * interactions before churn, with the share of their interactions (before churn) with documented
 * empathy beside it. Steps, each counted: customers with interactions; without a customer record;
 * churned at or before their first interaction; without a scored interaction before churn; used.
 *
 * <p>Columns: customer_id, segment, days, churned (0/1), contacts, scored, exposure,
 * exposure_10 (exposure / 10), documented_share, score_sq (sum of squared scores, for the
 * variance components of {@link ExposureCalibration}), first_t and churn_t (microseconds).
 */
final class RetentionPopulation {

    static final long DAY_MICROS = 86_400_000_000L;

    /** The per-customer rows of every followed customer (scored or not) and the counted steps. */
    record Built(Dataset<Row> followed, Map<String, Long> steps, long endMicros) {
        /** The customers the exposure analyses use: those with a scored interaction before churn. */
        Dataset<Row> used() {
            return followed.filter(col("scored").gt(0));
        }
    }

    private RetentionPopulation() {
    }

    static Built build(ValidatedInput input) {
        Dataset<Row> interactions = input.table("interactions").orElseThrow().used()
                .select(col("customer_id"), unix_micros(col("started_at")).as("t"), col("empathy_score"),
                        col("empathy_documented"));
        Dataset<Row> customers = input.table("customers").orElseThrow().used()
                .select(col("customer_id"), col("segment"), unix_micros(col("churned_at")).as("churn_t"),
                        lit(true).as("known"));
        Row latest = interactions.agg(max(col("t"))).first();
        // No interactions: no customer to follow, and any end will do.
        long end = latest.isNullAt(0) ? 0 : latest.getLong(0);
        Column before = col("churn_t").isNull().or(col("t").lt(col("churn_t")));
        Column score = when(before, col("empathy_score"));
        // The customer's own columns are keys beside its id (customer_id is unique in the validated
        // customers, so they do not split a group): every aggregate then has a fixed-width buffer
        // and Spark aggregates by hash; first() of a string column made it sort every interaction
        // by customer_id instead, before the shuffle and after it.
        Dataset<Row> perCustomer = interactions.join(customers, "customer_id", "left")
                .groupBy(col("customer_id"), col("known"), col("segment"), col("churn_t"))
                .agg(min(col("t")).as("first_t"),
                        sum(when(before, 1L).otherwise(0L)).as("contacts"),
                        // Exact sums: a customer's mean score has the same bits whatever order Spark
                        // adds its contacts in, so the Spearman ranks (which a last-bit difference
                        // can reorder) are the same on any cluster.
                        count(score).as("scored"), Deterministic.exactSum(score).as("score_sum"),
                        Deterministic.exactSum(score.multiply(score)).as("score_sq"),
                        sum(when(before.and(col("empathy_documented")), 1L).otherwise(0L)).as("documented"));
        Column churnedInData = col("churn_t").isNotNull().and(col("churn_t").leq(lit(end)));
        Column stop = when(churnedInData, col("churn_t")).otherwise(lit(end));
        Dataset<Row> flagged = perCustomer.withColumn("reason",
                when(col("known").isNull(), lit("no_customer_record"))
                        .when(col("churn_t").isNotNull().and(col("churn_t").leq(col("first_t"))),
                                lit("churned_before_first_contact"))
                        .when(col("scored").equalTo(0), lit("no_scored_contact")));
        Map<String, Long> steps = new LinkedHashMap<>();
        long all = 0;
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (Row r : flagged.groupBy(col("reason")).count().collectAsList()) {
            reasons.put(r.isNullAt(0) ? "used" : r.getString(0), r.getLong(1));
            all += r.getLong(1);
        }
        steps.put("customers_with_interactions", all);
        for (String reason : new String[] {"no_customer_record", "churned_before_first_contact", "no_scored_contact"}) {
            steps.put("excluded_" + reason, reasons.getOrDefault(reason, 0L));
        }
        steps.put("used", reasons.getOrDefault("used", 0L));
        Dataset<Row> followed = flagged
                .filter(col("reason").isNull().or(col("reason").equalTo("no_scored_contact")))
                .select(col("customer_id"), coalesce(col("segment"), lit("unknown")).as("segment"),
                        floor(least(stop, lit(end)).minus(col("first_t")).divide(lit((double) DAY_MICROS)))
                                .cast("double").as("days"),
                        when(churnedInData, 1).otherwise(0).as("churned"),
                        col("contacts"), col("scored"),
                        col("score_sum").divide(col("scored")).as("exposure"),
                        col("score_sum").divide(col("scored")).divide(10.0).as("exposure_10"),
                        col("documented").divide(col("contacts").cast("double")).as("documented_share"),
                        col("score_sq"), col("first_t"), col("churn_t"));
        return new Built(followed, steps, end);
    }

    /**
     * Counting-process rows of every followed customer: one per contact before churn, at risk over
     * {@code (start, stop]} in whole days since the first contact, from the contact's day
     * ({@code start = day - 1}) to the day before the next contact's day, or to the end of the
     * follow-up for the last ({@code churned} on that row only). Each row carries the running
     * figures after its contact: {@code contacts}, {@code scored}, {@code exposure} (mean score so
     * far, null before the first scored contact). Rows of contacts on the same day as the next
     * (zero length) are dropped: the next one carries both. Columns: customer_id, segment, start,
     * stop, churned, contacts, scored, exposure.
     */
    static Dataset<Row> intervals(ValidatedInput input, Dataset<Row> followed) {
        Dataset<Row> customers = followed.select(col("customer_id"), col("segment"), col("first_t"),
                col("churn_t"), col("days"), col("churned").as("customer_churned"));
        Dataset<Row> contacts = input.table("interactions").orElseThrow().used()
                .select(col("customer_id"), col("interaction_id"), unix_micros(col("started_at")).as("t"),
                        col("empathy_score"))
                .join(customers, "customer_id")
                .filter(col("churn_t").isNull().or(col("t").lt(col("churn_t"))));
        WindowSpec order = Window.partitionBy(col("customer_id")).orderBy(col("t"), col("interaction_id"));
        WindowSpec soFar = order.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        Column day = floor(col("t").minus(col("first_t")).divide(lit((double) DAY_MICROS))).cast("double");
        Column next = lead(day, 1).over(order);
        return contacts
                .withColumn("day", day)
                .withColumn("next_day", next)
                .withColumn("contacts", count(lit(1)).over(soFar))
                .withColumn("scored", count(col("empathy_score")).over(soFar))
                .withColumn("score_sum", sum(col("empathy_score")).over(soFar))
                .select(col("customer_id"), col("segment"), col("day").minus(1).as("start"),
                        coalesce(col("next_day").minus(1), col("days")).as("stop"),
                        when(col("next_day").isNull(), col("customer_churned")).otherwise(0).as("churned"),
                        col("contacts"), col("scored"),
                        when(col("scored").gt(0), col("score_sum").divide(col("scored"))).as("exposure"))
                .filter(col("stop").gt(col("start")));
    }
}
