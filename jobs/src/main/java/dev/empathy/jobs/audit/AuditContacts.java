package dev.empathy.jobs.audit;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.input.ValidatedInput;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The audit's contacts: every interaction of the audited and the previous quarter, one row each,
 * with what the audit's files read.
 *
 * <p>Columns: {@code interaction_id, customer_id, agent_id, language}, {@code quarter}
 * ({@code 2026Q3}), {@code region} (trimmed), {@code channel}, {@code team_type} and
 * {@code reason} (trimmed, lower case), {@code score} (the QA empathy score, null when not scored),
 * {@code documented} (1 or 0), {@code csat} (the contact's answer, null when none; of several
 * answers the earliest by {@code responded_at}, then the lowest), {@code repeat_7d} (1, 0, or null
 * when the 7-day window reaches past the latest {@code started_at}: repeat-contacts' definition),
 * {@code is_public} (true only when the data say so), {@code reach}, {@code response},
 * {@code public_complaint} (public and reason {@code complaint}) and {@code moved_private} (for a
 * public complaint: 1 when the customer's next contact starts within the private window and is not
 * public, 0 when not, null when the window reaches past the latest {@code started_at}; null for
 * every other contact).
 */
final class AuditContacts {

    static final long HOUR_MICROS = 3_600_000_000L;
    static final long DAY_MICROS = 24 * HOUR_MICROS;

    static final String AUDITED_CONTACTS = "contacts_audited_quarter";
    static final String PREVIOUS_CONTACTS = "contacts_previous_quarter";

    private AuditContacts() {
    }

    static Dataset<Row> of(ValidatedInput input, Quarter now, Instant latest, Audit.Options options) {
        Quarter before = now.previous();
        long last = micros(latest);
        long repeatWindow = Audit.REPEAT_DAYS * DAY_MICROS;
        long privateWindow = options.privateHours() * HOUR_MICROS;
        long from = micros(before.start());
        long to = micros(now.end());
        // The windows look ahead: the contacts after the quarter's end that they can reach are read too.
        long reach = to + Math.max(repeatWindow, privateWindow);
        Column t = unix_micros(col("started_at"));
        Dataset<Row> read = input.table("interactions").orElseThrow().used()
                .filter(t.geq(lit(from)).and(t.lt(lit(reach))))
                .select(col("interaction_id"), col("customer_id"), col("agent_id"), col("language"),
                        t.as("t"), level(trim(col("region"))).as("region"), level(lower(trim(col("channel")))).as("channel"),
                        lower(trim(col("team_type"))).as("team_type"),
                        lower(trim(col("contact_reason"))).as("reason"), col("empathy_score").as("score"),
                        when(col("empathy_documented"), 1).otherwise(0).as("documented"),
                        coalesce(col("is_public"), lit(false)).as("is_public"),
                        col("audience_reach").as("reach"), col("first_response_minutes").as("response"));

        WindowSpec byCustomer = Window.partitionBy(col("customer_id")).orderBy(col("t"));
        Column repeat = when(col("t").plus(lit(repeatWindow)).gt(lit(last)), lit(null).cast("int"))
                .otherwise(when(count(lit(1)).over(byCustomer.rangeBetween(1, repeatWindow)).gt(0), 1).otherwise(0));
        // The next contact within the window: the earliest; at a tie, a private one is enough.
        Column next = min(struct(col("t"), when(col("is_public"), 1).otherwise(0).as("public")))
                .over(byCustomer.rangeBetween(1, privateWindow));
        Column publicComplaint = col("is_public").and(coalesce(col("reason").equalTo("complaint"), lit(false)));
        Column moved = when(publicComplaint.and(col("t").plus(lit(privateWindow)).leq(lit(last))),
                when(next.isNotNull().and(next.getField("public").equalTo(0)), 1).otherwise(0));
        Dataset<Row> flagged = read.withColumn("repeat_7d", repeat)
                .withColumn("public_complaint", publicComplaint)
                .withColumn("moved_private", moved)
                .filter(col("t").lt(lit(to)))
                .withColumn("quarter", when(col("t").geq(lit(micros(now.start()))), lit(now.toString()))
                        .otherwise(lit(before.toString())));

        Dataset<Row> withCsat = flagged;
        if (input.table("csat").isPresent()) {
            Column order = struct(coalesce(unix_micros(col("responded_at")), lit(Long.MAX_VALUE)), col("csat"));
            Dataset<Row> answers = input.table("csat").get().used()
                    .groupBy(col("interaction_id")).agg(min_by(col("csat"), order).as("csat"));
            withCsat = flagged.join(answers, flagged.col("interaction_id").equalTo(answers.col("interaction_id")),
                    "left").drop(answers.col("interaction_id"));
        } else {
            withCsat = flagged.withColumn("csat", lit(null).cast("int"));
        }
        return withCsat.select(col("interaction_id"), col("customer_id"), col("agent_id"), col("language"),
                col("quarter"), col("region"), col("channel"), col("team_type"), col("reason"), col("score"),
                col("documented"), col("csat"), col("repeat_7d"), col("is_public"), col("reach"), col("response"),
                col("public_complaint"), col("moved_private"));
    }

    /** A level written {@code all} would read as the margin: it becomes {@value #ALL_IN_DATA}. */
    static Column level(Column value) {
        return when(value.equalTo(Audit.ALL), lit(ALL_IN_DATA)).otherwise(value);
    }

    /** How a region or channel named {@code all} in the data is written, apart from the margin. */
    static final String ALL_IN_DATA = "all (data)";

    /** Contacts and scored contacts of each quarter, for population.csv. */
    static Map<String, Long> counts(Dataset<Row> contacts, Quarter now, Quarter before) {
        Column audited = col("quarter").equalTo(now.toString());
        Column previous = col("quarter").notEqual(now.toString());
        Row r = contacts.agg(
                sum(when(audited, 1L).otherwise(0L)), sum(when(previous, 1L).otherwise(0L)),
                sum(when(audited.and(col("score").isNotNull()), 1L).otherwise(0L)),
                sum(when(previous.and(col("score").isNotNull()), 1L).otherwise(0L)),
                sum(when(audited.and(col("is_public")), 1L).otherwise(0L)),
                sum(when(previous.and(col("is_public")), 1L).otherwise(0L))).first();
        Map<String, Long> counts = new LinkedHashMap<>();
        String[] names = {AUDITED_CONTACTS, PREVIOUS_CONTACTS, "scored_audited_quarter", "scored_previous_quarter",
                "public_audited_quarter", "public_previous_quarter"};
        for (int i = 0; i < names.length; i++) {
            counts.put(names[i], r.isNullAt(i) ? 0L : r.getLong(i));
        }
        return counts;
    }

    static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }
}
