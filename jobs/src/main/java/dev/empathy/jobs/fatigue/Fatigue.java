package dev.empathy.jobs.fatigue;

import static dev.empathy.jobs.spark.Deterministic.exactSum;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.input.ValidatedTable;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.jobs.text.ConversationFacts;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.stats.ClusteredMean;
import dev.empathy.lib.stats.ClusteredSpearman;
import dev.empathy.reports.io.ReportFolder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code fatigue}: the emotional load of the agents' shifts and what it does to the empathy they
 * give afterwards (curriculum modules 6 and 7). Every contact is assigned to its agent's shift
 * ({@link ShiftAssignment}); per shift, its contacts, queue, the customers' hostile share and
 * sentiment (from {@link ConversationFacts}: the sentiment and verbatims jobs' scoring and coding)
 * and its emotional load ({@link ShiftLoad}); within-agent models of each contact's QA empathy
 * score, documented empathy and CSAT on the agent's previous shift ({@link FatigueModels}); a
 * weekly fatigue index per agent against their pulse ({@link FatigueIndex}); the agents to rotate
 * out of the high-empathy queue ({@link Rotation}). Files: {@code population.csv},
 * {@code shift_load/} (Parquet), {@code load_by_queue.csv}, {@code effects.csv},
 * {@code index.csv}, {@code pulse_correlation.csv}, {@code rotation.csv},
 * {@code pulse_by_index.png} and {@code summary.md} (docs/jobs/fatigue.md). {@code shift_load/},
 * {@code index.csv} and {@code rotation.csv} carry agent ids: operations files, not for the
 * executive audit.
 */
public final class Fatigue implements Job<Fatigue.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("fatigue", List.of(
            "Emotional load per shift and what it does to the next shift's empathy: shift_load/ (Parquet), "
                    + "load_by_queue.csv, effects.csv (within-agent models), index.csv and pulse_correlation.csv "
                    + "(weekly fatigue index against the agents' pulse), rotation.csv for scheduling, "
                    + "pulse_by_index.png and summary.md.",
            "See docs/jobs/fatigue.md."),
            List.of(new JobOption("high-queue", "QUEUE", "high_empathy",
                            "The shifts.queue value of high-empathy shifts (compared without case)."),
                    new JobOption("recent-days", "DAYS", "14",
                            "Rotation looks at the shifts that started in the last DAYS days of the data, 1 to 366."),
                    new JobOption("rotation-share", "SHARE", "0.5",
                            "An agent is listed for rotation when at least this share of their recent shifts were "
                                    + "high-empathy, above 0 and at most 1."),
                    new JobOption("min-recent-shifts", "N", "3",
                            "Agents with fewer recent shifts are not judged for rotation, 1 to 1000."),
                    new JobOption("bootstrap", "N", "999",
                            "Agent-cluster bootstrap replicates for the pulse correlation's interval, 0 to 100000."),
                    new JobOption("seed", "SEED", "20250101", "The bootstrap's seed.")),
            values -> new Fatigue(Options.parse(values)));

    /**
     * What a scheduler or data scientist may change.
     *
     * @param highQueue       the queue of high-empathy shifts, lower-case
     * @param recentDays      the rotation window in days
     * @param rotationShare   the high-empathy share of recent shifts from which an agent is listed
     * @param minRecentShifts the recent shifts an agent needs to be judged
     * @param bootstrap       bootstrap replicates of the pulse correlation
     * @param seed            the bootstrap's seed
     */
    public record Options(String highQueue, int recentDays, double rotationShare, int minRecentShifts, int bootstrap,
                          long seed) {

        public Options {
            highQueue = highQueue == null ? "" : highQueue.strip().toLowerCase(Locale.ROOT);
            if (highQueue.isEmpty()) {
                throw new IllegalArgumentException("--high-queue: give the queue name of high-empathy shifts");
            }
            if (recentDays < 1 || recentDays > 366) {
                throw new IllegalArgumentException("--recent-days: days must be 1 to 366, got " + recentDays);
            }
            if (!(rotationShare > 0 && rotationShare <= 1)) {
                throw new IllegalArgumentException("--rotation-share: a share above 0 and at most 1, got "
                        + rotationShare);
            }
            if (minRecentShifts < 1 || minRecentShifts > 1000) {
                throw new IllegalArgumentException("--min-recent-shifts: shifts must be 1 to 1000, got "
                        + minRecentShifts);
            }
            if (bootstrap < 0 || bootstrap > 100_000) {
                throw new IllegalArgumentException("--bootstrap: replicates must be 0 to 100000, got " + bootstrap);
            }
        }

        public static Options defaults() {
            return new Options("high_empathy", 14, 0.5, 3, 999, 20250101L);
        }

        static Options parse(Map<String, String> values) {
            return new Options(values.get("high-queue"), OptionText.integer("recent-days", values.get("recent-days")),
                    OptionText.number("rotation-share", values.get("rotation-share")),
                    OptionText.integer("min-recent-shifts", values.get("min-recent-shifts")),
                    OptionText.integer("bootstrap", values.get("bootstrap")), OptionText.seed("seed", values.get("seed")));
        }


        Map<String, Object> describe() {
            return Ordered.map("high_queue", highQueue, "recent_days", recentDays, "rotation_share", rotationShare,
                    "min_recent_shifts", minRecentShifts, "bootstrap", bootstrap, "seed", seed);
        }
    }

    /** One term of a within-agent model, with the model's contacts and agents and a note when in doubt. */
    public record Effect(String outcome, Estimate term, long n, long clusters, String note) {
    }

    /**
     * Shifts of one queue ({@code none} for shifts without one): their contacts, the customers'
     * hostile share and mean sentiment over the queue's turns, hostile minutes per shift, and the
     * mean emotional load per shift with its interval clustered by agent.
     */
    public record QueueLoad(String queue, long shifts, long agents, long contacts, long transcribedContacts,
                            double hostileShare, double meanSentiment, double hostileMinutesPerShift,
                            ClusteredMean.Result load) {
    }

    /** One agent-week of {@code index.csv}; {@code pulse} is NaN without a pulse answer that week. */
    public record WeekIndex(String agentId, String isoWeek, long shifts, double hours, long highEmpathyShifts,
                            double highEmpathyHours, double hostileMinutes, double index, double pulse,
                            long pulseAnswers) {
    }

    /** Spearman's rho of index and pulse, {@code pooled} or {@code within_agent}, with a note when in doubt. */
    public record PulseCorrelation(String method, ClusteredSpearman.Result result, String note) {
    }

    /** The mean pulse of the agent-weeks whose index falls in a band, clustered by agent (the chart). */
    public record PulseByBand(String band, ClusteredMean.Result pulse) {
    }

    /** One agent of {@code rotation.csv}. */
    public record RotationRow(String agentId, long recentShifts, long recentHighEmpathyShifts,
                              double recentHighEmpathyShare, double recentHostileMinutes, String lastQueue,
                              double recoveryPoints, double recoveryLow, double recoveryHigh,
                              int recommendedGeneralShifts) {
    }

    /**
     * Everything the job computed. {@code shiftLoad} is the per-shift table, checkpointed (it is
     * computed once, read by the job's passes and written by the writer); {@code dataEnd} is the
     * latest contact, null without contacts.
     */
    public record Result(Options options, Steps steps, List<QueueLoad> loadByQueue, List<Effect> effects,
                         List<WeekIndex> index, List<PulseCorrelation> correlations, List<PulseByBand> pulseByIndex,
                         Instant dataEnd, List<RotationRow> rotation, List<String> notFitted,
                         Dataset<Row> shiftLoad) {
        public Result {
            loadByQueue = List.copyOf(loadByQueue);
            effects = List.copyOf(effects);
            index = List.copyOf(index);
            correlations = List.copyOf(correlations);
            pulseByIndex = List.copyOf(pulseByIndex);
            rotation = List.copyOf(rotation);
            notFitted = List.copyOf(notFitted);
        }

        /** The row of an outcome and term of {@code effects.csv}. */
        public Effect effect(String outcome, String term) {
            return effects.stream().filter(e -> e.outcome().equals(outcome) && e.term().term().equals(term))
                    .findFirst().orElseThrow();
        }

        public PulseCorrelation correlation(String method) {
            return correlations.stream().filter(c -> c.method().equals(method)).findFirst().orElseThrow();
        }
    }

    private final Options options;

    public Fatigue(Options options) {
        this.options = options;
    }

    public Fatigue() {
        this(Options.defaults());
    }

    @Override
    public String name() {
        return "fatigue";
    }

    @Override
    public Set<String> needs() {
        return Set.of("shifts");
    }

    @Override
    public Map<String, Object> options() {
        return options.describe();
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        FatigueReport.write(result, folder);
    }

    @Override
    public Map<String, Object> details(Result result) {
        return result.notFitted().isEmpty() ? Ordered.map("population", result.steps().counts())
                : Ordered.map("population", result.steps().counts(), "not_fitted", result.notFitted());
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        ValidatedInput input = context.input();
        Dataset<Row> interactions = input.table("interactions").orElseThrow().used();
        Dataset<Row> shifts = input.table("shifts").orElseThrow().used()
                .select("shift_id", "agent_id", "start_at", "end_at", "queue");
        try (Cached cached = new Cached()) {
            Dataset<Row> assigned = cached.keep(ShiftAssignment.assignCounted(interactions.select(col("interaction_id"),
                    col("agent_id"), col("started_at"), col("handle_seconds"), col("empathy_score"),
                    col("empathy_documented")), shifts, input.table("shifts").orElseThrow().ledger().rowsUsed()));
            Map<String, Long> steps = new LinkedHashMap<>(ShiftAssignment.counts(assigned));
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d of %,d contacts in a shift; %,d outside "
                            + "every shift of their agent, %,d of agents without shifts", steps.get("contacts_in_a_shift"),
                    steps.get("interactions"), steps.get("contacts_outside_every_shift"),
                    steps.get("contacts_of_agents_without_shifts")), began);

            Dataset<Row> inShift = assigned.filter(col("shift_id").isNotNull());
            Dataset<Row> shiftLoad = ShiftLoad.build(shifts, inShift.select("shift_id", "interaction_id",
                    "handle_seconds"), facts(context), options.highQueue()).localCheckpoint(true);
            Row s = shiftLoad.agg(count(lit(1)), sum(when(col("contacts").equalTo(0), 1L).otherwise(0L)),
                    sum(when(col("overlaps_previous"), 1L).otherwise(0L)), countDistinct(col("agent_id")),
                    sum(when(col("high_empathy"), 1L).otherwise(0L))).first();
            steps.put("shifts", s.getLong(0));
            steps.put("shifts_without_contacts", s.isNullAt(1) ? 0 : s.getLong(1));
            steps.put("shifts_overlapping_the_previous", s.isNullAt(2) ? 0 : s.getLong(2));
            steps.put("high_empathy_shifts", s.isNullAt(4) ? 0 : s.getLong(4));
            steps.put("agents_with_shifts", s.getLong(3));
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d shifts of %,d agents, %,d without contacts, "
                    + "%,d high-empathy", steps.get("shifts"), steps.get("agents_with_shifts"),
                    steps.get("shifts_without_contacts"), steps.get("high_empathy_shifts")), began);
            List<QueueLoad> byQueue = loadByQueue(shiftLoad);

            Dataset<Row> modelled = cached.keep(modelRows(inShift, shiftLoad, input));
            Row m = modelled.agg(count(lit(1)), count(col("empathy_score")), count(col("empathy_documented")),
                    count(col("csat"))).first();
            steps.put("contacts_after_a_previous_shift", m.getLong(0));
            steps.put("modelled_empathy_score", m.getLong(1));
            steps.put("modelled_empathy_documented", m.getLong(2));
            steps.put("modelled_csat", m.getLong(3));
            List<Effect> effects = FatigueModels.fit(modelled);
            context.progress().stage(name(), String.format(Locale.ROOT, "within-agent models on %,d contacts after "
                    + "a previous shift", m.getLong(0)), began);

            Dataset<Row> pulse = input.table("agent_pulse").map(ValidatedTable::used).orElse(null);
            FatigueIndex.Weeks weeks = FatigueIndex.weeks(shiftLoad, pulse);
            steps.put("agent_weeks", (long) weeks.rows().size());
            steps.put("agent_weeks_with_pulse", weeks.rows().stream().filter(w -> w.pulseAnswers() > 0).count());
            steps.put("pulse_answers", weeks.pulseAnswers());
            steps.put("pulse_answers_in_weeks_with_shifts", weeks.pulseAnswersInWeeksWithShifts());
            List<PulseCorrelation> correlations = FatigueIndex.correlations(weeks.rows(), options.bootstrap(),
                    options.seed());
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d agent-weeks, %,d with a pulse",
                    weeks.rows().size(), steps.get("agent_weeks_with_pulse")), began);

            Row end = assigned.agg(max(col("started_at"))).first();
            Instant dataEnd = end.isNullAt(0) ? null : end.getTimestamp(0).toInstant();
            Effect afterHigh = effects.stream().filter(e -> e.outcome().equals("empathy_score")
                    && e.term().term().equals("after_high_empathy_shift")).findFirst().orElseThrow();
            Rotation.Listed listed = Rotation.list(shiftLoad, dataEnd, options, afterHigh.term());
            List<RotationRow> rotation = listed.rows();
            steps.put("agents_judged_for_rotation", listed.judged());
            steps.put("agents_listed_for_rotation", (long) rotation.size());
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d of %,d agents listed for rotation",
                    rotation.size(), listed.judged()), began);
            return new Result(options, new Steps("count", steps), byQueue, effects, weeks.rows(), correlations,
                    FatigueIndex.pulseByBand(weeks.rows()), dataEnd, rotation, notFitted(effects), shiftLoad);
        }
    }

    /** The conversation facts of the input's turns; an empty table when there are none. */
    private static Dataset<Row> facts(JobContext context) {
        if (context.input().table("turns").isPresent()) {
            return ConversationFacts.of(context)
                    .select("interaction_id", "scored_turns", "mean_sentiment", "clear_turns", "hostile_turns");
        }
        StructType schema = new StructType().add("interaction_id", DataTypes.StringType)
                .add("scored_turns", DataTypes.LongType).add("mean_sentiment", DataTypes.DoubleType)
                .add("clear_turns", DataTypes.LongType).add("hostile_turns", DataTypes.LongType);
        return context.spark().createDataFrame(List.of(), schema);
    }

    /**
     * One row per contact in a shift that has a previous shift: {@code agent_id}, the terms of
     * {@link FatigueModels#TERMS} and the outcomes {@code empathy_score}, {@code empathy_documented}
     * (1 or 0) and {@code csat} (null without an answer or without the csat table).
     */
    static Dataset<Row> modelRows(Dataset<Row> inShift, Dataset<Row> shiftLoad, ValidatedInput input) {
        Dataset<Row> previous = shiftLoad.filter(col("previous_shift_id").isNotNull())
                .select(col("shift_id"), col("previous_high_empathy"), col("previous_end_at"),
                        col("previous_emotional_load"));
        Dataset<Row> rows = inShift.join(previous, "shift_id");
        Column csat;
        if (input.table("csat").isPresent()) {
            rows = rows.join(input.table("csat").orElseThrow().used().select(col("interaction_id"),
                    col("csat").cast("double").as("csat")), "interaction_id", "left");
            csat = col("csat");
        } else {
            csat = lit(null).cast("double");
        }
        return rows.select(col("agent_id"),
                when(col("previous_high_empathy"), 1).otherwise(0).as("after_high_empathy_shift"),
                col("previous_emotional_load").as("previous_shift_load"),
                unix_micros(col("started_at")).minus(unix_micros(col("previous_end_at"))).divide(3.6e9)
                        .as("hours_since_previous_shift"),
                col("empathy_score"), when(col("empathy_documented"), 1.0).otherwise(0.0).as("empathy_documented"),
                csat.as("csat"));
    }

    /** Per queue, from the shift table: one aggregation by queue and agent. */
    private static List<QueueLoad> loadByQueue(Dataset<Row> shiftLoad) {
        // Per queue: shifts, agents, contacts, transcribed, hostile turns, clear turns, scored turns.
        Map<String, long[]> counts = new TreeMap<>();
        // Per queue: sum of turn sentiments, hostile minutes.
        Map<String, double[]> sums = new TreeMap<>();
        Map<String, ClusteredMean> loads = new TreeMap<>();
        Column queue = coalesce(org.apache.spark.sql.functions.lower(org.apache.spark.sql.functions.trim(col("queue"))),
                lit(NO_QUEUE));
        for (Row r : shiftLoad.groupBy(queue.as("q"), col("agent_id"))
                .agg(count(lit(1)), sum(col("contacts")), sum(col("transcribed_contacts")), sum(col("hostile_turns")),
                        sum(col("clear_turns")), sum(col("scored_turns")),
                        exactSum(coalesce(col("mean_sentiment").multiply(col("scored_turns")), lit(0.0))),
                        exactSum(col("hostile_minutes")), exactSum(col("emotional_load")))
                .orderBy(col("q"), col("agent_id")).collectAsList()) {
            String q = r.getString(0);
            long[] c = counts.computeIfAbsent(q, k -> new long[7]);
            c[0] += r.getLong(2);
            c[1]++;
            for (int i = 2; i < 7; i++) {
                c[i] += r.getLong(i + 1);
            }
            double[] d = sums.computeIfAbsent(q, k -> new double[2]);
            d[0] += r.getDouble(8);
            d[1] += r.getDouble(9);
            loads.computeIfAbsent(q, k -> new ClusteredMean()).add(r.getLong(2), r.getDouble(10));
        }
        List<QueueLoad> rows = new ArrayList<>();
        counts.forEach((q, c) -> {
            double[] d = sums.get(q);
            rows.add(new QueueLoad(q, c[0], c[1], c[2], c[3], c[5] == 0 ? Double.NaN : (double) c[4] / c[5],
                    c[6] == 0 ? Double.NaN : d[0] / c[6], d[1] / c[0], loads.get(q).result(0.95)));
        });
        return rows;
    }

    /** The queue label of shifts without a queue. */
    static final String NO_QUEUE = "none";

    /** Plain reasons the models of each outcome could not be fitted (the rows with a note that starts so). */
    private static List<String> notFitted(List<Effect> effects) {
        List<String> reasons = new ArrayList<>();
        for (Effect e : effects) {
            if (e.note() != null && e.term().term().equals(FatigueModels.TERMS.get(0))
                    && (e.note().startsWith("not fitted") || e.note().startsWith("not usable"))) {
                reasons.add(e.outcome() + ": " + e.note());
            }
        }
        return reasons;
    }
}
