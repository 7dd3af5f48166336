package dev.empathy.jobs.csat;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkAbsorb;
import dev.empathy.jobs.fit.SparkLogit;
import dev.empathy.jobs.fit.SparkOls;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.Shapley;
import dev.empathy.reports.chart.Charts;
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
public final class CsatEffect implements Job {

    /**
     * What a data scientist may change.
     *
     * @param controls  categorical control columns of the population (each enters as {@code C(col)})
     * @param cluster   the column the standard errors cluster by
     * @param bandEdges resolution-time band edges in hours, ascending
     */
    public record Options(List<String> controls, String cluster, double[] bandEdges) {

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
        }

        public static Options defaults() {
            return new Options(List.of("channel", "region", "contact_reason", "segment", "month", "team_type"),
                    "agent_id", new double[] {1, 4, 24, 72});
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

    /** Everything the job computed, for its files and for tests. */
    public record Outcome(Map<String, Long> steps, Map<String, Object> fits, List<Shapley.Part> decomposition,
                          List<Effects.Effect> effects, List<ByGroup.Row> byGroup, List<Charts.Band> predicted) {
    }

    @Override
    public void run(JobContext context) throws java.io.IOException {
        Outcome outcome = compute(context);
        context.details().put("population", outcome.steps());
        CsatFiles.write(context.output(), outcome);
        CsatCharts.write(context.output(), outcome);
    }

    public Outcome compute(JobContext context) {
        long began = System.nanoTime();
        CsatPopulation.Result population = CsatPopulation.build(context.input(), options.bandEdges());
        Dataset<Row> rows = population.rows();
        try {
            Map<String, Long> steps = population.steps();
            context.progress().stage(name(), String.format(Locale.ROOT,
                    "%,d interactions; %,d modelled (answered, scored, resolved)", steps.get("interactions"),
                    steps.get("modelled")), began);
            if (steps.get("modelled") == 0) {
                throw new IllegalStateException("csat-effect: no answered, scored and resolved contact to model");
            }
            String controls = controlTerms(options.controls());
            OlsOptions cluster = OlsOptions.defaults().with(CovarianceType.CLUSTER);
            Map<String, Object> fits = new LinkedHashMap<>();
            SparkOls.Result main = ols(rows, "csat ~ " + EMPATHY + " + " + HOURS + controls, cluster);
            fits.put("main", main.fit());
            SparkOls.Result interaction = ols(rows, "csat ~ " + EMPATHY + " + " + HOURS + " + " + EMPATHY + ":" + HOURS
                    + controls, cluster);
            fits.put("interaction", interaction.fit());
            Formula within = Formula.parse("csat ~ " + EMPATHY + " + " + HOURS + controls);
            within = new Formula(within.response(), null, false, within.terms(), false);
            fits.put("agent_fe", SparkAbsorb.fit(ModelData.bind(rows, within, options.cluster(),
                    List.of("agent_id")), List.of("agent_id"), cluster).fit());
            fits.put("speed_shape", ols(rows, "csat ~ " + EMPATHY + " + C(hours_band)" + controls, cluster).fit());
            fits.put("speed_log", ols(rows, "csat ~ " + EMPATHY + " + log1p_hours" + controls, cluster).fit());
            SparkLogit.Result topBox = SparkLogit.fit(ModelData.bind(rows,
                    Formula.parse("top_box ~ " + EMPATHY + " + " + HOURS + controls), options.cluster()), cluster);
            fits.put("top_box", topBox.fit());
            context.progress().stage(name(), fits.size() + " models fitted", began);

            List<Shapley.Part> decomposition = Effects.decomposition(main);
            List<Effects.Effect> effects = Effects.compute(main, topBox, rows, options.cluster());
            List<ByGroup.Row> byGroup = ByGroup.compute(rows, options);
            context.progress().stage(name(), "effects, decomposition and groups", began);
            return new Outcome(steps, fits, decomposition, effects, byGroup, predicted(interaction));
        } finally {
            rows.unpersist();
        }
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
                double variance = 0;
                for (int a = 0; a < k; a++) {
                    fitted += d[a] * estimates.get(a).estimate();
                    for (int b = 0; b < k; b++) {
                        variance += d[a] * v[a][b] * d[b];
                    }
                }
                x[i] = score;
                y[i] = fitted;
                low[i] = fitted - crit * Math.sqrt(variance);
                high[i] = fitted + crit * Math.sqrt(variance);
            }
            bands.add(new Charts.Band(String.format(Locale.ROOT, "resolved in %.0f h", hours), x, y, low, high));
        }
        return bands;
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
