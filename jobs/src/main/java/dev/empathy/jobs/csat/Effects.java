package dev.empathy.jobs.csat;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkLogit;
import dev.empathy.jobs.fit.SparkOrderedLogit;
import dev.empathy.jobs.fit.SparkOls;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.LogitFit;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.Shapley;
import dev.empathy.lib.stats.Wald;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code main} model's R² decomposition and the effects in plain units: the expected change
 * in CSAT (from {@code main}) and in the top-box rate (from {@code top_box}, averaged over the
 * modelled contacts) for +10 empathy points and for resolving one hour faster, and their
 * exchange rate, each with a 95% interval by the delta method on the cluster-robust covariance.
 */
final class Effects {

    /**
     * One effect.
     *
     * @param effect  {@code empathy_plus_10}, {@code resolution_1h_faster} or {@code exchange_rate_hours}
     * @param outcome {@code csat} (points on the 1-5 scale) or {@code top_box_rate} (share of 4s and 5s)
     * @param unit    what the estimate counts
     */
    record Effect(String effect, String outcome, double estimate, double ciLow, double ciHigh, String unit, long n,
                  String method) {
    }

    private Effects() {
    }

    /** Empathy, speed and the controls as the three groups of {@code main}'s terms. */
    static List<Shapley.Part> decomposition(SparkOls.Result main) {
        List<String> names = main.spec().names();
        List<Integer> controls = new ArrayList<>();
        for (int j = 1; j < names.size(); j++) {
            if (!names.get(j).equals(CsatEffect.EMPATHY) && !names.get(j).equals(CsatEffect.HOURS)) {
                controls.add(j);
            }
        }
        Map<String, int[]> groups = new LinkedHashMap<>();
        groups.put("empathy", new int[] {names.indexOf(CsatEffect.EMPATHY)});
        groups.put("speed", new int[] {names.indexOf(CsatEffect.HOURS)});
        groups.put("controls", controls.stream().mapToInt(Integer::intValue).toArray());
        return Shapley.decompose(main.factor(), true, groups, 1e-10);
    }

    static List<Effect> compute(SparkOls.Result main, SparkLogit.Result topBox, Dataset<Row> rows, String cluster) {
        OlsFit fit = main.fit();
        long n = fit.statistics().n();
        List<Effect> out = new ArrayList<>();
        int e = fit.terms().indexOf(CsatEffect.EMPATHY);
        int h = fit.terms().indexOf(CsatEffect.HOURS);
        Estimate empathy = fit.estimates().get(e);
        Estimate hours = fit.estimates().get(h);
        double crit = CsatEffect.critical(empathy);
        out.add(new Effect("empathy_plus_10", "csat", empathy.estimate(), empathy.ciLow(), empathy.ciHigh(),
                "CSAT points", n, "main model coefficient, cluster-robust t interval"));
        out.add(new Effect("resolution_1h_faster", "csat", -hours.estimate(), -hours.ciHigh(), -hours.ciLow(),
                "CSAT points", n, "main model coefficient (sign flipped), cluster-robust t interval"));
        double[][] v = fit.covariance();
        out.add(exchange(empathy.estimate(), -hours.estimate(), v[e][e], v[h][h], -v[e][h], crit, "csat", n));

        LogitFit logit = topBox.fit();
        ModelData bound = ModelData.bind(rows, topBox.spec().formula(), cluster);
        SparkLogit.Change plus10 = SparkLogit.averageChange(bound, topBox, CsatEffect.EMPATHY, 1.0);
        SparkLogit.Change faster = SparkLogit.averageChange(bound, topBox, CsatEffect.HOURS, -1.0);
        double z = CsatEffect.critical(logit.estimate(CsatEffect.EMPATHY));
        out.add(change("empathy_plus_10", plus10, z, logit.n()));
        out.add(change("resolution_1h_faster", faster, z, logit.n()));
        double covariance = Wald.bilinear(plus10.gradient(), logit.covariance(), faster.gradient());
        out.add(exchange(plus10.estimate(), faster.estimate(), plus10.variance(), faster.variance(), covariance, z,
                "top_box_rate", logit.n()));
        return out;
    }

    /**
     * The {@code ordinal} model's effects on the probability of each answer: for +10 empathy points
     * and for resolving one hour faster, the average over the modelled contacts of the change in
     * the predicted probability of answer k (outcomes {@code p_csat_1} to {@code p_csat_5}, one per
     * level the data hold), delta-method normal intervals on the cluster-robust covariance.
     */
    static List<Effect> ordinal(SparkOrderedLogit.Result fitted, Dataset<Row> rows, String cluster) {
        ModelData bound = ModelData.bind(rows, fitted.spec().formula(), cluster);
        List<String> levels = fitted.fit().levels();
        double z = CsatEffect.critical(fitted.fit().estimate(CsatEffect.EMPATHY));
        List<Effect> out = new ArrayList<>();
        for (String[] effect : new String[][] {{"empathy_plus_10", CsatEffect.EMPATHY, "1"},
            {"resolution_1h_faster", CsatEffect.HOURS, "-1"}}) {
            List<SparkLogit.Change> changes = SparkOrderedLogit.averageChanges(bound, fitted, effect[1],
                    Double.parseDouble(effect[2]));
            for (int k = 0; k < levels.size(); k++) {
                SparkLogit.Change c = changes.get(k);
                double se = Math.sqrt(c.variance());
                out.add(new Effect(effect[0], "p_csat_" + level(levels.get(k)), c.estimate(), c.estimate() - z * se,
                        c.estimate() + z * se, "probability of answer " + level(levels.get(k)), c.n(),
                        "ordinal (proportional-odds) logit, average over contacts of the change in predicted "
                                + "probability, delta-method normal interval"));
            }
        }
        return out;
    }

    /** A level as written (the response is numeric: 5.0 is answer 5). */
    private static String level(String level) {
        return level.endsWith(".0") ? level.substring(0, level.length() - 2) : level;
    }

    private static Effect change(String effect, SparkLogit.Change c, double z, long n) {
        double se = Math.sqrt(c.variance());
        return new Effect(effect, "top_box_rate", c.estimate(), c.estimate() - z * se, c.estimate() + z * se,
                "share of answers 4 or 5", n, "top_box logit, average over contacts of the change in predicted "
                + "probability, delta-method normal interval");
    }

    /**
     * Hours of faster resolution worth as much as +10 empathy points: {@code a / b} with {@code a}
     * the empathy effect and {@code b} the effect of one hour faster; delta-method variance
     * {@code (var a - 2 (a/b) cov + (a/b)^2 var b) / b^2}.
     */
    static Effect exchange(double a, double b, double varA, double varB, double cov, double crit, String outcome,
                           long n) {
        Wald.Ratio r = Wald.ratio(a, b, varA, varB, cov);
        double ratio = r.value();
        double se = r.stdError();
        return new Effect("exchange_rate_hours", outcome, ratio, ratio - crit * se, ratio + crit * se,
                "hours faster worth +10 empathy points", n, "ratio of the two effects, delta-method interval");
    }
}
