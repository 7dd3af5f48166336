package dev.empathy.jobs.repeat;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkLogit;
import dev.empathy.jobs.frame.ModelFrame;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.jobs.spark.Levels;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.LogitFit;
import dev.empathy.lib.regression.UnfittableException;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.stats.Proportions;
import dev.empathy.reports.io.ReportFolder;
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
 * {@code repeat-contacts}: how often a contact is followed by another contact of the same
 * customer within W days ({@link RepeatFlags}), by documented empathy, empathy-score band,
 * channel and segment, with Wilson intervals; and documented versus not as a risk difference
 * (Newcombe) and a risk ratio (log interval); and logits of a repeat on documented empathy and
 * on the empathy score with controls, clustered by customer. Writes {@code population.csv},
 * {@code rates.csv}, {@code contrasts.csv}, {@code adjusted.csv}, the chart {@code repeat_by_band.png}
 * and {@code summary.md} (see docs/jobs/repeat-contacts.md).
 */
public final class RepeatContacts implements Job<RepeatContacts.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("repeat-contacts", List.of(
            "Repeat contacts after empathetic interventions: population.csv, rates.csv with Wilson intervals, "
                    + "contrasts.csv, adjusted.csv, repeat_by_band.png and summary.md.",
            "See docs/jobs/repeat-contacts.md."),
            List.of(new JobOption("windows", "DAYS", "7,30", "Repeat windows in days."),
                    new JobOption("model-frame", "on|off", "on",
                            "Write the adjusted logits' rows (model_frame/, gzip CSV, customers as pseudonyms) for "
                                    + "the exported notebooks; off leaves them out.")),
            values -> new RepeatContacts(OptionText.integers("windows", values.get("windows")),
                    ModelFrame.enabled(values.get("model-frame"))));

    /** Empathy-score bands: not scored, then 0-49, 50-59, 60-69, 70-79, 80-100. */
    static final double[] BAND_EDGES = {50, 60, 70, 80};

    /** The band labels {@link #band} gives, lowest first, then {@value #NOT_SCORED}. */
    public static final List<String> BANDS = List.of("00-49", "50-59", "60-69", "70-79", "80-100", "not scored");

    /** The band of a contact without an empathy score. */
    public static final String NOT_SCORED = "not scored";

    private final List<Integer> windows;
    private final boolean modelFrame;

    /** Repeat windows in days, each 1 to 3650 (else {@link IllegalArgumentException}), with the model frame. */
    public RepeatContacts(List<Integer> windows) {
        this(windows, true);
    }

    /**
     * Repeat windows in days, each 1 to 3650 (else {@link IllegalArgumentException}); with
     * {@code modelFrame}, the adjusted logits' rows are written as {@code model_frame/}.
     */
    public RepeatContacts(List<Integer> windows, boolean modelFrame) {
        this.modelFrame = modelFrame;
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("--windows: give at least one window in days");
        }
        for (int w : windows) {
            if (w < 1 || w > 3650) {
                throw new IllegalArgumentException("--windows: days must be 1 to 3650, got " + w);
            }
        }
        this.windows = List.copyOf(windows);
    }

    public RepeatContacts() {
        this(List.of(7, 30));
    }

    /** One window's contacts: all, censored (too close to the end of the data) and used. */
    public record WindowPopulation(int windowDays, long interactions, long censored, long used) {
    }

    /** The repeat rate of one group in one window, with its Wilson interval. */
    public record Rate(int windowDays, String grouping, String group, long contacts, long repeats,
                       Proportions.Interval rate) {
    }

    /** Documented versus not in one window: a risk difference or ratio with its interval. */
    public record Contrast(int windowDays, String measure, Proportions.Interval value, String method,
                           long contactsDocumented, long contactsNotDocumented) {
    }

    /**
     * One term of an adjusted model on the log-odds scale, with the model's n and clusters; a
     * {@code note} (else null) when the model could not be fitted or its estimates are doubtful.
     */
    public record Adjusted(int windowDays, String model, Estimate term, long n, long clusters, String note) {
    }

    /** Everything the job computed, for its files and for tests. */
    public record Result(List<Integer> windows, List<WindowPopulation> population, List<Rate> rates,
                         List<Contrast> contrasts, List<Adjusted> adjusted, Map<String, Object> details,
                         Dataset<Row> modelFrame) {
        public Result {
            windows = List.copyOf(windows);
            population = List.copyOf(population);
            rates = List.copyOf(rates);
            contrasts = List.copyOf(contrasts);
            adjusted = List.copyOf(adjusted);
            details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    @Override
    public String name() {
        return "repeat-contacts";
    }

    @Override
    public Set<String> needs() {
        return Set.of("customers");
    }

    @Override
    public Map<String, Object> options() {
        return Ordered.map("windows", windows, "model_frame", modelFrame);
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        RepeatReport.write(result, folder);
        if (result.modelFrame() != null) {
            ModelFrame.write(result.modelFrame(), folder, "model_frame");
        }
    }

    @Override
    public Map<String, Object> details(Result result) {
        return result.details();
    }

    /** The empathy-score band of a score column, one of {@link #BANDS}; shared with other jobs. */
    public static Column band(Column score) {
        Column label = lit(BANDS.get(BAND_EDGES.length));
        for (int i = BAND_EDGES.length - 1; i >= 0; i--) {
            label = when(score.lt(BAND_EDGES[i]), lit(BANDS.get(i))).otherwise(label);
        }
        return when(score.isNull(), lit(NOT_SCORED)).otherwise(label);
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        Dataset<Row> interactions = context.input().table("interactions").orElseThrow().used();
        Dataset<Row> segments = context.input().table("customers").orElseThrow().used()
                .select(col("customer_id"), col("segment"), col("churned_at"));
        // Rare contact reasons are lumped into "other" (Levels), so the adjusted models stay small.
        Levels.Lumped reasons = Levels.of(interactions.select(coalesce(col("contact_reason"), lit("unknown"))
                .as("contact_reason")), "contact_reason");
        try (Cached cached = new Cached()) {
            // Persisted until the files are written: the model frame reads the flags again.
            Dataset<Row> flagged = context.kept().keep(RepeatFlags.add(interactions.join(segments, "customer_id",
                            "left")
                        .select(col("interaction_id"), col("customer_id"), col("started_at"), col("channel"),
                                col("churned_at"),
                                coalesce(col("segment"), lit("unknown")).as("segment"),
                                when(col("empathy_documented"), "yes").otherwise("no").as("documented"),
                                band(col("empathy_score")).as("empathy_band"),
                                // For the adjusted models: numeric codes, hours 0 when unresolved, a reason always.
                                when(col("empathy_documented"), 1).otherwise(0).as("empathy_documented"),
                                col("empathy_score").divide(10.0).as("empathy_10"),
                                when(col("resolved"), 1).otherwise(0).as("resolved"),
                                coalesce(col("resolution_hours"), lit(0.0)).as("resolution_hours"),
                                reasons.apply(coalesce(col("contact_reason"), lit("unknown"))).as("contact_reason")),
                        windows, true));
            List<WindowPopulation> population = new ArrayList<>();
            List<Rate> rates = new ArrayList<>();
            List<Contrast> contrasts = new ArrayList<>();
            Map<String, Object> details = new LinkedHashMap<>();
            Map<String, Object> windowDetails = new LinkedHashMap<>();
            Map<Integer, Map<String, Map<String, long[]>>> counted = groupCounts(flagged, windows);
            for (int w : windows) {
                Map<String, Map<String, long[]>> byGrouping = counted.get(w);
                // No contact at all: no group either.
                long[] totals = byGrouping.getOrDefault(ALL, Map.of()).getOrDefault(ALL, new long[3]);
                long all = totals[0];
                long used = totals[1];
                long repeats = totals[2];
                population.add(new WindowPopulation(w, all, all - used, used));
                windowDetails.put(w + "d", Ordered.map("interactions", all, "censored", all - used, "used", used));
                rates.add(rate(w, ALL, ALL, used, repeats));
                Map<String, long[]> documented = new LinkedHashMap<>();
                for (String grouping : GROUPINGS) {
                    for (var g : byGrouping.getOrDefault(grouping, Map.of()).entrySet()) {
                        long n = g.getValue()[1];
                        long x = g.getValue()[2];
                        if (n == 0) {
                            continue;
                        }
                        rates.add(rate(w, grouping, g.getKey(), n, x));
                        if (grouping.equals("documented")) {
                            documented.put(g.getKey(), new long[] {x, n});
                        }
                    }
                }
                long[] yes = documented.getOrDefault("yes", new long[2]);
                long[] no = documented.getOrDefault("no", new long[2]);
                contrasts.add(new Contrast(w, "risk_difference",
                        Proportions.difference(yes[0], yes[1], no[0], no[1], 0.95), "Newcombe hybrid score",
                        yes[1], no[1]));
                contrasts.add(new Contrast(w, "risk_ratio", Proportions.ratio(yes[0], yes[1], no[0], no[1], 0.95),
                        "log (Katz)", yes[1], no[1]));
                context.progress().stage(name(), String.format(Locale.ROOT,
                        "%d-day window: %,d contacts, %,d censored, %s", w, all, all - used,
                        used == 0 ? "no repeat rate" : String.format(Locale.ROOT, "repeat rate %.3f",
                                (double) repeats / used)), began);
            }
            details.put("windows", windowDetails);
            List<Adjusted> adjusted = new ArrayList<>();
            Map<String, Object> followUp = new LinkedHashMap<>();
            // The adjusted logits share their rows: laid out by customer once (read only by fits
            // above the driver limit), not once per model.
            Dataset<Row> byCustomer = cached.keep(Deterministic.byKeys(flagged.select(adjustedColumns()),
                    col("customer_id")));
            // Every window's follow-up odds ratio in one set of passes, not one set per window.
            List<FollowUpOddsRatio.Result> followUps = FollowUpOddsRatio.estimate(flagged, windows);
            for (int i = 0; i < windows.size(); i++) {
                int w = windows.get(i);
                for (String exposure : List.of("empathy_documented", "empathy_10")) {
                    adjusted.addAll(adjusted(flagged.select(adjustedColumns()), byCustomer, w, exposure));
                }
                FollowUpOddsRatio.Result f = followUps.get(i);
                adjusted.add(new Adjusted(w, "follow_up", f.estimate(0.95), f.contacts(), f.customers(),
                        f.strata() == 0 ? "not estimated: no stratum of resolved x contact reason had at least "
                                + FollowUpOddsRatio.MIN_COUNT + " contacts with and without a repeat on both sides"
                                : null));
                followUp.put(w + "d", Ordered.map("contacts", f.contacts(), "strata", f.strata(),
                        "strata_dropped", f.strataDropped()));
                context.progress().stage(name(), w + "-day adjusted logits", began);
            }
            details.put("follow_up", followUp);
            return new Result(windows, population, rates, contrasts, adjusted, details,
                    modelFrame ? frame(flagged) : null);
        }
    }

    /** The columns the adjusted logits read: every window's flag, both exposures, the controls, the customer. */
    private Column[] adjustedColumns() {
        List<Column> columns = new ArrayList<>();
        for (int w : windows) {
            columns.add(col(RepeatFlags.column(w)));
        }
        for (String c : List.of("empathy_documented", "empathy_10", "resolved", "resolution_hours", "channel",
                "contact_reason", "segment", "customer_id")) {
            columns.add(col(c));
        }
        return columns.toArray(Column[]::new);
    }

    /** The controls of the adjusted models. */
    static final String CONTROLS = " + resolved + resolution_hours + C(channel) + C(contact_reason) + C(segment)";

    /**
     * The logit of a repeat within {@code w} days on one exposure and the controls, standard
     * errors clustered by customer: every term on the log-odds scale.
     */
    private static List<Adjusted> adjusted(Dataset<Row> flagged, Dataset<Row> byCustomer, int w, String exposure) {
        String model = exposure.equals("empathy_documented") ? "documented" : "score";
        SparkLogit.Result r;
        try {
            r = SparkLogit.fit(ModelData.bindLaidOut(flagged, byCustomer,
                    Formula.parse(RepeatFlags.column(w) + " ~ " + exposure + CONTROLS), "customer_id"),
                    OlsOptions.defaults().with(CovarianceType.CLUSTER));
        } catch (UnfittableException e) {
            return List.of(new Adjusted(w, model, Estimate.notEstimated(exposure), 0, 0,
                    "not fitted: " + e.getMessage()));
        }
        LogitFit fit = r.fit();
        String note = fit.notes().isEmpty() ? null : (fit.usable() ? "" : "not usable: ")
                + fit.noteText();
        List<Adjusted> rows = new ArrayList<>();
        for (Estimate e : fit.estimates()) {
            rows.add(new Adjusted(w, model, fit.usable() ? e : Estimate.notEstimated(e.term()), fit.n(),
                    fit.clusters(), note));
        }
        return rows;
    }

    /**
     * The adjusted logits' rows, lazily: every window's flag (empty when censored), both exposures
     * (the score empty when not scored), the controls and the customer's pseudonym as
     * {@code cluster}; each model uses the rows on which its columns are all present.
     */
    private Dataset<Row> frame(Dataset<Row> flagged) {
        List<Column> columns = new ArrayList<>();
        for (int w : windows) {
            columns.add(col(RepeatFlags.column(w)));
        }
        for (String c : List.of("empathy_documented", "empathy_10", "resolved", "resolution_hours", "channel",
                "contact_reason", "segment")) {
            columns.add(col(c));
        }
        columns.add(ModelFrame.pseudonym(col("customer_id"), ModelFrame.Key.random()).as("cluster"));
        return flagged.filter(col("customer_id").isNotNull()).select(columns.toArray(Column[]::new));
    }

    /** The groupings the rates are given by, after the whole population. */
    private static final List<String> GROUPINGS = List.of("documented", "empathy_band", "channel", "segment");
    private static final String ALL = "all";

    /**
     * Every window's counts by every grouping in one pass over the flagged contacts (each contact
     * once per grouping, and once under {@code all}): window, then grouping, then its values in
     * Spark's order of strings, to {contacts, contacts with the window's flag, repeats}.
     */
    private static Map<Integer, Map<String, Map<String, long[]>>> groupCounts(Dataset<Row> flagged,
                                                                              List<Integer> windows) {
        List<Column> pairs = new ArrayList<>();
        pairs.add(struct(lit(ALL).as("g"), lit(ALL).as("v")));
        for (String grouping : GROUPINGS) {
            pairs.add(struct(lit(grouping).as("g"), col(grouping).as("v")));
        }
        List<Column> aggregates = new ArrayList<>();
        aggregates.add(count(lit(1)));
        for (int w : windows) {
            aggregates.add(count(col(RepeatFlags.column(w))));
            aggregates.add(sum(col(RepeatFlags.column(w))));
        }
        List<Column> kept = new ArrayList<>();
        kept.add(explode(array(pairs.toArray(Column[]::new))).as("p"));
        windows.forEach(w -> kept.add(col(RepeatFlags.column(w))));
        Map<Integer, Map<String, Map<String, long[]>>> out = new LinkedHashMap<>();
        windows.forEach(w -> out.put(w, new LinkedHashMap<>()));
        List<Row> groups = new ArrayList<>(flagged.select(kept.toArray(Column[]::new))
                .groupBy(col("p.g").as("g"), col("p.v").as("v"))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .collectAsList());
        groups.sort(java.util.Comparator.comparing((Row r) -> r.getString(1), java.util.Comparator.nullsFirst(
                Deterministic.STRING_ORDER)));
        for (Row r : groups) {
            for (int i = 0; i < windows.size(); i++) {
                long[] c = {r.getLong(2), r.getLong(3 + 2 * i), r.isNullAt(4 + 2 * i) ? 0 : r.getLong(4 + 2 * i)};
                out.get(windows.get(i)).computeIfAbsent(r.getString(0), k -> new LinkedHashMap<>())
                        .put(r.getString(1), c);
            }
        }
        return out;
    }

    private static Rate rate(int w, String grouping, String group, long n, long x) {
        return new Rate(w, grouping, group, n, x, Proportions.wilson(x, n, 0.95));
    }
}
