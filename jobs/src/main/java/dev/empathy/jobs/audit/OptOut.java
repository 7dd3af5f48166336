package dev.empathy.jobs.audit;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.audit.Audit.OptOutRow;
import dev.empathy.lib.stats.Proportions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code opt_out.csv} (Module 5): customers who asked for transactional, emotion-free service
 * ({@code customers.emotional_opt_out} true) against everyone else, in each quarter: the share of
 * their contacts with documented empathy, and the share of their searched conversations (an agent
 * turn in a language with a codebook) with an agent empathy phrase; lower is better for the
 * opted-out. Wilson intervals for each share, Newcombe's hybrid score interval for the
 * difference. "Everyone else" holds the customers whose flag is false or missing and contacts
 * whose customer is not in the customers table.
 */
final class OptOut {

    static final String DOCUMENTED = "documented_empathy";
    static final String PHRASE = "empathy_phrase";
    static final String OPTED_OUT = "opted_out";
    static final String OTHERS = "others";
    static final String DIFFERENCE = "difference";

    /**
     * The most opted-out customers whose ids are broadcast to every task (about 50 bytes each);
     * above it, the contacts are shuffled to meet them.
     */
    static final long MAX_BROADCAST = 1_000_000;

    private OptOut() {
    }

    static List<OptOutRow> compute(Dataset<Row> contacts, Optional<Dataset<Row>> customers,
                                   Optional<Dataset<Row>> perConversation, Quarter now, Quarter before,
                                   List<String> notes) {
        Column optedOut = lit(false);
        Dataset<Row> d = contacts.select(col("interaction_id"), col("customer_id"), col("quarter"),
                col("documented"));
        if (customers.isPresent()) {
            // Only the customers who opted out, usually few: broadcast, so the contacts are not
            // shuffled to meet the whole customers table. A customer id is unique in a validated
            // table (duplicate_id), so the left join keeps one row per contact.
            Dataset<Row> ids = customers.get().filter(col("emotional_opt_out").equalTo(true))
                    .select(col("customer_id").as("opted_out_id"));
            if (ids.count() <= MAX_BROADCAST) {
                ids = broadcast(ids);
            }
            d = d.join(ids, col("customer_id").equalTo(col("opted_out_id")), "left");
            optedOut = col("opted_out_id").isNotNull();
        } else {
            notes.add("The customers table is absent, so no customer is known to have opted out of emotional "
                    + "language: opt_out.csv compares nobody.");
        }
        Column searched = lit(false);
        Column withPhrase = lit(false);
        if (perConversation.isPresent()) {
            // Every contact is shuffled to meet its conversation's matches (which contacts were
            // searched is not known before), with the opt-out as a flag rather than an id.
            d = d.select(col("interaction_id"), col("quarter"), optedOut.as("opted_out"), col("documented"))
                    .join(perConversation.get(), "interaction_id", "left");
            optedOut = col("opted_out");
            searched = col("matches").isNotNull();
            withPhrase = col("matches").gt(0);
        }
        Map<String, long[]> counts = new HashMap<>();
        for (Row r : d.groupBy(col("quarter"), when(optedOut, OPTED_OUT).otherwise(OTHERS).as("group"))
                .agg(count(lit(1)), sum(col("documented").cast("long")), sum(when(searched, 1L).otherwise(0L)),
                        sum(when(withPhrase, 1L).otherwise(0L)))
                .collectAsList()) {
            counts.put(r.getString(0) + "|" + r.getString(1),
                    new long[] {r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)});
        }
        List<OptOutRow> rows = new ArrayList<>();
        for (Quarter q : List.of(before, now)) {
            long[] opted = counts.getOrDefault(q + "|" + OPTED_OUT, new long[4]);
            long[] others = counts.getOrDefault(q + "|" + OTHERS, new long[4]);
            rows.addAll(measure(q, DOCUMENTED, opted[0], opted[1], others[0], others[1]));
            if (perConversation.isPresent()) {
                rows.addAll(measure(q, PHRASE, opted[2], opted[3], others[2], others[3]));
            }
        }
        if (customers.isPresent() && rows.stream().noneMatch(r -> r.group().equals(OPTED_OUT) && r.contacts() > 0)) {
            notes.add(String.format(Locale.ROOT, "No contact in %s or %s came from a customer who opted out of "
                    + "emotional language, so opt_out.csv compares nobody.", before, now));
        }
        return rows;
    }

    private static List<OptOutRow> measure(Quarter q, String measure, long n1, long x1, long n0, long x0) {
        Proportions.Interval a = Proportions.wilson(x1, n1, Audit.LEVEL);
        Proportions.Interval b = Proportions.wilson(x0, n0, Audit.LEVEL);
        Proportions.Interval d = n1 == 0 || n0 == 0 ? new Proportions.Interval(Double.NaN, Double.NaN, Double.NaN)
                : Proportions.difference(x1, n1, x0, n0, Audit.LEVEL);
        String quarter = q.toString();
        return List.of(new OptOutRow(quarter, measure, OPTED_OUT, n1, x1, a.estimate(), a.low(), a.high()),
                new OptOutRow(quarter, measure, OTHERS, n0, x0, b.estimate(), b.low(), b.high()),
                new OptOutRow(quarter, measure, DIFFERENCE, n1 + n0, x1 + x0, d.estimate(), d.low(), d.high()));
    }
}
