package dev.empathy.jobs.calibration;

import static dev.empathy.jobs.spark.Deterministic.exactMean;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.input.TableLedger;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.lib.contract.Contract;
import dev.empathy.lib.stats.IntraclassCorrelation;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code calibration}: how far the QA raters agree, and how far each team and rater sits from
 * the calibration team, from {@code qa_ratings} (several raters per interaction). Krippendorff's
 * alpha (interval metric) overall and per rater team with unit-resampling bootstrap intervals;
 * ICC(2,1) and ICC(3,1) on the largest complete block (interactions all rated by the same
 * raters); each team's and rater's mean difference from the calibration team on the interactions
 * both rated; alpha and the team differences per month of {@code started_at}; and the
 * standardization gap between in-house and outsourced raters. Writes {@code population.csv},
 * {@code agreement.csv}, {@code blocks.csv}, {@code bias.csv}, {@code drift.csv}, {@code gap.csv},
 * {@code drift.png}, {@code agreement.png} and {@code summary.md} (see docs/jobs/calibration.md).
 * Rater ids appear only in the operations files {@code bias.csv} and {@code blocks.csv}.
 */
public final class Calibration implements Job<Calibration.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("calibration", List.of(
            "QA rater agreement and bias from qa_ratings: Krippendorff's alpha overall and per team with bootstrap "
                    + "intervals, ICC(2,1) and ICC(3,1) on complete blocks, each team's and rater's difference from "
                    + "the calibration team, drift per month and the in-house versus outsourced gap: agreement.csv, "
                    + "blocks.csv, bias.csv, drift.csv, gap.csv, two charts and summary.md.",
            "See docs/jobs/calibration.md."),
            List.of(new JobOption("resamples", "N", "1000",
                            "Bootstrap resamples of the interactions for the alpha intervals, 0 (no intervals) to "
                                    + Options.MAX_RESAMPLES + "."),
                    new JobOption("seed", "S", "20250101", "The seed of the bootstrap: the same seed, the same intervals."),
                    new JobOption("min-block", "N", "10",
                            "The fewest interactions a complete block (interactions all rated by the same raters) "
                                    + "needs for its ICCs, 3 or more."),
                    new JobOption("min-shared", "N", "10",
                            "The fewest interactions a rater must share with the calibration team to be named the "
                                    + "most lenient or the strictest, 2 or more.")),
            values -> new Calibration(Options.parse(values)));

    /** The reference team every difference is taken from. */
    public static final String REFERENCE = "calibration";
    /** The teams of the contract, in the order of every file. */
    public static final List<String> TEAMS = List.of("in_house", "outsourced", "calibration");
    /** The teams compared with the reference. */
    public static final List<String> COMPARED = List.of("in_house", "outsourced");
    /** The scope of the rows over every team. */
    public static final String ALL = "all";
    public static final String ALPHA = "alpha_interval";
    public static final String ICC2 = "icc2_1";
    public static final String ICC3 = "icc3_1";
    public static final String DIFFERENCE = "difference";
    /** The statistic of drift.csv's trend rows: a team's difference from calibration, change per month. */
    public static final String TREND = "difference_per_month";
    /** The confidence level of every interval. */
    public static final double LEVEL = 0.95;

    /**
     * The job's options.
     *
     * @param resamples bootstrap resamples for the alpha intervals (0: none)
     * @param seed      the bootstrap's seed
     * @param minBlock  the fewest interactions of a complete block used for ICCs
     * @param minShared the fewest interactions shared with the calibration team for a rater to be ranked
     */
    public record Options(int resamples, long seed, int minBlock, int minShared) {

        static final int MAX_RESAMPLES = 100_000;

        public Options {
            if (resamples < 0 || resamples > MAX_RESAMPLES) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--resamples: bootstrap resamples must be 0 to %d, got %d", MAX_RESAMPLES, resamples));
            }
            if (minBlock < 3) {
                throw new IllegalArgumentException("--min-block: a complete block needs at least 3 interactions, got "
                        + minBlock);
            }
            if (minShared < 2) {
                throw new IllegalArgumentException("--min-shared: at least 2 shared interactions, got " + minShared);
            }
        }

        public static Options defaults() {
            return new Options(1000, 20250101L, 10, 10);
        }

        static Options parse(Map<String, String> values) {
            return new Options(OptionText.integer("resamples", values.get("resamples")),
                    OptionText.seed("seed", values.get("seed")), OptionText.integer("min-block", values.get("min-block")),
                    OptionText.integer("min-shared", values.get("min-shared")));
        }


        Map<String, Object> describe() {
            return Ordered.map("resamples", resamples, "seed", seed, "min_block", minBlock, "min_shared", minShared,
                    "level", LEVEL);
        }
    }

    /**
     * One row of {@code agreement.csv}: a statistic of a scope ({@code all} or a team) with its
     * interval, the interactions ({@code units}) and ratings behind it, the raters, and a note when
     * it is missing or to be read with care.
     */
    public record Agreement(String raterTeam, String statistic, double estimate, double ciLow, double ciHigh,
                            long units, long ratings, int raters, String note) {
    }

    /**
     * A complete block of a scope: {@code units} interactions all rated by the same raters (and
     * by no other rater of the scope), with its ICCs; {@code used} when its figures are the
     * scope's rows of {@code agreement.csv}.
     */
    public record Block(String raterTeam, int block, List<String> raterIds, List<String> raterTeams, long units,
                       IntraclassCorrelation.Result icc, boolean used) {
        public Block {
            raterIds = List.copyOf(raterIds);
            raterTeams = List.copyOf(raterTeams);
        }
    }

    /**
     * One row of {@code bias.csv}: a team's ({@code scope} {@code team}, no rater) or a rater's
     * mean difference from the calibration team on the interactions both rated, its t interval
     * over those interactions, their number, the spread of the differences, and the
     * {@code most_lenient} or {@code strictest} mark.
     */
    public record Bias(String scope, String raterTeam, String raterId, double difference, double ciLow, double ciHigh,
                       long interactions, double sdDifference, String mark, String note) {
    }

    /**
     * One row of {@code drift.csv}: a month's alpha over every rater, or a team's difference from
     * calibration; or, with month {@code all}, the team's trend: the change of its difference per month.
     */
    public record Drift(String month, String raterTeam, String statistic, double estimate, double ciLow, double ciHigh,
                        long units, long ratings, String note) {
    }

    /**
     * One row of {@code gap.csv}: a measure for in-house and outsourced raters and the gap,
     * outsourced minus in-house, with its interval and the interactions behind it.
     */
    public record Gap(String measure, double inHouse, double outsourced, double gap, double ciLow, double ciHigh,
                      long interactions, String note) {
    }

    /** Everything the job computed; rater ids only in the blocks and the rater rows of the bias. */
    public record Result(Options options, Steps steps, Map<String, Long> ratersByTeam, List<Agreement> agreement,
                         List<Block> blocks, List<Bias> bias, List<Drift> drift, List<Gap> gap) {
        public Result {
            ratersByTeam = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ratersByTeam));
            agreement = List.copyOf(agreement);
            blocks = List.copyOf(blocks);
            bias = List.copyOf(bias);
            drift = List.copyOf(drift);
            gap = List.copyOf(gap);
        }

        public Optional<Agreement> agreement(String team, String statistic) {
            return agreement.stream().filter(a -> a.raterTeam().equals(team) && a.statistic().equals(statistic))
                    .findFirst();
        }

        public Optional<Bias> team(String team) {
            return bias.stream().filter(b -> b.scope().equals("team") && b.raterTeam().equals(team)).findFirst();
        }

        public Optional<Gap> gap(String measure) {
            return gap.stream().filter(g -> g.measure().equals(measure)).findFirst();
        }
    }

    private final Options options;

    public Calibration(Options options) {
        this.options = options;
    }

    public Calibration() {
        this(Options.defaults());
    }

    @Override
    public String name() {
        return "calibration";
    }

    @Override
    public Set<String> needs() {
        return Set.of("qa_ratings", "interactions");
    }

    @Override
    public Map<String, Object> options() {
        return options.describe();
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        CalibrationReport.write(result, folder);
    }

    @Override
    public Map<String, Object> details(Result result) {
        Map<String, Object> used = new LinkedHashMap<>();
        for (Block b : result.blocks()) {
            if (b.used()) {
                used.put(b.raterTeam(), Ordered.map("interactions", b.units(), "raters", b.raterIds().size()));
            }
        }
        return Ordered.map("population", result.steps().counts(), "raters_by_team", result.ratersByTeam(),
                "icc_blocks_used", used);
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        Dataset<Row> interactions = context.input().table("interactions").orElseThrow().used();
        var qa = context.input().table("qa_ratings").orElseThrow();
        TableLedger ledger = qa.ledger();
        try (Cached cached = new Cached()) {
            // One value per interaction and rater: a rater's repeated ratings of an interaction are averaged.
            Dataset<Row> perRater = cached.keep(qa.used()
                    .groupBy(col("interaction_id"), col("rater_team"), col("rater_id"))
                    .agg(exactMean(col("empathy_score")).as("score"), count(lit(1)).as("rows")));
            Dataset<Row> perInteraction = perRater.groupBy(col("interaction_id")).agg(count(lit(1)).as("raters"));
            Row sizes = perInteraction.agg(count(lit(1)), sum(when(col("raters").geq(2), 1L).otherwise(0L))).first();
            long rated = sizes.getLong(0);
            long pairable = sizes.isNullAt(1) ? 0 : sizes.getLong(1);
            Row merged = perRater.agg(count(lit(1)), sum(col("rows"))).first();
            long values = merged.getLong(0);
            long rows = merged.isNullAt(1) ? 0 : merged.getLong(1);

            List<String[]> raters = new ArrayList<>();
            Map<String, Long> ratersByTeam = new LinkedHashMap<>();
            TEAMS.forEach(t -> ratersByTeam.put(t, 0L));
            for (Row r : perRater.select(col("rater_team"), col("rater_id")).distinct()
                    .orderBy(col("rater_team"), col("rater_id")).collectAsList()) {
                raters.add(new String[] {r.getString(0), r.getString(1)});
                ratersByTeam.merge(r.getString(0), 1L, Long::sum);
            }
            Dataset<Row> months = interactions.select(col("interaction_id"),
                    date_format(col("started_at"), "yyyy-MM").as("month"));
            // Validation has rejected the ratings of unknown interactions, so every rating finds its month.
            Dataset<Row> pairableRatings = cached.keep(perRater
                    .join(perInteraction.filter(col("raters").geq(2)).select(col("interaction_id")), "interaction_id")
                    .join(months, new String[] {"interaction_id"}, "left"));
            List<String> monthList = new ArrayList<>();
            for (Row r : pairableRatings.select(col("month")).distinct().filter(col("month").isNotNull())
                    .orderBy(col("month")).collectAsList()) {
                monthList.add(r.getString(0));
            }
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d ratings of %,d interactions by %,d "
                    + "raters; %,d interactions rated by two or more", rows, rated, raters.size(), pairable), began);

            CollectedRatings collected = CollectedRatings.collect(pairableRatings.orderBy(col("interaction_id"),
                    col("rater_team"), col("rater_id")), raters, monthList);
            context.progress().stage(name(), String.format(Locale.ROOT, "%,d ratings of the %,d interactions rated "
                    + "by two or more collected", collected.ratings(), collected.units()), began);

            Map<String, Long> steps = new LinkedHashMap<>();
            steps.put("ratings_read", ledger.rowsRead());
            long unknown = ledger.rejectedByReason().getOrDefault(Contract.UNKNOWN_INTERACTION, 0L);
            steps.put("ratings_rejected_unknown_interaction", unknown);
            steps.put("ratings_rejected_other_rules", ledger.rowsRejected() - unknown);
            steps.put("ratings_used", ledger.rowsUsed());
            steps.put("repeated_ratings_averaged", rows - values);
            steps.put("interactions_rated", rated);
            steps.put("interactions_rated_once", rated - pairable);
            steps.put("interactions_rated_by_two_or_more", pairable);
            steps.put("ratings_of_those_interactions", (long) collected.ratings());
            CalibrationStats stats = new CalibrationStats(collected, options);
            CalibrationStats.Computed computed = stats.compute(steps,
                    (stage) -> context.progress().stage(name(), stage, began));
            return new Result(options, new Steps("count", steps), ratersByTeam, computed.agreement(),
                    computed.blocks(), computed.bias(), computed.drift(), computed.gap());
        }
    }
}
