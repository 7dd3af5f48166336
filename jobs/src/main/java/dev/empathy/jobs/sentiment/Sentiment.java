package dev.empathy.jobs.sentiment;

import static dev.empathy.jobs.spark.Deterministic.exactSum;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.var_samp;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkOls;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.jobs.spark.Levels;
import dev.empathy.jobs.text.TurnScores;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.UnfittableException;
import dev.empathy.lib.stats.ClusteredMean;
import dev.empathy.lib.stats.MannWhitney;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.inference.TTest;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code sentiment}: how the customer's sentiment moves through a conversation, and whether it
 * moves further up when the agent documented empathy. Every turn is scored
 * ({@link dev.empathy.jobs.text.TurnScoring}: given, VADER for English, else unscored);
 * per conversation, the customer's scored turns give its first, last, minimum and mean
 * sentiment and the slope over normalized position (turn k of n at {@code (k - 0.5) / n}).
 * Writes {@code turn_scores/} (Parquet), {@code conversations} figures as {@code trajectories.csv},
 * {@code shift.csv}, {@code tests.csv}, {@code adjusted.csv}, {@code deteriorating.csv}, the
 * chart {@code trajectories.png}, {@code population.csv} and {@code summary.md} (see
 * docs/jobs/sentiment.md).
 */
public final class Sentiment implements Job<Sentiment.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("sentiment", List.of(
            "Customer sentiment turn by turn: turn_scores/ (Parquet, no text), trajectories.csv, shift.csv, "
                    + "tests.csv, adjusted.csv, deteriorating.csv, trajectories.png and summary.md.",
            "See docs/jobs/sentiment.md."),
            List.of(new JobOption("deterioration", "DROP", "0.5",
                    "A conversation is deteriorating when its customer's last sentiment is at least this much "
                            + "below the first and below -0.05.")),
            values -> new Sentiment(OptionText.number("deterioration", values.get("deterioration"))));

    /** VADER's own threshold for a negative text: a last sentiment at or below it is negative. */
    public static final double NEGATIVE = -0.05;

    /** The rank tests compare shifts rounded to this many decimals (VADER's published precision). */
    static final int RANK_DECIMALS = 4;

    /** The controls of the adjusted models of the shift. */
    static final String CONTROLS = " + first + C(channel) + C(contact_reason) + C(language)";

    private final double deterioration;

    /** {@code deterioration}: the drop from first to last that marks a deteriorating conversation, 0 to 2. */
    public Sentiment(double deterioration) {
        if (!(deterioration > 0 && deterioration <= 2)) {
            throw new IllegalArgumentException("--deterioration: a drop above 0 and at most 2, got " + deterioration);
        }
        this.deterioration = deterioration;
    }

    public Sentiment() {
        this(0.5);
    }

    /** One point of the trajectory: documented or not, the decile, the mean with its interval. */
    public record TrajectoryPoint(String documented, int decile, ClusteredMean.Result mean, long conversations) {
    }

    /** One row of {@code shift.csv}: {@code yes}, {@code no} or {@code difference}. */
    public record Shift(String documented, long conversations, double meanFirst, double meanLast, double meanShift,
                        double low, double high) {
    }

    /** One row of {@code tests.csv}. */
    public record TestRow(String test, double statistic, double pValue, double effect) {
    }

    /** One term of an adjusted model of the shift, with the model's n and clusters and a note. */
    public record Adjusted(String model, Estimate term, long n, long clusters, String note) {
    }

    /** A conversation whose customer ended clearly worse than they started. */
    public record Deteriorating(String interactionId, String agentId, double first, double last, double min) {
    }

    /**
     * Everything the job computed. {@code turnScores} is the lazy table of scored turns, written
     * as Parquet by the writer and read by the jobs that use this one.
     */
    public record Result(double deterioration, Steps steps, Map<String, Long> turnsBySource,
                         List<TrajectoryPoint> trajectories, List<Shift> shift, List<TestRow> tests,
                         List<Adjusted> adjusted, List<Deteriorating> deteriorating, Dataset<Row> turnScores) {
        public Result {
            turnsBySource = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(turnsBySource));
            trajectories = List.copyOf(trajectories);
            shift = List.copyOf(shift);
            tests = List.copyOf(tests);
            adjusted = List.copyOf(adjusted);
            deteriorating = List.copyOf(deteriorating);
        }

        public java.util.Optional<Shift> shift(String documented) {
            return shift.stream().filter(s -> s.documented().equals(documented)).findFirst();
        }
    }

    @Override
    public String name() {
        return "sentiment";
    }

    @Override
    public Set<String> needs() {
        return Set.of("turns");
    }

    @Override
    public Map<String, Object> options() {
        return Ordered.map("deterioration", deterioration);
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        SentimentReport.write(result, folder);
    }

    @Override
    public Map<String, Object> details(Result result) {
        return Ordered.map("population", result.steps().counts(), "turns_by_source", result.turnsBySource());
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        Dataset<Row> interactions = context.input().table("interactions").orElseThrow().used();
        try (Cached cached = new Cached()) {
            Dataset<Row> scores = cached.keep(TurnScores.of(context));
            Map<String, Long> bySource = new TreeMap<>();
            for (Row r : scores.groupBy(col("source")).count().collectAsList()) {
                bySource.put(r.getString(0), r.getLong(1));
            }
            long turns = bySource.values().stream().mapToLong(Long::longValue).sum();
            context.progress().stage(name(), String.format("%,d turns scored: %s", turns, bySource), began);

            // The customer's scored turns, ranked k = 1..n within the conversation.
            WindowSpec byConversation = Window.partitionBy(col("interaction_id")).orderBy(col("turn_index"));
            Dataset<Row> ranked = cached.keep(scores
                    .filter(col("speaker").equalTo("customer").and(col("sentiment").isNotNull()))
                    .select(col("interaction_id"), col("turn_index"), col("sentiment"))
                    .withColumn("k", row_number().over(byConversation))
                    .withColumn("n", count(lit(1)).over(Window.partitionBy(col("interaction_id")))));
            Dataset<Row> context0 = interactions.select(col("interaction_id"), col("agent_id"),
                    when(col("empathy_documented"), "yes").otherwise("no").as("documented"),
                    col("empathy_score"), col("channel"), coalesce(col("contact_reason"), lit("unknown"))
                            .as("contact_reason"),
                    coalesce(dev.empathy.jobs.text.Languages.primary(col("language")), lit("unknown")).as("language"));
            Dataset<Row> conversations = cached.keep(conversations(ranked).join(context0, "interaction_id"));

            Map<String, Long> steps = new LinkedHashMap<>();
            steps.put("interactions", interactions.count());
            steps.put("with_turns", scores.select(col("interaction_id")).distinct().count());
            Row sizes = conversations.agg(count(lit(1)), sum(when(col("n").geq(2), 1L).otherwise(0L))).first();
            steps.put("with_a_scored_customer_turn", sizes.getLong(0));
            steps.put("with_two_or_more", sizes.isNullAt(1) ? 0 : sizes.getLong(1));
            context.progress().stage(name(), String.format("%,d conversations with a scored customer turn, %,d with "
                    + "two or more", steps.get("with_a_scored_customer_turn"), steps.get("with_two_or_more")), began);

            List<TrajectoryPoint> trajectories = trajectories(ranked, context0);
            Dataset<Row> moved = conversations.filter(col("n").geq(2));
            List<Shift> shift = shift(moved);
            List<TestRow> tests = tests(moved);
            context.progress().stage(name(), "trajectories, shift and tests", began);
            List<Adjusted> adjusted = new ArrayList<>();
            Levels.Lumped reasons = Levels.of(moved.select(col("contact_reason")), "contact_reason");
            Dataset<Row> modelled = moved.withColumn("contact_reason", reasons.apply(col("contact_reason")))
                    .withColumn("empathy_documented", when(col("documented").equalTo("yes"), 1).otherwise(0))
                    .withColumn("empathy_10", col("empathy_score").divide(10.0));
            adjusted.addAll(adjusted(modelled, "documented", "empathy_documented"));
            adjusted.addAll(adjusted(modelled, "score", "empathy_10"));
            context.progress().stage(name(), "adjusted models", began);
            List<Deteriorating> deteriorating = new ArrayList<>();
            for (Row r : moved.filter(col("last").minus(col("first")).leq(-deterioration)
                            .and(col("last").leq(NEGATIVE)))
                    .select(col("interaction_id"), col("agent_id"), col("first"), col("last"), col("min"))
                    .orderBy(col("interaction_id")).collectAsList()) {
                deteriorating.add(new Deteriorating(r.getString(0), r.getString(1), r.getDouble(2), r.getDouble(3),
                        r.getDouble(4)));
            }
            context.progress().stage(name(), String.format("%,d deteriorating conversations", deteriorating.size()),
                    began);
            return new Result(deterioration, new Steps("conversations", steps), bySource, trajectories, shift, tests,
                    adjusted, deteriorating, TurnScores.of(context));
        }
    }

    /**
     * Per conversation: n scored customer turns, first, last, min, mean and the OLS slope over
     * positions {@code x_k = (k - 0.5) / n}. With {@code S = sum y} and {@code K = sum k y},
     * {@code sum (x - mean x) y = (K - (n + 1) S / 2) / n} and {@code sum (x - mean x)^2 =
     * (n^2 - 1) / (12 n)}, so the slope is {@code 12 (K - (n + 1) S / 2) / (n^2 - 1)}, none for n = 1.
     */
    static Dataset<Row> conversations(Dataset<Row> ranked) {
        Column n = col("n");
        return ranked.groupBy(col("interaction_id"))
                .agg(count(lit(1)).as("n"), min_by(col("sentiment"), col("k")).as("first"),
                        max_by(col("sentiment"), col("k")).as("last"), min(col("sentiment")).as("min"),
                        // Exact sums: the same bits whatever the order Spark adds the turns in.
                        Deterministic.exactMean(col("sentiment")).as("mean"),
                        Deterministic.exactSum(col("sentiment")).as("s"),
                        Deterministic.exactSum(col("sentiment").multiply(col("k"))).as("ks"))
                .withColumn("slope", when(n.geq(2), lit(12.0).multiply(col("ks").minus(n.plus(1).multiply(col("s"))
                        .divide(2.0))).divide(n.multiply(n).minus(1))))
                .withColumn("shift", col("last").minus(col("first")))
                .drop("s", "ks");
    }

    /** The decile of turn k of n: 1 + floor(10 (k - 0.5) / n), at most 10. */
    static Column decile(Column k, Column n) {
        return least(lit(10), floor(k.minus(0.5).multiply(10).divide(n)).plus(1)).cast("int");
    }

    private static List<TrajectoryPoint> trajectories(Dataset<Row> ranked, Dataset<Row> context0) {
        // A conversation counts once in each decile it reaches: at its first turn there.
        Column d = decile(col("k"), col("n"));
        Column firstInDecile = col("k").equalTo(1).or(decile(col("k").minus(1), col("n")).notEqual(d));
        Map<String, ClusteredMean> means = new TreeMap<>();
        Map<String, Long> conversations = new TreeMap<>();
        for (Row r : ranked.join(context0.select("interaction_id", "agent_id", "documented"), "interaction_id")
                .groupBy(col("documented"), d.as("decile"), col("agent_id"))
                .agg(count(lit(1)), exactSum(col("sentiment")), sum(when(firstInDecile, 1L).otherwise(0L)))
                .orderBy(col("documented"), col("decile"), col("agent_id")).collectAsList()) {
            String key = r.getString(0) + "|" + String.format(java.util.Locale.ROOT, "%02d", r.getInt(1));
            means.computeIfAbsent(key, k -> new ClusteredMean()).add(r.getLong(3), r.getDouble(4));
            conversations.merge(key, r.getLong(5), Long::sum);
        }
        List<TrajectoryPoint> points = new ArrayList<>();
        for (var e : means.entrySet()) {
            String[] key = e.getKey().split("\\|");
            points.add(new TrajectoryPoint(key[0], Integer.parseInt(key[1]), e.getValue().result(0.95),
                    conversations.get(e.getKey())));
        }
        return points;
    }

    private static List<Shift> shift(Dataset<Row> moved) {
        Map<String, ClusteredMean> shifts = new TreeMap<>();
        Map<String, double[]> ends = new TreeMap<>();
        for (Row r : moved.groupBy(col("documented"), col("agent_id"))
                .agg(count(lit(1)), exactSum(col("shift")), exactSum(col("first")), exactSum(col("last")))
                .orderBy(col("documented"), col("agent_id")).collectAsList()) {
            shifts.computeIfAbsent(r.getString(0), k -> new ClusteredMean()).add(r.getLong(2), r.getDouble(3));
            double[] e = ends.computeIfAbsent(r.getString(0), k -> new double[3]);
            e[0] += r.getLong(2);
            e[1] += r.getDouble(4);
            e[2] += r.getDouble(5);
        }
        List<Shift> rows = new ArrayList<>();
        for (String group : List.of("yes", "no")) {
            ClusteredMean.Result m = shifts.getOrDefault(group, new ClusteredMean()).result(0.95);
            double[] e = ends.getOrDefault(group, new double[3]);
            rows.add(new Shift(group, m.n(), e[1] / e[0], e[2] / e[0], m.mean(), m.low(), m.high()));
        }
        // The difference: the documented coefficient of shift ~ documented, clustered by agent.
        Estimate difference = Estimate.notEstimated("empathy_documented");
        try {
            OlsFit fit = SparkOls.fit(ModelData.bind(moved.withColumn("empathy_documented",
                            when(col("documented").equalTo("yes"), 1).otherwise(0)),
                    Formula.parse("shift ~ empathy_documented"), "agent_id"),
                    OlsOptions.defaults().with(CovarianceType.CLUSTER), SparkOls.DRIVER_VALUES).fit();
            if (fit.usable() && fit.terms().contains("empathy_documented")) {
                difference = fit.estimates().get(fit.terms().indexOf("empathy_documented"));
            }
        } catch (UnfittableException e) {
            // both groups are needed, and two agents: the row stays empty
        }
        Shift yes = rows.get(0);
        Shift no = rows.get(1);
        rows.add(new Shift("difference", yes.conversations() + no.conversations(),
                yes.meanFirst() - no.meanFirst(), yes.meanLast() - no.meanLast(), difference.estimate(),
                difference.ciLow(), difference.ciHigh()));
        return rows;
    }

    private static List<TestRow> tests(Dataset<Row> moved) {
        List<TestRow> rows = new ArrayList<>();
        Map<String, Row> groups = new TreeMap<>();
        // Each group's mean and variance in one task over its rows in a fixed order: the same bits on any cluster.
        for (Row r : Deterministic.byKeys(moved.select(col("documented"), col("shift")), col("documented"))
                .groupBy(col("documented")).agg(count(lit(1)), avg(col("shift")), var_samp(col("shift")))
                .collectAsList()) {
            groups.put(r.getString(0), r);
        }
        Row yes = groups.get("yes");
        Row no = groups.get("no");
        if (yes != null && no != null && yes.getLong(1) >= 2 && no.getLong(1) >= 2
                && (yes.getDouble(3) > 0 || no.getDouble(3) > 0)) {
            StatisticalSummaryValues a = new StatisticalSummaryValues(yes.getDouble(2), yes.getDouble(3),
                    yes.getLong(1), Double.NaN, Double.NaN, yes.getDouble(2) * yes.getLong(1));
            StatisticalSummaryValues b = new StatisticalSummaryValues(no.getDouble(2), no.getDouble(3),
                    no.getLong(1), Double.NaN, Double.NaN, no.getDouble(2) * no.getLong(1));
            TTest t = new TTest();
            rows.add(new TestRow("welch", t.t(a, b), t.tTest(a, b), a.getMean() - b.getMean()));
        } else {
            rows.add(new TestRow("welch", Double.NaN, Double.NaN, Double.NaN));
        }
        TreeMap<Double, long[]> counts = new TreeMap<>();
        for (Row r : moved.groupBy(round(col("shift"), RANK_DECIMALS).as("v"), col("documented")).count()
                .collectAsList()) {
            counts.computeIfAbsent(r.getDouble(0), k -> new long[2])[r.getString(1).equals("yes") ? 0 : 1] += r.getLong(2);
        }
        MannWhitney.Result mw = MannWhitney.test(counts);
        rows.add(new TestRow("mann_whitney", mw.w(), mw.pValue(), mw.cliffsDelta()));
        rows.add(new TestRow("cliffs_delta", mw.cliffsDelta(), Double.NaN, mw.cliffsDelta()));
        return rows;
    }

    private static List<Adjusted> adjusted(Dataset<Row> moved, String model, String exposure) {
        OlsFit fit;
        try {
            fit = SparkOls.fit(ModelData.bind(moved, Formula.parse("shift ~ " + exposure + CONTROLS), "agent_id"),
                    OlsOptions.defaults().with(CovarianceType.CLUSTER), SparkOls.DRIVER_VALUES).fit();
        } catch (UnfittableException e) {
            return List.of(new Adjusted(model, Estimate.notEstimated(exposure), 0, 0, "not fitted: " + e.getMessage()));
        }
        String note = fit.notes().isEmpty() ? null : (fit.usable() ? "" : "not usable: ") + fit.noteText();
        List<Adjusted> rows = new ArrayList<>();
        for (Estimate e : fit.estimates()) {
            rows.add(new Adjusted(model, fit.usable() ? e : Estimate.notEstimated(e.term()), fit.statistics().n(),
                    fit.statistics().clusters(), note));
        }
        return rows;
    }
}
