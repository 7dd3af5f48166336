package org.example.contactvolume;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * contact-volume: contacts per channel per week (or month), from the validated interactions.
 * Writes {@code volume.csv} (period_start, channel, contacts) and {@code summary.md}.
 */
public final class ContactVolume implements Job<ContactVolume.Outcome> {

    public static final JobDefinition DEFINITION = new JobDefinition("contact-volume", List.of(
            "Counts contacts per channel per week or month: volume.csv and summary.md.",
            "An example plug-in job (examples/plugin-job); see docs/extending.md."),
            List.of(new JobOption("period", "PERIOD", "week",
                    "The period contacts are counted by: week (from Monday, UTC) or month.")),
            values -> new ContactVolume(Options.parse(values)));

    /** The periods contacts can be counted by. */
    public enum Period {
        WEEK, MONTH;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The job's options; the constructor checks them. */
    public record Options(Period period) {

        public Options {
            if (period == null) {
                throw new IllegalArgumentException("--period: required");
            }
        }

        /** From the options as text; an unknown period names the option and the choices. */
        public static Options parse(Map<String, String> values) {
            String text = values.get("period").strip().toLowerCase(Locale.ROOT);
            for (Period p : Period.values()) {
                if (p.word().equals(text)) {
                    return new Options(p);
                }
            }
            throw new IllegalArgumentException("--period: must be week or month, got '" + values.get("period") + "'");
        }

        Map<String, Object> describe() {
            return Ordered.map("period", period.word());
        }
    }

    /** Contacts of one channel in the period starting on {@code periodStart}. */
    public record Count(LocalDate periodStart, String channel, long contacts) {
    }

    /** Every count, ordered by period then channel. */
    public record Outcome(Options options, List<Count> counts) {

        public Outcome {
            counts = List.copyOf(counts);
        }

        public long total() {
            return counts.stream().mapToLong(Count::contacts).sum();
        }

        /** Contacts per channel over the whole input, by channel name. */
        public Map<String, Long> byChannel() {
            Map<String, Long> totals = new TreeMap<>();
            counts.forEach(c -> totals.merge(c.channel(), c.contacts(), Long::sum));
            return totals;
        }

        public long periods() {
            return counts.stream().map(Count::periodStart).distinct().count();
        }
    }

    private final Options options;

    public ContactVolume(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return DEFINITION.name();
    }

    @Override
    public Set<String> needs() {
        return Set.of("interactions");
    }

    @Override
    public Map<String, Object> options() {
        return options.describe();
    }

    @Override
    public Outcome compute(JobContext context) {
        long began = System.nanoTime();
        Dataset<Row> interactions = context.input().table("interactions").orElseThrow().used();
        List<Row> rows = interactions
                .groupBy(to_date(date_trunc(options.period().word(), col("started_at"))).as("period_start"),
                        col("channel"))
                .agg(count(lit(1)).as("contacts"))
                .orderBy("period_start", "channel")
                .collectAsList();
        List<Count> counts = new ArrayList<>();
        for (Row r : rows) {
            counts.add(new Count(localDate(r.get(0)), r.getString(1), r.getLong(2)));
        }
        context.progress().stage(name(), String.format(Locale.ROOT, "%,d rows of counts", counts.size()), began);
        return new Outcome(options, counts);
    }

    @Override
    public void write(Outcome outcome, ReportFolder folder) {
        List<List<Object>> rows = new ArrayList<>();
        for (Count c : outcome.counts()) {
            rows.add(List.of(c.periodStart().toString(), c.channel(), c.contacts()));
        }
        CsvFile.write(folder, "volume.csv", List.of("period_start", "channel", "contacts"), rows);
        folder.text("summary.md", summary(outcome));
    }

    @Override
    public Map<String, Object> details(Outcome outcome) {
        return Ordered.map("contacts", outcome.total(), "periods", outcome.periods(),
                "channels", outcome.byChannel().size());
    }

    /** The summary's words, from the outcome alone. */
    static String summary(Outcome outcome) {
        String period = outcome.options().period().word();
        StringBuilder s = new StringBuilder("# Contact volume\n\n");
        if (outcome.counts().isEmpty()) {
            return s.append("There were no contacts to count.\n").toString();
        }
        LocalDate first = outcome.counts().get(0).periodStart();
        LocalDate last = outcome.counts().get(outcome.counts().size() - 1).periodStart();
        s.append(String.format(Locale.ROOT, "%,d contacts in %d %ss, from the %s starting %s to the %s starting %s.%n",
                outcome.total(), outcome.periods(), period, period, first, period, last));
        Map.Entry<String, Long> busiest = outcome.byChannel().entrySet().stream()
                .max(Comparator.comparingLong(Map.Entry<String, Long>::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow();
        s.append(String.format(Locale.ROOT, "The busiest channel was %s, with %,d contacts (%.1f%%).%n%n",
                busiest.getKey(), busiest.getValue(), 100.0 * busiest.getValue() / outcome.total()));
        s.append("| channel | contacts | share |\n|---|---:|---:|\n");
        outcome.byChannel().forEach((channel, n) -> s.append(String.format(Locale.ROOT, "| %s | %,d | %.1f%% |%n",
                channel, n, 100.0 * n / outcome.total())));
        s.append(String.format(Locale.ROOT, "%nCounts per %s and channel are in volume.csv.%n", period));
        return s.toString();
    }

    private static LocalDate localDate(Object value) {
        if (value instanceof LocalDate d) {
            return d;
        }
        return ((java.sql.Date) value).toLocalDate();
    }
}
