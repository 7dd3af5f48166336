package dev.empathy.jobs.audit;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.audit.Audit.Sla;
import dev.empathy.lib.stats.Proportions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code sla.csv} (Module 4): the public contacts ({@code is_public} true) of each quarter, region
 * and reach tier against the tier's first-response target, and the public complaints moved to a
 * private channel; one aggregation with the margins as grouping sets. Compliance is the share of
 * measured contacts (reach and response time both known) answered within the target, with a
 * Wilson interval; a contact lacking either is counted in {@code unmeasured}, never dropped.
 */
final class PublicReplies {

    /** The tier of a public contact without {@code audience_reach}. */
    static final String UNKNOWN = "unknown";

    private PublicReplies() {
    }

    static List<Sla> compute(Dataset<Row> contacts, Quarter now, Quarter before, SlaTiers tiers) {
        Column reach = col("reach");
        Column tier = lit(UNKNOWN);
        Column minutes = lit(null).cast("double");
        for (int i = tiers.tiers().size() - 1; i >= 0; i--) {
            SlaTiers.Tier t = tiers.tiers().get(i);
            Column in = reach.geq(t.from()).and(reach.lt(t.below()));
            tier = when(in, lit(t.label())).otherwise(tier);
            minutes = when(in, lit(t.minutes())).otherwise(minutes);
        }
        Column none = lit(null).cast("string");
        Column sets = array(
                struct(col("region").as("region"), col("tier").as("tier")),
                struct(none.as("region"), col("tier").as("tier")),
                struct(col("region").as("region"), none.as("tier")),
                struct(none.as("region"), none.as("tier")));
        Column measured = col("reach").isNotNull().and(col("response").isNotNull());
        List<Row> rows = contacts.filter(col("is_public"))
                .withColumn("tier", tier).withColumn("target", minutes)
                .withColumn("set", explode(sets))
                .groupBy(col("quarter"), col("set.region").as("region"), col("set.tier").as("tier"))
                .agg(count(lit(1)).as("public"),
                        sum(when(measured, 0L).otherwise(1L)).as("unmeasured"),
                        sum(when(col("reach").isNull(), 1L).otherwise(0L)).as("missing_reach"),
                        sum(when(col("response").isNull(), 1L).otherwise(0L)).as("missing_response"),
                        sum(when(measured, 1L).otherwise(0L)).as("measured"),
                        sum(when(measured.and(col("response").leq(col("target"))), 1L).otherwise(0L)).as("within"),
                        sum(when(col("public_complaint"), 1L).otherwise(0L)).as("complaints"),
                        sum(when(col("public_complaint").and(col("moved_private").isNull()), 1L).otherwise(0L))
                                .as("censored"),
                        count(col("moved_private")).as("followed"),
                        sum(when(col("moved_private").equalTo(1), 1L).otherwise(0L)).as("moved"))
                .collectAsList();
        List<Sla> out = new ArrayList<>();
        for (Row r : rows) {
            String region = r.isNullAt(1) ? Audit.ALL : r.getString(1);
            String tierLabel = r.isNullAt(2) ? Audit.ALL : r.getString(2);
            double target = tiers.tiers().stream().filter(t -> t.label().equals(tierLabel))
                    .mapToDouble(SlaTiers.Tier::minutes).findFirst().orElse(Double.NaN);
            long measuredCount = r.getAs("measured");
            long within = r.getAs("within");
            long followed = r.getAs("followed");
            long moved = r.getAs("moved");
            Proportions.Interval compliance = Proportions.wilson(within, measuredCount, Audit.LEVEL);
            Proportions.Interval share = Proportions.wilson(moved, followed, Audit.LEVEL);
            out.add(new Sla(r.getString(0), region, tierLabel, target, r.getAs("public"), r.getAs("unmeasured"),
                    r.getAs("missing_reach"), r.getAs("missing_response"), measuredCount, within,
                    compliance.estimate(), compliance.low(), compliance.high(), r.getAs("complaints"),
                    r.getAs("censored"), followed, moved, share.estimate(), share.low(), share.high()));
        }
        List<String> tierOrder = new ArrayList<>(List.of(Audit.ALL));
        tiers.tiers().forEach(t -> tierOrder.add(t.label()));
        tierOrder.add(UNKNOWN);
        out.sort(Comparator.comparing(Sla::quarter).thenComparing(Sla::region, AuditCube::compareLevels)
                .thenComparingInt(s -> tierOrder.indexOf(s.tier())));
        return out;
    }
}
