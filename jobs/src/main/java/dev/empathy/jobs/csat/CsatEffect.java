package dev.empathy.jobs.csat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.frame.ModelFrame;
import dev.empathy.jobs.fit.SparkAbsorb;
import dev.empathy.jobs.fit.SparkLogit;
import dev.empathy.jobs.fit.SparkOrderedLogit;
import dev.empathy.jobs.fit.SparkOls;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import dev.empathy.jobs.run.OptionText;
import dev.empathy.jobs.run.Ordered;
import dev.empathy.jobs.run.Steps;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OrderedLogitFit;
import dev.empathy.lib.regression.LogitFit;
import dev.empathy.lib.regression.Shapley;
import dev.empathy.lib.stats.Wald;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.text.Figures;
import dev.empathy.reports.fit.FitFiles;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code csat-effect}: separates the effect of empathy on CSAT from the effect of resolution
 * speed. Fits, on answered, scored and resolved contacts ({@link CsatPopulation}):
 * <ul>
 * <li>{@code main}: csat on empathy (per 10 points) and resolution hours with the controls,
 *     cluster-robust errors by agent;</li>
 * <li>{@code interaction}: main plus empathy x resolution hours;</li>
 * <li>{@code agent_fe}: main with agent fixed effects absorbed (within-agent effects);</li>
 * <li>{@code speed_shape}: resolution time as bands; {@code speed_log}: as log(1 + hours);</li>
 * <li>{@code top_box}: logit of csat >= 4 on main's terms, cluster errors by agent.</li>
 * </ul>
 * Then the Shapley decomposition of main's R² among empathy, speed and controls, the effects in
 * plain units with intervals, the main model by channel and by segment, charts and a summary.
 */
public final class CsatEffect implements Job<CsatEffect.Outcome> {

    /** The job as the registry knows it: name, help and options. */
    public static final JobDefinition DEFINITION = new JobDefinition("csat-effect", List.of(
            "Separates the effect of empathy on CSAT from the effect of resolution speed: six models, the "
                    + "Shapley split of R-squared, effects in plain units with intervals, effects by channel and "
                    + "segment, charts and summary.md.",
            "See docs/jobs/csat-effect.md."),
            List.of(new JobOption("controls", "COLUMNS", "channel,region,contact_reason,segment,month,team_type",
                            "Categorical controls, from: " + String.join(", ", Options.CONTROLS) + "."),
                    new JobOption("cluster", "COLUMN", "agent_id", "The column standard errors cluster by."),
                    new JobOption("bands", "HOURS", "1,4,24,72",
                            "Resolution-time band edges in hours for the speed_shape model."),
                    new JobOption("boost-trees", "N", "200",
                            "Trees of the model-free check (gradient-boosted trees with SHAP importances, shap.csv); "
                                    + "0 turns the check off."),
                    new JobOption("boost-rows", "N", "50000",
                            "At most this many modelled contacts (a fixed, hash-chosen sample) for the model-free "
                                    + "check; a fifth of them is held out and explained."),
                    new JobOption("model-frame", "on|off", "on",
                            "Write main's rows (model_frame/, gzip CSV, ids as pseudonyms) for the exported "
                                    + "notebooks; off leaves them out.")),
            values -> new CsatEffect(Options.parse(values)));

    /**
     * What a data scientist may change.
     *
     * @param controls  categorical control columns of the population (each enters as {@code C(col)})
     * @param cluster   the column the standard errors cluster by
     * @param bandEdges resolution-time band edges in hours, ascending
     * @param boostTrees trees of the model-free check, 0 for none
     * @param boostRows  the most modelled contacts the model-free check reads
     * @param modelFrame whether main's rows are written as {@code model_frame/}
     */
    public record Options(List<String> controls, String cluster, double[] bandEdges, int boostTrees, int boostRows,
                          boolean modelFrame) {

        /** The population's columns that can be controls. */
        public static final List<String> CONTROLS = List.of("channel", "region", "contact_reason", "segment", "month",
                "team_type", "hours_band");

        public Options {
            controls = List.copyOf(controls);
            bandEdges = bandEdges.clone();
            for (String c : controls) {
                if (!CONTROLS.contains(c)) {
                    throw new IllegalArgumentException("--controls: unknown column '" + c + "'; choose from "
                            + String.join(", ", CONTROLS));
                }
            }
            if (!CsatPopulation.COLUMNS.contains(cluster)) {
                throw new IllegalArgumentException("--cluster: unknown column '" + cluster + "'");
            }
            for (int i = 0; i < bandEdges.length; i++) {
                if (!(bandEdges[i] > 0) || (i > 0 && bandEdges[i] <= bandEdges[i - 1])) {
                    throw new IllegalArgumentException("--bands: edges must be positive hours in increasing order, got "
                            + java.util.Arrays.toString(bandEdges));
                }
            }
            if (boostTrees < 0 || boostTrees > 5_000) {
                throw new IllegalArgumentException("--boost-trees: 0 (off) to 5000 trees, got " + boostTrees);
            }
            if (boostRows < 100 || boostRows > 2_000_000) {
                throw new IllegalArgumentException("--boost-rows: 100 to 2000000 contacts, got " + boostRows);
            }
        }

        /** From the options' text (see {@link #DEFINITION}). */
        static Options parse(Map<String, String> values) {
            return new Options(OptionText.words(values.get("controls")), values.get("cluster").strip(),
                    OptionText.numbers("bands", values.get("bands")).stream().mapToDouble(Double::doubleValue)
                            .toArray(), OptionText.integer("boost-trees", values.get("boost-trees")),
                    OptionText.integer("boost-rows", values.get("boost-rows")),
                    ModelFrame.enabled(values.get("model-frame")));
        }

        /** As the manifest records them. */
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("controls", controls);
            m.put("cluster", cluster);
            m.put("bands", java.util.Arrays.stream(bandEdges).boxed().toList());
            m.put("boost_trees", boostTrees);
            m.put("boost_rows", boostRows);
            m.put("model_frame", modelFrame);
            return m;
        }

        public static Options defaults() {
            return new Options(List.of("channel", "region", "contact_reason", "segment", "month", "team_type"),
                    "agent_id", new double[] {1, 4, 24, 72}, 200, 50_000, true);
        }
    }

    static final String EMPATHY = "empathy_10";
    static final String HOURS = "resolution_hours";

    private final Options options;

    public CsatEffect(Options options) {
        this.options = options;
    }

    public CsatEffect() {
        this(Options.defaults());
    }

    @Override
    public String name() {
        return "csat-effect";
    }

    @Override
    public Set<String> needs() {
        return Set.of("csat", "customers");
    }

    /** The six models. */
    public record Models(OlsFit main, OlsFit interaction, OlsFit agentFe, OlsFit speedShape, OlsFit speedLog,
                         LogitFit topBox, OrderedLogitFit ordinal) {

        /** The models under their names in coefficients.csv and fit.csv, in that order. */
        public List<FitFiles.Named> named() {
            return List.of(new FitFiles.Named("main", main), new FitFiles.Named("interaction", interaction),
                    new FitFiles.Named("agent_fe", agentFe), new FitFiles.Named("speed_shape", speedShape),
                    new FitFiles.Named("speed_log", speedLog), new FitFiles.Named("top_box", topBox),
                    new FitFiles.Named("ordinal", ordinal));
        }
    }

    /**
     * Everything the job computed, for its files and for tests. When the data cannot support the
     * models ({@code notFitted} not empty: no rows, an outcome or term without variation, one
     * cluster), only the population and the reasons are there; {@code models} is null.
     */
    public record Outcome(Options options, Steps steps, Models models, List<Shapley.Part> decomposition,
                          List<Effects.Effect> effects, List<ByGroup.Row> byGroup, List<Charts.Band> predicted,
                          Boosted.Check boosted, List<String> notFitted, Dataset<Row> modelFrame) {
        public Outcome {
            decomposition = List.copyOf(decomposition);
            effects = List.copyOf(effects);
            byGroup = List.copyOf(byGroup);
            predicted = List.copyOf(predicted);
            notFitted = List.copyOf(notFitted);
        }

        static Outcome notFitted(Options options, Steps steps, List<String> reasons) {
            return new Outcome(options, steps, null, List.of(), List.of(), List.of(), List.of(), null, reasons, null);
        }

        /** Whether the models were fitted. */
        public boolean fitted() {
            return notFitted.isEmpty();
        }
    }

    /** Fewer modelled contacts than this and the models are not fitted. */
    static final long MIN_ROWS = 30;

    @Override
    public Map<String, Object> options() {
        return options.describe();
    }

    @Override
    public void write(Outcome outcome, ReportFolder folder) {
        CsatFiles.write(folder, outcome);
        CsatCharts.write(folder, outcome);
        if (outcome.modelFrame() != null) {
            ModelFrame.write(outcome.modelFrame(), folder, "model_frame");
        }
    }

    @Override
    public Map<String, Object> details(Outcome outcome) {
        return outcome.fitted() ? Ordered.map("population", outcome.steps().counts(), "boosted_trees",
                outcome.boosted().details())
                : Ordered.map("population", outcome.steps().counts(), "not_fitted", outcome.notFitted());
    }

    @Override
    public Outcome compute(JobContext context) {
        long began = System.nanoTime();
        CsatPopulation.Result population = CsatPopulation.build(context.input(), options.bandEdges());
        // Persisted until the files are written: the model frame reads the rows again.
        Dataset<Row> rows = context.kept().adopt(population.rows());
        Steps steps = new Steps("rows", population.steps());
        context.progress().stage(name(), String.format(Locale.ROOT,
                "%,d interactions; %,d modelled (answered, scored, resolved)", steps.get("interactions"),
                steps.get("modelled")), began);
        List<String> reasons = unsupported(rows, steps.get("modelled"));
        if (!reasons.isEmpty()) {
            context.progress().stage(name(), "models not fitted: " + String.join("; ", reasons), began);
            return Outcome.notFitted(options, steps, reasons);
        }
        String controls = controlTerms(options.controls());
        OlsOptions cluster = OlsOptions.defaults().with(CovarianceType.CLUSTER);
        SparkOls.Result main = ols(rows, "csat ~ " + EMPATHY + " + " + HOURS + controls, cluster);
        SparkOls.Result interaction = ols(rows, "csat ~ " + EMPATHY + " + " + HOURS + " + " + EMPATHY + ":" + HOURS
                + controls, cluster);
        Formula within = Formula.parse("csat ~ " + EMPATHY + " + " + HOURS + controls);
        within = new Formula(within.response(), null, false, within.terms(), false);
        OlsFit agentFe = SparkAbsorb.fit(ModelData.bind(rows, within, options.cluster(),
                List.of("agent_id")), List.of("agent_id"), cluster).fit();
        OlsFit speedShape = ols(rows, "csat ~ " + EMPATHY + " + C(hours_band)" + controls, cluster).fit();
        OlsFit speedLog = ols(rows, "csat ~ " + EMPATHY + " + log1p_hours" + controls, cluster).fit();
        SparkLogit.Result topBox = SparkLogit.fit(ModelData.bind(rows,
                Formula.parse("top_box ~ " + EMPATHY + " + " + HOURS + controls), options.cluster()), cluster);
        SparkOrderedLogit.Result ordinal = SparkOrderedLogit.fit(ModelData.bind(rows,
                Formula.parse("csat ~ " + EMPATHY + " + " + HOURS + controls), options.cluster()), cluster);
        Models models = new Models(main.fit(), interaction.fit(), agentFe, speedShape, speedLog, topBox.fit(),
                ordinal.fit());
        context.progress().stage(name(), models.named().size() + " models fitted", began);

        List<Shapley.Part> decomposition = Effects.decomposition(main);
        List<Effects.Effect> effects = new ArrayList<>(Effects.compute(main, topBox, rows, options.cluster()));
        effects.addAll(Effects.ordinal(ordinal, rows, options.cluster()));
        List<ByGroup.Row> byGroup = ByGroup.compute(rows, options);
        context.progress().stage(name(), "effects, decomposition and groups", began);
        Boosted.Check boosted = Boosted.compute(rows, options);
        context.progress().stage(name(), "model-free check: " + boosted.describe(), began);
        return new Outcome(options, steps, models, decomposition, effects, byGroup, predicted(interaction),
                boosted, List.of(), options.modelFrame() ? modelFrame(rows) : null);
    }

    /**
     * Why the modelled rows cannot support the models, in plain words (empty when they can): too
     * few rows, an outcome or a main term without variation, fewer than two clusters. One pass.
     */
    List<String> unsupported(Dataset<Row> rows, long modelled) {
        List<String> reasons = new ArrayList<>();
        if (modelled < MIN_ROWS) {
            reasons.add(modelled == 0 ? "no contact was answered, QA-scored and resolved, so there was nothing to model"
                    : String.format(Locale.ROOT, "only %,d contacts were answered, QA-scored and resolved; the models "
                    + "need at least %d", modelled, MIN_ROWS));
            return reasons;
        }
        Row r = rows.agg(min("csat"), max("csat"), min(EMPATHY), max(EMPATHY), min(HOURS), max(HOURS),
                countDistinct(col(options.cluster()))).first();
        if (r.getDouble(0) == r.getDouble(1)) {
            reasons.add(String.format(Locale.ROOT, "every CSAT answer was %s, so there was no difference in "
                    + "satisfaction to explain", Figures.plain(r.getDouble(0))));
        }
        if (r.getDouble(2) == r.getDouble(3)) {
            reasons.add(String.format(Locale.ROOT, "every modelled contact had the same empathy score (%s), so its "
                    + "effect cannot be told apart", Figures.plain(10 * r.getDouble(2))));
        }
        if (r.getDouble(4) == r.getDouble(5)) {
            reasons.add(String.format(Locale.ROOT, "every modelled contact took the same time to resolve (%s hours), "
                    + "so the effect of speed cannot be told apart", Figures.plain(r.getDouble(4))));
        } else if (!Double.isFinite(r.getDouble(5) * r.getDouble(5) * modelled)) {
            reasons.add(String.format(Locale.ROOT, "resolution times of %s hours are too large to model",
                    Figures.plain(r.getDouble(5))));
        }
        if (r.getLong(6) < 2) {
            String unit = CsatFiles.clusterUnit(options.cluster());
            reasons.add(String.format(Locale.ROOT, "every modelled contact had the same %s, so intervals that allow "
                    + "for contacts of the same %s being alike cannot be computed", unit, unit));
        }
        return reasons;
    }

    /** Resolution times of the predicted-CSAT curves, in hours. */
    static final double[] CURVE_HOURS = {1, 8, 48};

    /**
     * Expected CSAT against the empathy score at {@link #CURVE_HOURS}, from the interaction model
     * with every other term at its mean: {@code d'b} with band {@code +- t sqrt(d'Vd)}, {@code V}
     * the cluster-robust covariance.
     */
    static List<Charts.Band> predicted(SparkOls.Result interaction) {
        OlsFit fit = interaction.fit();
        List<String> names = interaction.spec().names();
        double[] means = interaction.columnMeans();
        List<Estimate> estimates = fit.estimates();
        int k = estimates.size();
        double[][] v = fit.covariance();
        double crit = critical(fit.estimate(EMPATHY));
        String cross = EMPATHY + ":" + HOURS;
        List<Charts.Band> bands = new ArrayList<>();
        for (double hours : CURVE_HOURS) {
            int points = 41;
            double[] x = new double[points];
            double[] y = new double[points];
            double[] low = new double[points];
            double[] high = new double[points];
            for (int i = 0; i < points; i++) {
                double score = 20 + 2 * i;
                double[] d = new double[k];
                for (int j = 0; j < k; j++) {
                    String term = estimates.get(j).term();
                    d[j] = term.equals(EMPATHY) ? score / 10 : term.equals(HOURS) ? hours
                            : term.equals(cross) ? score / 10 * hours : means[names.indexOf(term)];
                }
                double fitted = 0;
                for (int a = 0; a < k; a++) {
                    fitted += d[a] * estimates.get(a).estimate();
                }
                double variance = Wald.quadratic(d, v);
                x[i] = score;
                y[i] = fitted;
                low[i] = fitted - crit * Math.sqrt(variance);
                high[i] = fitted + crit * Math.sqrt(variance);
            }
            bands.add(new Charts.Band(String.format(Locale.ROOT, "resolved in %.0f h", hours), x, y, low, high));
        }
        return bands;
    }

    /**
     * The rows of {@code main}, lazily: its formula's columns and the cluster column's pseudonym
     * as {@code cluster}, on the rows the model used (none missing).
     */
    Dataset<Row> modelFrame(Dataset<Row> rows) {
        List<String> columns = new ArrayList<>(List.of("csat", EMPATHY, HOURS));
        columns.addAll(options.controls());
        List<org.apache.spark.sql.Column> select = new ArrayList<>();
        org.apache.spark.sql.Column complete = col(options.cluster()).isNotNull();
        for (String c : columns) {
            select.add(col(c));
            complete = complete.and(col(c).isNotNull());
        }
        for (String c : List.of("csat", EMPATHY, HOURS)) {
            complete = complete.and(org.apache.spark.sql.functions.not(org.apache.spark.sql.functions.isnan(col(c))));
        }
        select.add(ModelFrame.pseudonym(col(options.cluster()), ModelFrame.Key.random()).as("cluster"));
        return rows.filter(complete).select(select.toArray(org.apache.spark.sql.Column[]::new));
    }

    SparkOls.Result ols(Dataset<Row> rows, String formula, OlsOptions cluster) {
        return SparkOls.fit(ModelData.bind(rows, Formula.parse(formula), options.cluster()), cluster);
    }

    /** {@code " + C(a) + C(b)"} for the control columns. */
    static String controlTerms(List<String> controls) {
        StringBuilder s = new StringBuilder();
        for (String c : controls) {
            s.append(" + C(").append(c).append(')');
        }
        return s.toString();
    }

    /** The critical value an estimate's interval was made with. */
    static double critical(Estimate e) {
        return (e.ciHigh() - e.estimate()) / e.stdError();
    }
}
