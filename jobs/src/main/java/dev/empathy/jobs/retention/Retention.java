package dev.empathy.jobs.retention;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.jobs.fit.CoxGroups;
import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkSurvival;
import dev.empathy.jobs.frame.ModelFrame;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.UnfittableException;
import dev.empathy.lib.survival.CoxFit;
import dev.empathy.lib.stats.Proportions;
import dev.empathy.lib.stats.Rates;
import dev.empathy.lib.survival.KaplanMeier;
import dev.empathy.lib.survival.LogRank;
import dev.empathy.lib.survival.SurvivalRow;
import dev.empathy.lib.survival.Ties;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code retention}: does the empathy a customer meets go with keeping them longer, in the
 * segments that churn most? Per customer ({@link RetentionPopulation}): exposure (mean QA
 * empathy score before churn, and the documented share), follow-up from the first interaction to
 * churn or the end of the data. Writes {@code population.csv}, {@code segments.csv} (churn per
 * customer-year, high-churn flag), {@code correlation.csv} (Spearman and point-biserial with
 * retention at each horizon), {@code km.csv} and {@code logrank.csv} (exposure tertiles per
 * segment), {@code cox.csv} (hazard ratio per +10 points: the customer's fixed mean score, observed
 * and calibrated; the documented share; and, as the headline, the calibrated running exposure in
 * a counting-process model), the charts and {@code summary.md} (see docs/jobs/retention.md).
 */
public final class Retention implements Job<Retention.Result> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("retention", List.of(
            "Empathy exposure and retention: population.csv, segments.csv, correlation.csv, km.csv, logrank.csv, "
                    + "cox.csv, charts and summary.md.",
            "See docs/jobs/retention.md."),
            List.of(new JobOption("high-churn-margin", "FRACTION", "0.25", "A segment is high-churn when its churn "
                            + "per customer-year is more than this fraction above the overall rate (0.25: 25% above)."),
                    new JobOption("horizons", "DAYS", "90,180",
                            "Days at which retention is correlated with exposure."),
                    new JobOption("model-frame", "on|off", "on",
                            "Write the overall running-exposure Cox model's counting-process rows (model_frame/, "
                                    + "gzip CSV) for the exported notebooks; off leaves them out.")),
            values -> new Retention(new Options(OptionText.number("high-churn-margin", values.get("high-churn-margin")),
                    OptionText.integers("horizons", values.get("horizons")),
                    ModelFrame.enabled(values.get("model-frame")))));

    /**
     * @param highChurnMargin a segment is high-churn when its churn per customer-year exceeds the
     *                        overall rate by more than this fraction (0.25: 25% above)
     * @param horizons        days at which retention is correlated with exposure
     * @param modelFrame      whether the running-exposure model's rows are written as {@code model_frame/}
     */
    public record Options(double highChurnMargin, List<Integer> horizons, boolean modelFrame) {
        public Options {
            if (!(highChurnMargin >= 0) || highChurnMargin > 10) {
                throw new IllegalArgumentException("--high-churn-margin: a fraction from 0 to 10, got "
                        + highChurnMargin);
            }
            horizons = List.copyOf(horizons);
            if (horizons.isEmpty()) {
                throw new IllegalArgumentException("--horizons: give at least one horizon in days");
            }
            for (int h : horizons) {
                if (h < 1 || h > 3650) {
                    throw new IllegalArgumentException("--horizons: days must be 1 to 3650, got " + h);
                }
            }
        }

        public static Options defaults() {
            return new Options(0.25, List.of(90, 180), true);
        }
    }

    static final double DAYS_PER_YEAR = 365.25;
    static final String ALL = "all";
    static final List<String> BANDS = List.of("low", "middle", "high");

    /** The Cox models' exposure columns and their names in cox.csv. */
    static final Map<String, String> EXPOSURES = Map.of("exposure_10", "observed", "exposure_cal_10", "calibrated",
            "documented_share_10", "documented_share", "exposure_run_10", "running");

    /** The running calibrated exposure of the counting-process model, per 10 points. */
    static final String RUNNING = "exposure_run_10";

    private final Options options;

    public Retention(Options options) {
        this.options = options;
    }

    public Retention() {
        this(Options.defaults());
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public Set<String> needs() {
        return Set.of("customers");
    }

    /** A segment's churn: customers, events, customer-years, rate with its exact interval. */
    record SegmentRate(String segment, long customers, long churned, double years, Proportions.Interval rate,
                       boolean highChurn) {
    }

    /** One Cox model's exposure term; a note when the model was not fitted or did not converge. */
    record CoxRow(String exposure, String segment, boolean highChurn, Estimate term, long customers, long events,
                  String note) {
        /** The same with the number of customers (a counting-process model's n counts intervals). */
        CoxRow withCustomers(long n) {
            return new CoxRow(exposure, segment, highChurn, term, n, events, note);
        }
    }

    /** A segment's Cox models need at least one churned customer. */
    static final int MIN_EVENTS = 1;

    /**
     * One correlation of exposure with being retained at a horizon, with its Fisher-z interval;
     * {@code note} says why it could not be estimated (null when it was).
     */
    record Correlation(String segment, boolean highChurn, int horizonDays, String exposure, String measure,
                       Proportions.Interval value, long customers, long retained, String note) {
    }

    /** One step of a Kaplan-Meier curve of one segment (its {@code group} is the exposure band). */
    record CurveStep(String segment, SurvivalRow step) {
    }

    /**
     * The log-rank test across the exposure bands of one segment; {@code test} null when it could
     * not be computed (one band, nobody left, a singular variance), {@code note} then says why.
     */
    record BandTest(String segment, boolean highChurn, double lowUpper, double middleUpper, LogRank.Result test,
                    long customers, long events, String note) {
    }

    /**
     * Everything the job computed, for its files and for tests; {@code scoreVaries} and
     * {@code documentedVaries} say whether the used customers' mean score and documented share
     * take more than one value (the summary says when they do not).
     */
    record Result(Options options, Steps steps, ExposureCalibration calibration, List<SegmentRate> segments,
                  List<Correlation> correlations, List<CurveStep> curves, List<BandTest> logRank,
                  List<CoxRow> cox, boolean scoreVaries, boolean documentedVaries, Dataset<Row> modelFrame) {
        Result {
            segments = List.copyOf(segments);
            correlations = List.copyOf(correlations);
            curves = List.copyOf(curves);
            logRank = List.copyOf(logRank);
            cox = List.copyOf(cox);
        }
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("high_churn_margin", options.highChurnMargin());
        m.put("horizons", options.horizons());
        m.put("model_frame", options.modelFrame());
        return m;
    }

    @Override
    public void write(Result result, ReportFolder folder) {
        RetentionReport.write(result, folder);
        if (result.modelFrame() != null) {
            ModelFrame.write(result.modelFrame(), folder, "model_frame");
        }
    }

    @Override
    public Map<String, Object> details(Result result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("population", result.steps().counts());
        ExposureCalibration c = result.calibration();
        m.put("exposure_calibration", Ordered.map("mean", c.mean(), "between_customer_variance", c.betweenVariance(),
                "within_customer_variance", c.withinVariance()));
        return m;
    }

    @Override
    public Result compute(JobContext context) {
        long began = System.nanoTime();
        RetentionPopulation.Built built = RetentionPopulation.build(context.input());
        try (Cached cached = new Cached()) {
            Dataset<Row> followed = cached.keep(built.followed());
            Steps steps = new Steps("customers", built.steps());
            List<SegmentRate> segments = segmentRates(followed);
            context.progress().stage(name(), String.format(Locale.ROOT,
                    "%,d customers followed, %,d churned, %,d with a scored contact", segments.get(0).customers(),
                    segments.get(0).churned(), built.steps().get("used")), began);

            Dataset<Row> used = built.used();
            ExposureCalibration calibration = ExposureCalibration.of(used);
            Dataset<Row> frame = cached.keep(used.withColumn("exposure_cal_10", calibration.calibrated().divide(10.0))
                    .withColumn("documented_share_10", col("documented_share").multiply(10.0)));
            Map<String, Boolean> high = new TreeMap<>();
            segments.stream().skip(1).forEach(s -> high.put(s.segment(), s.highChurn()));

            Row spread = frame.agg(min(col("exposure")), max(col("exposure")), min(col("documented_share")),
                    max(col("documented_share"))).first();
            boolean scoreVaries = !spread.isNullAt(0) && spread.getDouble(0) < spread.getDouble(1);
            boolean documentedVaries = !spread.isNullAt(2) && spread.getDouble(2) < spread.getDouble(3);
            List<Correlation> correlations = RetentionCorrelations.of(frame, high, options.horizons(),
                    built.steps().get("used"), RetentionCorrelations.DRIVER_VALUES);
            context.progress().stage(name(), "correlations", began);

            Map<String, double[]> cuts = tertiles(frame);
            Dataset<Row> banded = frame.withColumn("band", band(cuts, col("segment")))
                    .withColumn("band_all", band(cuts.get(ALL)));
            List<CurveStep> curves = new ArrayList<>();
            List<BandTest> logRank = new ArrayList<>();
            kaplanMeier(banded, cuts, high, curves, logRank);
            context.progress().stage(name(), "Kaplan-Meier and log-rank", began);

            List<CoxRow> cox = new ArrayList<>();
            if (built.steps().get("used") == 0) {
                // No QA-scored contact: no exposure to model.
                for (String exposure : List.of("exposure_10", "exposure_cal_10", "documented_share_10", RUNNING)) {
                    for (SegmentRate r : segments) {
                        cox.add(unfitted(exposure, r.segment(), r.highChurn(), r.churned(),
                                "not fitted: no contact had a QA empathy score"));
                    }
                }
                return new Result(options, steps, calibration, segments, correlations, curves, logRank, cox,
                        scoreVaries, documentedVaries, null);
            }
            for (String exposure : List.of("exposure_10", "exposure_cal_10", "documented_share_10")) {
                cox.addAll(coxBySegment(frame, exposure, segments));
            }
            context.progress().stage(name(), "Cox models", began);
            Dataset<Row> intervals = RetentionPopulation.intervals(context.input(), followed)
                    .withColumn(RUNNING, calibration.calibrated().divide(10.0))
                    .select(col("segment"), col("start"), col("stop"), col("churned"), col("contacts"), col(RUNNING));
            // Persisted until the files are written: the model frame reads the intervals again.
            Dataset<Row> running = context.kept().keep(intervals);
            cox.addAll(coxBySegment(running, RUNNING, segments));
            context.progress().stage(name(), "Cox models with the running exposure", began);
            // The overall model's rows, read again when written (no id: the model has no clusters).
            Dataset<Row> modelFrame = options.modelFrame() && cox.stream().anyMatch(c -> c.exposure().equals(RUNNING)
                    && c.segment().equals(ALL) && c.note() == null && !Double.isNaN(c.term().estimate()))
                    ? intervals.filter(col(RUNNING).isNotNull()) : null;
            return new Result(options, steps, calibration, segments, correlations, curves, logRank, cox, scoreVaries,
                    documentedVaries, modelFrame);
        }
    }

    /** Churn per customer-year by segment and overall (first row); high-churn by the margin. */
    private List<SegmentRate> segmentRates(Dataset<Row> followed) {
        List<Row> rows = followed.groupBy(col("segment"))
                .agg(count(lit(1)), sum(col("churned")), sum(col("days"))).orderBy(col("segment")).collectAsList();
        long customers = 0;
        long churned = 0;
        double days = 0;
        for (Row r : rows) {
            customers += r.getLong(1);
            churned += r.getLong(2);
            days += r.getDouble(3);
        }
        Proportions.Interval overall = Rates.poisson(churned, days / DAYS_PER_YEAR, 0.95);
        List<SegmentRate> out = new ArrayList<>();
        out.add(new SegmentRate(ALL, customers, churned, days / DAYS_PER_YEAR, overall, false));
        for (Row r : rows) {
            Proportions.Interval rate = Rates.poisson(r.getLong(2), r.getDouble(3) / DAYS_PER_YEAR, 0.95);
            out.add(new SegmentRate(r.getString(0), r.getLong(1), r.getLong(2), r.getDouble(3) / DAYS_PER_YEAR, rate,
                    rate.estimate() > overall.estimate() * (1 + options.highChurnMargin())));
        }
        return out;
    }

    /** Exposure tertile cut points (1/3 and 2/3 quantiles) per segment and for {@code all}. */
    private static Map<String, double[]> tertiles(Dataset<Row> frame) {
        Map<String, double[]> cuts = new TreeMap<>();
        Column q = expr("percentile(exposure, array(cast(1 as double) / 3, cast(2 as double) / 3))");
        for (Row r : frame.groupBy(col("segment")).agg(q).collectAsList()) {
            List<Double> v = r.getList(1);
            cuts.put(r.getString(0), new double[] {v.get(0), v.get(1)});
        }
        Row overall = frame.agg(q).first();
        if (overall.isNullAt(0)) {
            // No scored customer: no cut points (and no rows to band).
            cuts.put(ALL, new double[] {Double.NaN, Double.NaN});
        } else {
            List<Double> all = overall.getList(0);
            cuts.put(ALL, new double[] {all.get(0), all.get(1)});
        }
        return cuts;
    }

    /** low: exposure at or below the first tertile of its segment; middle: up to the second; high: above. */
    private static Column band(Map<String, double[]> cuts, Column segment) {
        Column band = lit(null).cast("string");
        for (Map.Entry<String, double[]> e : cuts.entrySet()) {
            band = when(segment.equalTo(e.getKey()), band(e.getValue())).otherwise(band);
        }
        return band;
    }

    /** The band by one pair of cut points. */
    private static Column band(double[] cuts) {
        return when(col("exposure").leq(cuts[0]), BANDS.get(0)).when(col("exposure").leq(cuts[1]), BANDS.get(1))
                .otherwise(BANDS.get(2));
    }

    private static void kaplanMeier(Dataset<Row> banded, Map<String, double[]> cuts, Map<String, Boolean> high,
                                    List<CurveStep> curves, List<BandTest> logRank) {
        Map<String, Map<String, TreeMap<Double, KaplanMeier.TimeCount>>> counts = new TreeMap<>();
        Dataset<Row> bySegment = banded.select(col("segment").as("g"), col("band"), col("days"), col("churned"));
        Dataset<Row> overall = banded.select(lit(ALL).as("g"), col("band_all").as("band"), col("days"),
                col("churned"));
        for (Row r : bySegment.unionByName(overall).groupBy(col("g"), col("band"), col("days"))
                .agg(sum(col("churned")), count(lit(1))).collectAsList()) {
            long d = r.getLong(3);
            counts.computeIfAbsent(r.getString(0), k -> new TreeMap<>())
                    .computeIfAbsent(r.getString(1), k -> new TreeMap<>())
                    .put(r.getDouble(2), new KaplanMeier.TimeCount(d, r.getLong(4) - d));
        }
        List<String> order = new ArrayList<>(List.of(ALL));
        counts.keySet().stream().filter(g -> !g.equals(ALL)).forEach(order::add);
        for (String g : order) {
            Map<String, TreeMap<Double, KaplanMeier.TimeCount>> bands = counts.get(g);
            if (bands == null) {
                continue;
            }
            for (SurvivalRow s : KaplanMeier.fromCounts(bands, 0.95)) {
                curves.add(new CurveStep(g, s));
            }
            long n = 0;
            long events = 0;
            for (TreeMap<Double, KaplanMeier.TimeCount> t : bands.values()) {
                for (KaplanMeier.TimeCount c : t.values()) {
                    n += c.events() + c.censored();
                    events += c.events();
                }
            }
            LogRank.Result test = null;
            String note = null;
            if (bands.size() < 2) {
                note = "not tested: the customers fall in one exposure band";
            } else if (events == 0) {
                note = "not tested: no churned customers";
            } else {
                try {
                    test = LogRank.test(bands);
                } catch (SingularMatrixException e) {
                    note = "not tested: the variance of the band counts is singular (the churns cannot tell the "
                            + "bands apart)";
                }
            }
            double[] cut = cuts.get(g);
            logRank.add(new BandTest(g, high.getOrDefault(g, false), cut[0], cut[1], test, n, events, note));
        }
    }

    /** The high_churn cell of a segment's row: yes or no, empty for {@code all}. */
    static Object highChurnCell(String segment, boolean highChurn) {
        return segment.equals(ALL) ? null : highChurn ? "yes" : "no";
    }

    /**
     * One exposure's Cox model overall and in each segment, in the order of {@code segments}
     * ({@code all} first); a counting-process model's rows count customers, not intervals. The
     * models share their rows: fitted from one collect when those fit on the driver, each as
     * {@link #cox} fits it alone ({@link CoxGroups}).
     */
    private static List<CoxRow> coxBySegment(Dataset<Row> data, String exposure, List<SegmentRate> segments) {
        SegmentRate all = segments.get(0);
        // Every segment's churned customers are among all's: without those no model is fitted.
        List<String> fitted = all.churned() < MIN_EVENTS ? List.of() : segments.stream().skip(1)
                .filter(r -> r.churned() >= MIN_EVENTS).map(SegmentRate::segment).toList();
        CoxGroups.Result fits = all.churned() < MIN_EVENTS ? null : SparkSurvival.coxByGroup(data, "segment", fitted,
                formula(exposure, true), formula(exposure, false), Ties.EFRON, 0.95);
        List<CoxRow> rows = new ArrayList<>();
        for (SegmentRate r : segments) {
            CoxRow row;
            if (r.churned() < MIN_EVENTS) {
                row = unfitted(exposure, r.segment(), r.highChurn(), r.churned(), "not fitted: no churned customers");
            } else {
                CoxGroups.Outcome fit = r.segment().equals(ALL) ? fits.overall() : fits.groups().get(r.segment());
                row = coxRow(exposure, r.segment(), r.highChurn(), r.churned(), fit::get);
            }
            rows.add(exposure.equals(RUNNING) ? row.withCustomers(r.customers()) : row);
        }
        return rows;
    }

    /** Cox (Efron ties) of churn on one exposure per 10 points and log(contacts), plus C(segment) overall. */
    static CoxRow cox(Dataset<Row> data, String exposure, String segment, boolean highChurn, long churned) {
        if (churned < MIN_EVENTS) {
            return unfitted(exposure, segment, highChurn, churned, "not fitted: no churned customers");
        }
        return coxRow(exposure, segment, highChurn, churned, () -> SparkSurvival.cox(ModelData.bind(data,
                formula(exposure, segment.equals(ALL)), null), Ties.EFRON, 0.95));
    }

    /** The model of one exposure in a segment, or overall with C(segment). */
    private static Formula formula(String exposure, boolean overall) {
        String survival = exposure.equals(RUNNING) ? "Surv(start, stop, churned)" : "Surv(days, churned)";
        return Formula.parse(survival + " ~ " + exposure + " + log(contacts)" + (overall ? " + C(segment)" : ""));
    }

    /** A fitted model's exposure term, or why it was not fitted (its rows cannot fit it, or the exposure is aliased). */
    private static CoxRow coxRow(String exposure, String segment, boolean highChurn, long churned,
                                 java.util.function.Supplier<SparkSurvival.CoxResult> fitted) {
        try {
            CoxFit fit = fitted.get().fit();
            if (fit.aliased().contains(exposure)) {
                return unfitted(exposure, segment, highChurn, churned, "not fitted: the information matrix is singular "
                        + "(too little variation in the exposure or the contact count)");
            }
            String note = fit.notes().isEmpty() ? null
                    : fit.noteText();
            return new CoxRow(exposure, segment, highChurn, fit.estimate(exposure), fit.n(), fit.events(), note);
        } catch (UnfittableException e) {
            return unfitted(exposure, segment, highChurn, churned, "not fitted: " + e.getMessage());
        }
    }

    private static CoxRow unfitted(String exposure, String segment, boolean highChurn, long churned, String note) {
        return new CoxRow(exposure, segment, highChurn, Estimate.notEstimated(exposure), 0, churned, note);
    }

}
