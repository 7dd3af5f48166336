package dev.empathy.jobs.fatigue;

import static org.apache.spark.sql.functions.col;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkAbsorb;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.UnfittableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The within-agent models: for each outcome, least squares of the contact's outcome on the
 * agent's previous shift (its queue, its emotional load, the hours since it ended) with agent
 * fixed effects absorbed ({@link SparkAbsorb}) and standard errors clustered by agent (CR1,
 * t with G - 1 df; the agent effects are nested in the clusters and do not count in K, as
 * fixest). A model that cannot be fitted, or whose estimates mean nothing, gives rows with a note.
 */
final class FatigueModels {

    /** The outcomes, in the order of {@code effects.csv}. */
    static final List<String> OUTCOMES = List.of("empathy_score", "empathy_documented", "csat");
    /** The terms of every model, in order. */
    static final List<String> TERMS = List.of("after_high_empathy_shift", "previous_shift_load",
            "hours_since_previous_shift");

    private FatigueModels() {
    }

    /**
     * Every outcome's rows, {@link #TERMS} each.
     *
     * @param rows one row per contact after a previous shift: {@code agent_id}, the terms and the
     *             outcomes (null where the contact has none: not scored, no survey answer)
     */
    static List<Fatigue.Effect> fit(Dataset<Row> rows) {
        List<Fatigue.Effect> effects = new ArrayList<>();
        for (String outcome : OUTCOMES) {
            effects.addAll(fit(rows.filter(col(outcome).isNotNull()), outcome));
        }
        return effects;
    }

    private static List<Fatigue.Effect> fit(Dataset<Row> rows, String outcome) {
        Formula formula = Formula.parse(outcome + " ~ " + String.join(" + ", TERMS) + " - 1");
        OlsFit fit;
        try {
            fit = SparkAbsorb.fit(ModelData.bind(rows, formula, "agent_id", List.of("agent_id")),
                    List.of("agent_id"), OlsOptions.defaults().with(CovarianceType.CLUSTER)).fit();
        } catch (UnfittableException e) {
            return noted(outcome, "not fitted: " + e.getMessage());
        }
        List<Fatigue.Effect> out = new ArrayList<>();
        String modelNote = fit.usable() ? null : "not usable: " + fit.noteText();
        for (String term : TERMS) {
            Estimate e = fit.estimate(term);
            String note = modelNote;
            if (note == null && !Double.isFinite(e.estimate())) {
                note = String.format(Locale.ROOT, "not estimated: %s does not vary within any agent's contacts",
                        term);
            } else if (note == null && !Double.isFinite(e.stdError())) {
                note = "no interval: " + fit.noteText();
            }
            out.add(new Fatigue.Effect(outcome, note == null ? e : noInterval(e, note), fit.statistics().n(),
                    fit.statistics().clusters(), note));
        }
        return out;
    }

    /** An estimate whose interval cannot be used keeps its value only when the model is usable. */
    private static Estimate noInterval(Estimate e, String note) {
        return note.startsWith("not ") ? Estimate.notEstimated(e.term()) : e;
    }

    private static List<Fatigue.Effect> noted(String outcome, String note) {
        List<Fatigue.Effect> out = new ArrayList<>();
        for (String term : TERMS) {
            out.add(new Fatigue.Effect(outcome, Estimate.notEstimated(term), 0, 0, note));
        }
        return out;
    }
}
