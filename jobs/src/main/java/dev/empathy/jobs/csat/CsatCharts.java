package dev.empathy.jobs.csat;

import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.Shapley;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The charts of {@code csat-effect}: effects by model, the Shapley shares, predicted CSAT
 * against empathy at three resolution times, and the empathy effect by channel.
 */
final class CsatCharts {

    private CsatCharts() {
    }

    static void write(ReportFolder folder, CsatEffect.Outcome o) {
        if (!o.fitted()) {
            return;
        }
        long n = o.steps().get("modelled");
        String unit = CsatFiles.clusterUnit(o.options().cluster());
        String clustered = String.format(Locale.ROOT, "95%% intervals, standard errors clustered by %s; n = %,d "
                + "answered, scored and resolved contacts", unit, n);
        java.util.Map<String, OlsFit> fits = java.util.Map.of("main", o.models().main(), "agent_fe",
                o.models().agentFe(), "speed_log", o.models().speedLog());
        List<Charts.Interval> items = new ArrayList<>();
        for (String model : List.of("main", "agent_fe", "speed_log")) {
            Estimate e = fits.get(model).estimate(CsatEffect.EMPATHY);
            items.add(new Charts.Interval(model + ": +10 empathy points", e.estimate(), e.ciLow(), e.ciHigh()));
        }
        for (String model : List.of("main", "agent_fe")) {
            Estimate h = fits.get(model).estimate(CsatEffect.HOURS);
            items.add(new Charts.Interval(model + ": resolved 1 hour faster", -h.estimate(), -h.ciHigh(), -h.ciLow()));
        }
        Charts.intervals(folder, "coefficients.png", "Effect on CSAT by model", clustered,
                "change in expected CSAT (points on the 1-5 scale)", items);

        OlsFit main = o.models().main();
        List<String> groups = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        for (Shapley.Part p : o.decomposition()) {
            groups.add(p.group());
            shares.add(100 * p.shareOfExplained());
        }
        Charts.bars(folder, "shapley.png", "What explains the differences in CSAT",
                String.format(Locale.ROOT, "Shapley (LMG) split of the main model's R-squared = %.3f; n = %,d contacts",
                        main.statistics().rSquared(), n),
                "group of terms", "share of the explained variance (%)", groups, shares);

        if (o.boosted().done()) {
            List<String> features = new ArrayList<>();
            List<Double> importance = new ArrayList<>();
            for (dev.empathy.lib.ml.BoostedShap.Part p : o.boosted().result().parts()) {
                features.add(p.group());
                importance.add(100 * p.share());
            }
            dev.empathy.lib.ml.BoostedShap.Result r = o.boosted().result();
            Charts.bars(folder, "shap.png", "What the boosted trees use to predict CSAT",
                    String.format(Locale.ROOT, "share of the mean absolute SHAP value; %d trees fitted on %,d contacts, "
                            + "explained on %,d held out (R-squared %.3f)", r.settings().trees(), r.trainRows(),
                            r.shapRows(), r.holdoutR2()),
                    "feature group", "share of the mean absolute SHAP value (%)", features, importance);
        }

        Charts.bands(folder, "predicted_csat.png", "Predicted CSAT by empathy score and resolution time",
                String.format(Locale.ROOT, "interaction model, other terms at their means; bands: %s", clustered),
                "QA empathy score (0-100)", "expected CSAT (1-5)", o.predicted());

        List<Charts.Interval> channels = new ArrayList<>();
        for (ByGroup.Row r : o.byGroup()) {
            if (r.grouping().equals("channel") && r.effect().equals("empathy_plus_10") && !Double.isNaN(r.estimate())) {
                channels.add(new Charts.Interval(String.format(Locale.ROOT, "%s (n = %,d)", r.group(), r.n()),
                        r.estimate(), r.ciLow(), r.ciHigh()));
            }
        }
        if (!channels.isEmpty()) {
            Charts.intervals(folder, "empathy_by_channel.png", "Effect of +10 empathy points on CSAT, by channel",
                    "main model fitted within each channel; 95% intervals, standard errors clustered by " + unit,
                    "change in expected CSAT (points on the 1-5 scale)", channels);
        }
    }
}
