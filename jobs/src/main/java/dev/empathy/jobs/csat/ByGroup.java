package dev.empathy.jobs.csat;

import static org.apache.spark.sql.functions.col;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkOls;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.UnfittableException;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OlsOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code main} model fitted within each channel and within each segment (without that
 * control): the empathy and speed effects by group, with intervals and n. A group with fewer
 * than {@link #MIN_ROWS} contacts or too few clusters for cluster errors is listed without
 * estimates.
 */
final class ByGroup {

    static final long MIN_ROWS = 30;

    /** One effect in one group. */
    record Row(String grouping, String group, String effect, double estimate, double ciLow, double ciHigh, long n,
               long clusters, String note) {
    }

    private ByGroup() {
    }

    static List<Row> compute(Dataset<org.apache.spark.sql.Row> rows, CsatEffect.Options options) {
        List<Row> out = new ArrayList<>();
        for (String grouping : List.of("channel", "segment")) {
            List<String> others = new ArrayList<>(options.controls());
            others.remove(grouping);
            String formula = "csat ~ " + CsatEffect.EMPATHY + " + " + CsatEffect.HOURS + CsatEffect.controlTerms(others);
            List<String> groups = rows.select(col(grouping)).distinct().orderBy(col(grouping)).as(
                    org.apache.spark.sql.Encoders.STRING()).collectAsList();
            for (String group : groups) {
                Dataset<org.apache.spark.sql.Row> subset = rows.filter(col(grouping).equalTo(group));
                OlsFit fit;
                try {
                    fit = SparkOls.fit(ModelData.bind(subset, Formula.parse(formula), options.cluster()),
                            OlsOptions.defaults().with(CovarianceType.CLUSTER)).fit();
                } catch (UnfittableException e) {
                    out.add(new Row(grouping, group, "empathy_plus_10", Double.NaN, Double.NaN, Double.NaN, 0, 0,
                            "not estimated: " + e.getMessage()));
                    continue;
                }
                long n = fit.statistics().n();
                if (n < MIN_ROWS || fit.statistics().clusters() < 2 || !fit.terms().contains(CsatEffect.EMPATHY)
                        || !fit.terms().contains(CsatEffect.HOURS)) {
                    out.add(new Row(grouping, group, "empathy_plus_10", Double.NaN, Double.NaN, Double.NaN, n,
                            fit.statistics().clusters(), "not estimated: too few contacts or agents"));
                    continue;
                }
                if (!fit.usable() || Double.isNaN(fit.estimate(CsatEffect.EMPATHY).stdError())
                        || Double.isNaN(fit.estimate(CsatEffect.HOURS).stdError())) {
                    out.add(new Row(grouping, group, "empathy_plus_10", Double.NaN, Double.NaN, Double.NaN, n,
                            fit.statistics().clusters(), "not estimated: " + notes(fit)));
                    continue;
                }
                Estimate e = fit.estimate(CsatEffect.EMPATHY);
                Estimate h = fit.estimate(CsatEffect.HOURS);
                out.add(new Row(grouping, group, "empathy_plus_10", e.estimate(), e.ciLow(), e.ciHigh(), n,
                        fit.statistics().clusters(), ""));
                out.add(new Row(grouping, group, "resolution_1h_faster", -h.estimate(), -h.ciHigh(), -h.ciLow(), n,
                        fit.statistics().clusters(), ""));
            }
        }
        return out;
    }

    /** Why a group's fit gave no usable effects, from its notes. */
    private static String notes(OlsFit fit) {
        return fit.notes().isEmpty() ? "the empathy or speed term could not be estimated in this group"
                : fit.noteText();
    }
}
