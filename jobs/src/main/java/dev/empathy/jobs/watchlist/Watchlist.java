package dev.empathy.jobs.watchlist;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.repeat.RepeatFlags;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.jobs.sentiment.Sentiment;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.jobs.text.ConversationFacts;
import dev.empathy.lib.text.VerbatimCode;
import dev.empathy.reports.io.ReportFolder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code watchlist}: the customers an agent should know about before answering them, for the CRM
 * (Module 3, "surface known customer frustrations before the agent begins the interaction").
 * Over the contacts of the {@code days} days up to {@code as-of}, a customer is listed for any of
 * four {@link Reason}s; customers who churned by {@code as-of}, customers who asked for
 * emotion-free service ({@code emotional_opt_out}) and customers the customers table does not know
 * are never listed, only counted. Writes {@code watchlist.csv} (an operations file: raw customer
 * ids are its point), {@code watchlist_summary.csv}, {@code population.csv} and {@code summary.md}
 * (no ids); see docs/jobs/watchlist.md.
 */
public final class Watchlist implements Job<Watchlist.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("watchlist", List.of(
            "Customers to surface in the CRM before the agent answers: watchlist.csv (customer ids, reasons, "
                    + "priority; an operations file), watchlist_summary.csv, population.csv and summary.md.",
            "See docs/jobs/watchlist.md."),
            List.of(new JobOption("as-of", "DATE|INSTANT|latest", "latest",
                            "The moment the list is made for: a date (its end, UTC), an instant such as "
                                    + "2025-12-31T18:00:00Z, or latest (the latest started_at in the data)."),
                    new JobOption("days", "DAYS", "14", "Only customers with a contact in this many days up to as-of."),
                    new JobOption("deterioration", "DROP", "0.5",
                            "A conversation is deteriorating when its customer's last sentiment is at least this "
                                    + "much below the first and at most -0.05 (sentiment's rule).")),
            values -> new Watchlist(Options.parse(values)));

    /** The reasons, in the order {@code reasons} lists them, with their weight in the priority. */
    public enum Reason {
        HOSTILE_LAST_CONTACT(3), DETERIORATING_CONVERSATION(2), REPEAT_WITHIN_7D(1), UNRESOLVED_PUBLIC_COMPLAINT(3);

        private final int weight;

        Reason(int weight) {
            this.weight = weight;
        }

        /** The reason's points in a customer's score. */
        public int weight() {
            return weight;
        }

        /** The reason as watchlist.csv writes it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The repeat window of {@link Reason#REPEAT_WITHIN_7D}, in days, as repeat-contacts counts it. */
    public static final int REPEAT_DAYS = 7;

    /** The highest score: every reason at once; priority = {@value #MAX_SCORE} + 1 - score. */
    public static final int MAX_SCORE = 9;

    /** A customer's place in the summary: listed, or why not. */
    public enum Status {
        LISTED, EXCLUDED_OPTED_OUT, EXCLUDED_CHURNED, EXCLUDED_UNKNOWN_CUSTOMER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The options. {@code asOf} null means the latest {@code started_at} of the data.
     *
     * @param asOf          the end of the window (inclusive), or null for the data's latest contact
     * @param asOfText      the option as given, for the manifest
     * @param days          the window's length, 1 to 3650
     * @param deterioration the drop that marks a deteriorating conversation, above 0 and at most 2
     */
    public record Options(Instant asOf, String asOfText, int days, double deterioration) {

        public Options {
            if (days < 1 || days > 3650) {
                throw new IllegalArgumentException("--days: a window of 1 to 3650 days, got " + days);
            }
            if (!(deterioration > 0 && deterioration <= 2)) {
                throw new IllegalArgumentException("--deterioration: a drop above 0 and at most 2, got " + deterioration);
            }
        }

        /** The defaults: latest, 14 days, 0.5. */
        public static Options defaults() {
            return new Options(null, "latest", 14, 0.5);
        }

        static Options parse(Map<String, String> values) {
            String text = values.get("as-of").strip();
            return new Options(asOf(text), text, OptionText.integer("days", values.get("days")),
                    OptionText.number("deterioration", values.get("deterioration")));
        }

        /**
         * {@code latest} is null; a date {@code YYYY-MM-DD} is its last microsecond (UTC), so the
         * window holds that whole day; an instant is itself.
         */
        static Instant asOf(String text) {
            if (text.equalsIgnoreCase("latest")) {
                return null;
            }
            try {
                if (text.length() == 10) {
                    return LocalDate.parse(text).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                            .minus(1, ChronoUnit.MICROS);
                }
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--as-of: '" + text + "' is not a date (2025-12-31), an instant "
                        + "(2025-12-31T18:00:00Z) or latest");
            }
        }

        Map<String, Object> describe() {
            return Ordered.map("as-of", asOfText, "days", days, "deterioration", deterioration);
        }
    }

    /**
     * One listed customer.
     *
     * @param score    the sum of the reasons' weights, 1 to {@value #MAX_SCORE}
     * @param priority {@value #MAX_SCORE} + 1 - score: 1 is the first to call
     * @param segment  {@code customers.segment}
     */
    public record Entry(String customerId, List<Reason> reasons, Instant lastContactAt, int score, int priority,
                        String segment) {
        public Entry {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * Customers of a status, reason and segment: reason {@value #ANY} for customers with at least
     * one reason, {@value #IN_WINDOW} for every customer with a contact in the window; segment
     * {@value #ALL} for every segment.
     */
    public record Count(Status status, String reason, String segment, long customers) {
    }

    /**
     * Everything the job computed.
     *
     * @param asOf        the end of the window used
     * @param windowStart the window's start (exclusive): {@code asOf} minus {@code days}
     * @param entries     the listed customers, by priority, then latest contact first, then id
     * @param counts      every status by reason and segment
     * @param notComputed reason to why it could not be computed (in reason order)
     * @param notes       sentences for the summary about what the data lacked
     */
    public record Result(Options options, Instant asOf, Instant windowStart, Steps steps, List<Entry> entries,
                         List<Count> counts, Map<Reason, String> notComputed, List<String> notes) {
        public Result {
            entries = List.copyOf(entries);
            counts = List.copyOf(counts);
            notComputed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notComputed));
            notes = List.copyOf(notes);
        }

        /** The count of a status, reason and segment; 0 when none. */
        public long count(Status status, String reason, String segment) {
            return counts.stream().filter(c -> c.status() == status && c.reason().equals(reason)
                    && c.segment().equals(segment)).mapToLong(Count::customers).sum();
        }
    }

    private static final long DAY_MICROS = 86_400_000_000L;
    /** The segment margin of the counts. */
    public static final String ALL = "all";
    /** The reason margin of the counts: customers with at least one reason. */
    public static final String ANY = "any";
    /** The pseudo-reason of the counts for every customer with a contact in the window, with a reason or not. */
    public static final String IN_WINDOW = "in_window";
    /** The segment of a customer the customers table does not know. */
    public static final String UNKNOWN_SEGMENT = "unknown";
    private static final String HOSTILE = VerbatimCode.HOSTILE.label();

    private final Options options;

    public Watchlist(Options options) {
        this.options = options;
    }

    public Watchlist() {
        this(Options.defaults());
    }

    @Override
    public String name() {
        return "watchlist";
    }

    /** Customers are needed: without them opt-outs and churn cannot be honoured, so nobody is listed. */
    @Override
    public Set<String> needs() {
        return Set.of("interactions", "customers");
    }

    @Override
    public Map<String, Object> options() {
        return options.describe();
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        WatchlistReport.write(result, folder);
    }

    @Override
    public Map<String, Object> details(Result result) {
        Map<String, Object> notComputed = new LinkedHashMap<>();
        result.notComputed().forEach((reason, why) -> notComputed.put(reason.label(), why));
        return Ordered.map("as_of", result.asOf() == null ? null : result.asOf().toString(),
                "population", result.steps().counts(), "reasons_not_computed", notComputed);
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        Dataset<Row> interactions = context.input().table("interactions").orElseThrow().used();
        Dataset<Row> customers = context.input().table("customers").orElseThrow().used();
        Map<String, Long> steps = new LinkedHashMap<>();
        Row bounds = interactions.agg(count(lit(1)), max(unix_micros(col("started_at")))).first();
        steps.put("interactions", bounds.getLong(0));
        Instant asOf = options.asOf() != null ? options.asOf()
                : bounds.isNullAt(1) ? null : micros(bounds.getLong(1));
        Map<Reason, String> notComputed = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        if (asOf == null) {
            for (String step : List.of("interactions_in_window", "customers_in_window", "customers_with_a_reason",
                    "not_listed_opted_out", "not_listed_churned", "not_listed_unknown_customer", "listed")) {
                steps.put(step, 0L);
            }
            notes.add("There were no interactions, so there was nothing to analyse and no one to list.");
            return new Result(options, null, null, new Steps("count", steps), List.of(), List.of(), notComputed, notes);
        }
        long end = micros(asOf);
        long start = end - options.days() * DAY_MICROS;
        try (Cached cached = new Cached()) {
            Column t = unix_micros(col("started_at"));
            Dataset<Row> window = cached.keep(interactions.filter(t.gt(lit(start)).and(t.leq(lit(end))))
                    .select(col("interaction_id"), col("customer_id"), col("started_at"), col("contact_reason"),
                            col("resolved"), col("is_public"), col("language")));
            Row sizes = window.agg(count(lit(1)), count(col("is_public"))).first();
            steps.put("interactions_in_window", sizes.getLong(0));
            if (sizes.getLong(0) > 0 && sizes.getLong(1) == 0) {
                notComputed.put(Reason.UNRESOLVED_PUBLIC_COMPLAINT,
                        "interactions.is_public is empty for every contact in the window");
            }
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d contacts between %s and %s",
                    sizes.getLong(0), micros(start), asOf), began);

            Dataset<Row> contacts = RepeatFlags.addObserved(window, REPEAT_DAYS, "repeat")
                    .withColumn("public_complaint", when(col("is_public").equalTo(true)
                            .and(lower(trim(col("contact_reason"))).equalTo("complaint"))
                            .and(col("resolved").equalTo(false)), 1).otherwise(0));
            if (context.input().table("turns").isPresent()) {
                // The run's shared facts (computed once for every job that reads them), joined to
                // the window's contacts below.
                Dataset<Row> facts = ConversationFacts.of(context);
                contacts = contacts.join(facts.select(col("interaction_id"), col("last_tone"),
                        when(col("scored_turns").geq(2).and(col("sentiment_shift").leq(-options.deterioration()))
                                .and(col("last_sentiment").leq(Sentiment.NEGATIVE)), 1).otherwise(0)
                                .as("deteriorating")), "interaction_id", "left");
            } else {
                notComputed.put(Reason.HOSTILE_LAST_CONTACT, "there is no turns table");
                notComputed.put(Reason.DETERIORATING_CONVERSATION, "there is no turns table");
                contacts = contacts.withColumn("last_tone", lit(null).cast("string"))
                        .withColumn("deteriorating", lit(0));
            }
            Column order = struct(unix_micros(col("started_at")), col("interaction_id"));
            Dataset<Row> byCustomer = contacts.groupBy(col("customer_id")).agg(
                    max(col("started_at")).as("last_contact_at"),
                    max_by(when(col("last_tone").equalTo(HOSTILE), 1).otherwise(0), order).as("hostile"),
                    max(coalesce(col("deteriorating"), lit(0))).as("deteriorating"),
                    max(col("repeat")).as("repeat"),
                    max(col("public_complaint")).as("public_complaint"));
            Column churned = col("churned_at").isNotNull().and(unix_micros(col("churned_at")).leq(lit(end)));
            Column status = when(col("known").isNull(), Status.EXCLUDED_UNKNOWN_CUSTOMER.label())
                    .when(col("emotional_opt_out").equalTo(true), Status.EXCLUDED_OPTED_OUT.label())
                    .when(churned, Status.EXCLUDED_CHURNED.label())
                    .otherwise(Status.LISTED.label());
            Dataset<Row> flagged = cached.keep(byCustomer.join(customers.select(col("customer_id"),
                                    col("segment"), col("churned_at"), col("emotional_opt_out"), lit(1).as("known")),
                            "customer_id", "left")
                    .withColumn("status", status)
                    .withColumn("any_reason", when(col("hostile").plus(col("deteriorating")).plus(col("repeat"))
                            .plus(col("public_complaint")).gt(0), 1).otherwise(0)));

            List<Count> counts = counts(flagged);
            steps.put("customers_in_window", counts.stream().filter(c -> c.reason().equals(IN_WINDOW)
                    && c.segment().equals(ALL)).mapToLong(Count::customers).sum());
            long withReason = counts.stream().filter(c -> c.reason().equals(ANY) && c.segment().equals(ALL))
                    .mapToLong(Count::customers).sum();
            steps.put("customers_with_a_reason", withReason);
            steps.put("not_listed_opted_out", countOf(counts, Status.EXCLUDED_OPTED_OUT));
            steps.put("not_listed_churned", countOf(counts, Status.EXCLUDED_CHURNED));
            steps.put("not_listed_unknown_customer", countOf(counts, Status.EXCLUDED_UNKNOWN_CUSTOMER));

            List<Entry> entries = entries(flagged);
            steps.put("listed", (long) entries.size());
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d customers listed", entries.size()), began);
            if (steps.get("customers_in_window") > 0) {
                Row optOutKnown = flagged.filter(col("known").isNotNull())
                        .agg(count(lit(1)), count(col("emotional_opt_out"))).first();
                if (optOutKnown.getLong(0) > 0 && optOutKnown.getLong(1) == 0) {
                    notes.add("The customers table gives no emotional_opt_out for any customer in the window, so no "
                            + "one is known to have opted out of emotional language.");
                }
            }
            return new Result(options, asOf, micros(start), new Steps("count", steps), entries, counts, notComputed,
                    notes);
        }
    }

    private static long countOf(List<Count> counts, Status status) {
        return counts.stream().filter(c -> c.status() == status && c.reason().equals(ANY) && c.segment().equals(ALL))
                .mapToLong(Count::customers).sum();
    }

    /**
     * Customers with a reason, by status, reason and segment (with {@code all} margins), and the
     * customers in the window by segment under the pseudo-reason {@code in_window}; one small
     * aggregate collected.
     */
    private static List<Count> counts(Dataset<Row> flagged) {
        Dataset<Row> bySegment = flagged.groupBy(col("status"), coalesce(col("segment"), lit(UNKNOWN_SEGMENT)).as("segment"))
                .agg(count(lit(1)).as("in_window"), sum(col("any_reason")).as("any"),
                        sum(col("hostile")).as("hostile"), sum(col("deteriorating")).as("deteriorating"),
                        sum(col("repeat")).as("repeat"), sum(col("public_complaint")).as("public_complaint"))
                .orderBy(col("status"), col("segment"));
        Map<String, long[]> totals = new java.util.TreeMap<>();
        List<Row> rows = bySegment.collectAsList();
        java.util.TreeSet<String> segments = new java.util.TreeSet<>();
        for (Row r : rows) {
            segments.add(r.getString(1));
            long[] v = new long[6];
            v[0] = r.getLong(2);
            v[1] = r.isNullAt(3) ? 0 : r.getLong(3);
            for (int k = 0; k < 4; k++) {
                v[2 + k] = r.isNullAt(4 + k) ? 0 : r.getLong(4 + k);
            }
            totals.put(r.getString(0) + "\u0000" + r.getString(1), v);
        }
        List<Count> counts = new ArrayList<>();
        for (Status status : Status.values()) {
            List<String> segmentsWithAll = new ArrayList<>();
            segmentsWithAll.add(ALL);
            segmentsWithAll.addAll(segments);
            for (String segment : segmentsWithAll) {
                long[] v = new long[6];
                for (Map.Entry<String, long[]> e : totals.entrySet()) {
                    String[] key = e.getKey().split("\u0000", 2);
                    if (key[0].equals(status.label()) && (segment.equals(ALL) || key[1].equals(segment))) {
                        for (int k = 0; k < 6; k++) {
                            v[k] += e.getValue()[k];
                        }
                    }
                }
                counts.add(new Count(status, IN_WINDOW, segment, v[0]));
                counts.add(new Count(status, ANY, segment, v[1]));
                for (Reason reason : Reason.values()) {
                    counts.add(new Count(status, reason.label(), segment, v[2 + reason.ordinal()]));
                }
            }
        }
        return counts;
    }

    /** The listed customers, sorted on Spark by priority, latest contact first, then id; collected. */
    private static List<Entry> entries(Dataset<Row> flagged) {
        Column score = col("hostile").multiply(Reason.HOSTILE_LAST_CONTACT.weight())
                .plus(col("deteriorating").multiply(Reason.DETERIORATING_CONVERSATION.weight()))
                .plus(col("repeat").multiply(Reason.REPEAT_WITHIN_7D.weight()))
                .plus(col("public_complaint").multiply(Reason.UNRESOLVED_PUBLIC_COMPLAINT.weight()));
        List<Row> rows = flagged.filter(col("status").equalTo(Status.LISTED.label()).and(col("any_reason").equalTo(1)))
                .select(col("customer_id"), col("hostile"), col("deteriorating"), col("repeat"),
                        col("public_complaint"), col("last_contact_at"), score.as("score"), col("segment"))
                .orderBy(col("score").desc(), col("last_contact_at").desc(), col("customer_id"))
                .collectAsList();
        List<Entry> entries = new ArrayList<>(rows.size());
        for (Row r : rows) {
            List<Reason> reasons = new ArrayList<>();
            for (Reason reason : Reason.values()) {
                if (r.getInt(1 + reason.ordinal()) == 1) {
                    reasons.add(reason);
                }
            }
            int s = r.getInt(6);
            entries.add(new Entry(r.getString(0), reasons, r.getTimestamp(5).toInstant(), s, MAX_SCORE + 1 - s,
                    r.getString(7)));
        }
        return entries;
    }

    private static Instant micros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
