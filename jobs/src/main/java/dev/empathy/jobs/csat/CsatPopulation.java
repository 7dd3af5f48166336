package dev.empathy.jobs.csat;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.spark.Levels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The population of the CSAT models: interactions joined to their survey answer, their
 * customer's segment and month, kept when answered, scored and resolved with resolution hours
 * and a known customer. Each exclusion step is counted in order, so the steps add up from the
 * interactions read to the rows modelled.
 *
 * <p>Columns: {@code csat} (1..5), {@code top_box} (1 when csat >= 4), {@code empathy_10}
 * (the QA empathy score / 10, so a coefficient is per 10 points), {@code resolution_hours},
 * {@code log1p_hours} (log(1 + hours)), {@code hours_band}, the controls {@code channel},
 * {@code region}, {@code contact_reason} (missing as {@code unknown}, rare reasons lumped into
 * {@code other} by {@link Levels}), {@code segment},
 * {@code month} (yyyy-MM of started_at, UTC), {@code team_type}, and {@code agent_id}.
 */
public final class CsatPopulation {

    /** The population's columns. */
    public static final java.util.List<String> COLUMNS = java.util.List.of("csat", "top_box", "empathy_10",
            "resolution_hours", "log1p_hours", "hours_band", "channel", "region", "contact_reason", "segment", "month",
            "team_type", "agent_id");

    /** The population, persisted (several models read it), and the counts of each step. */
    public record Result(Dataset<Row> rows, Map<String, Long> steps) {
    }

    private CsatPopulation() {
    }

    public static Result build(ValidatedInput input, double[] bandEdges) {
        Dataset<Row> interactions = input.table("interactions").orElseThrow().used();
        Dataset<Row> csat = input.table("csat").orElseThrow().used().select(col("interaction_id"), col("csat"));
        Dataset<Row> segments = input.table("customers").orElseThrow().used()
                .select(col("customer_id"), col("segment"));
        Dataset<Row> joined = interactions.join(csat, "interaction_id", "left")
                .join(segments, "customer_id", "left");
        Column answered = col("csat").isNotNull();
        Column scored = answered.and(col("empathy_score").isNotNull());
        Column resolved = scored.and(col("resolved"));
        Column timed = resolved.and(col("resolution_hours").isNotNull());
        Column known = timed.and(col("segment").isNotNull());
        Row counts = joined.agg(sum(lit(1L)), count(answered), count(scored), count(resolved), count(timed),
                count(known)).first();
        long read = counts.isNullAt(0) ? 0 : counts.getLong(0);
        long[] kept = new long[5];
        for (int i = 0; i < 5; i++) {
            kept[i] = counts.isNullAt(i + 1) ? 0 : counts.getLong(i + 1);
        }
        Map<String, Long> steps = new LinkedHashMap<>();
        steps.put("interactions", read);
        steps.put("excluded_no_answer", read - kept[0]);
        steps.put("excluded_not_scored", kept[0] - kept[1]);
        steps.put("excluded_unresolved", kept[1] - kept[2]);
        steps.put("excluded_no_resolution_hours", kept[2] - kept[3]);
        steps.put("excluded_no_customer", kept[3] - kept[4]);
        steps.put("modelled", kept[4]);

        // Rare contact reasons are lumped into "other" (dev.empathy.jobs.spark.Levels).
        Levels.Lumped reasons = Levels.of(interactions.select(coalesce(col("contact_reason"), lit("unknown"))
                .as("contact_reason")), "contact_reason");
        Dataset<Row> rows = joined.filter(known).select(
                col("csat").cast("double").as("csat"),
                when(col("csat").geq(4), 1).otherwise(0).as("top_box"),
                col("empathy_score").divide(10.0).as("empathy_10"),
                col("resolution_hours"),
                log1p(col("resolution_hours")).as("log1p_hours"),
                band(col("resolution_hours"), bandEdges).as("hours_band"),
                col("channel"), col("region"),
                reasons.apply(coalesce(col("contact_reason"), lit("unknown"))).as("contact_reason"),
                col("segment"),
                date_format(col("started_at"), "yyyy-MM").as("month"),
                col("team_type"), col("agent_id"));
        return new Result(rows.persist(StorageLevel.MEMORY_AND_DISK()), steps);
    }

    private static Column count(Column condition) {
        return sum(when(condition, 1L).otherwise(0L));
    }

    /**
     * Resolution-time bands from the edges in hours: {@code 00-01h}, {@code 01-04h}, ...,
     * {@code 72h+}; labels sort in time order, so the first band is the reference level.
     */
    static Column band(Column hours, double[] edges) {
        Column label = lit(bandLabel(edges[edges.length - 1], Double.NaN, edges));
        for (int i = edges.length - 1; i >= 0; i--) {
            double low = i == 0 ? 0 : edges[i - 1];
            label = when(hours.lt(edges[i]), lit(bandLabel(low, edges[i], edges))).otherwise(label);
        }
        return label;
    }

    static String bandLabel(double low, double high, double[] edges) {
        int width = String.valueOf((long) edges[edges.length - 1]).length();
        String lo = pad(low, width);
        return Double.isNaN(high) ? lo + "h+" : lo + "-" + pad(high, width) + "h";
    }

    private static String pad(double hours, int width) {
        String s = hours == Math.rint(hours) ? Long.toString((long) hours) : Double.toString(hours);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}
