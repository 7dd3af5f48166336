package dev.empathy.jobs.csat;

import dev.empathy.lib.ml.BoostedShap;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.Shapley;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.fit.FitFiles;
import dev.empathy.reports.io.ReportFolder;
import dev.empathy.jobs.run.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of {@code csat-effect} (see docs/jobs/csat-effect.md): {@code coefficients.csv} and
 * {@code fit.csv} (every model, contract section 3), {@code population.csv},
 * {@code decomposition.csv}, {@code effects.csv}, {@code by_group.csv}, {@code shap.csv} (the
 * model-free check, when it ran) and {@code summary.md}.
 */
final class CsatFiles {

    private CsatFiles() {
    }

    static void write(ReportFolder folder, CsatEffect.Outcome o) {
        o.steps().write(folder);
        if (!o.fitted()) {
            folder.text("summary.md", notFittedSummary(o));
            return;
        }
        FitFiles.writeModels(folder, o.models().named());

        List<List<Object>> parts = new ArrayList<>();
        for (Shapley.Part p : o.decomposition()) {
            parts.add(List.of(p.group(), p.r2Part(), p.shareOfExplained()));
        }
        CsvFile.write(folder, "decomposition.csv", List.of("group", "r2_part", "share_of_explained"), parts);

        List<List<Object>> effects = new ArrayList<>();
        for (Effects.Effect e : o.effects()) {
            effects.add(List.of(e.effect(), e.outcome(), e.estimate(), e.ciLow(), e.ciHigh(), e.unit(), e.n(),
                    e.method()));
        }
        CsvFile.write(folder, "effects.csv", List.of("effect", "outcome", "estimate", "ci_low", "ci_high",
                "unit", "n", "method"), effects);

        List<List<Object>> groups = new ArrayList<>();
        for (ByGroup.Row r : o.byGroup()) {
            groups.add(java.util.Arrays.asList(r.grouping(), r.group(), r.effect(), r.estimate(), r.ciLow(),
                    r.ciHigh(), r.n(), r.clusters(), r.note()));
        }
        CsvFile.write(folder, "by_group.csv", List.of("grouping", "group", "effect", "estimate", "ci_low",
                "ci_high", "n", "clusters", "note"), groups);

        if (o.boosted().done()) {
            List<List<Object>> shap = new ArrayList<>();
            for (BoostedShap.Part p : o.boosted().result().parts()) {
                shap.add(List.of(p.group(), p.meanAbsShap(), p.share()));
            }
            CsvFile.write(folder, "shap.csv", List.of("feature_group", "mean_abs_shap", "share"), shap);
        }

        folder.text("summary.md", summary(o));
    }

    /** Five to eight plain sentences; every number with its interval and n. */
    static String summary(CsatEffect.Outcome o) {
        OlsFit main = o.models().main();
        OlsFit interaction = o.models().interaction();
        OlsFit within = o.models().agentFe();
        Steps steps = o.steps();
        Effects.Effect empathyCsat = find(o.effects(), "empathy_plus_10", "csat");
        Effects.Effect speedCsat = find(o.effects(), "resolution_1h_faster", "csat");
        Effects.Effect exchange = find(o.effects(), "exchange_rate_hours", "csat");
        Effects.Effect empathyTop = find(o.effects(), "empathy_plus_10", "top_box_rate");
        Shapley.Part empathyShare = o.decomposition().get(0);
        Shapley.Part speedShare = o.decomposition().get(1);
        Estimate cross = interaction.estimate(CsatEffect.EMPATHY + ":" + CsatEffect.HOURS);
        Estimate withinEmpathy = within.estimate(CsatEffect.EMPATHY);
        StringBuilder s = new StringBuilder("# CSAT: empathy and resolution speed\n\n");
        s.append(String.format(Locale.ROOT, "We modelled %,d answered, QA-scored and resolved contacts out of %,d "
                        + "(%,d had no survey answer, %,d no empathy score, %,d were not resolved).",
                steps.get("modelled"), steps.get("interactions"), steps.get("excluded_no_answer"),
                steps.get("excluded_not_scored"), steps.get("excluded_unresolved")));
        s.append(String.format(Locale.ROOT, " Holding %s fixed, contacts scored 10 points higher on empathy got "
                        + "CSAT answers %s points higher on the 1-5 scale (95%% interval %s to %s, n = %,d).",
                held(o.options().controls()), num(empathyCsat.estimate()), num(empathyCsat.ciLow()), num(empathyCsat.ciHigh()), empathyCsat.n()));
        s.append(String.format(Locale.ROOT, " Each hour faster to resolve was worth %s points (%s to %s).",
                num(speedCsat.estimate()), num(speedCsat.ciLow()), num(speedCsat.ciHigh())));
        s.append(String.format(Locale.ROOT, " So +10 empathy points did as much for CSAT as resolving %s hours "
                        + "faster (%s to %s).", num1(exchange.estimate()), num1(exchange.ciLow()),
                num1(exchange.ciHigh())));
        s.append(String.format(Locale.ROOT, " In the share of 4 and 5 answers (top box), +10 empathy points meant "
                        + "%s percentage points more (%s to %s).", num1(100 * empathyTop.estimate()),
                num1(100 * empathyTop.ciLow()), num1(100 * empathyTop.ciHigh())));
        s.append(String.format(Locale.ROOT, " Of the differences in CSAT that the model explains (R-squared %s), "
                        + "empathy accounts for %s%% and speed for %s%% (a Shapley split, which shares what the "
                        + "two explain together fairly between them).", num(main.statistics().rSquared()),
                num1(100 * empathyShare.shareOfExplained()), num1(100 * speedShare.shareOfExplained())));
        s.append(String.format(Locale.ROOT, " Empathy mattered %s per 10 points for each extra hour the fix took "
                        + "(%s to %s), and comparing contacts of the same agent only, the empathy effect was %s "
                        + "(%s to %s).", num4(cross.estimate()), num4(cross.ciLow()), num4(cross.ciHigh()),
                num(withinEmpathy.estimate()), num(withinEmpathy.ciLow()), num(withinEmpathy.ciHigh())));
        String unit = clusterUnit(o.options().cluster());
        s.append(String.format(Locale.ROOT, " Intervals allow for contacts of the same %s being alike (standard "
                + "errors clustered by %s).\n", unit, unit));
        s.append('\n').append(ordinalWords(o)).append('\n');
        s.append('\n').append(boostedWords(o)).append('\n');
        return s.toString();
    }

    /**
     * The ordinal model in words: how +10 empathy points move the chance of the top and bottom
     * answers, with intervals; or the model's notes when its estimates are not usable.
     */
    static String ordinalWords(CsatEffect.Outcome o) {
        if (!o.models().ordinal().usable()) {
            return "Answer by answer: the ordinal model's estimates are not usable ("
                    + String.join("; ", o.models().ordinal().notes().stream().map(dev.empathy.lib.regression.FitNote::message).toList()) + ").";
        }
        List<Effects.Effect> plus = o.effects().stream().filter(e -> e.effect().equals("empathy_plus_10")
                && e.outcome().startsWith("p_csat_")).toList();
        if (plus.size() < 2) {
            return "Answer by answer: the CSAT answers took fewer than two values, so there is no ordinal model.";
        }
        Effects.Effect top = plus.get(plus.size() - 1);
        Effects.Effect bottom = plus.get(0);
        return String.format(Locale.ROOT, "Answer by answer (an ordinal model, which treats the answers as ordered "
                        + "categories rather than as numbers): +10 empathy points made the top answer %s %s "
                        + "percentage points more likely (%s to %s) and the lowest answer %s %s points %s likely "
                        + "(%s to %s), n = %,d.", top.outcome().substring("p_csat_".length()),
                num1(100 * top.estimate()), num1(100 * top.ciLow()), num1(100 * top.ciHigh()),
                bottom.outcome().substring("p_csat_".length()), num1(100 * Math.abs(bottom.estimate())),
                bottom.estimate() < 0 ? "less" : "more", num1(100 * bottom.ciLow()), num1(100 * bottom.ciHigh()),
                top.n());
    }

    /**
     * The model-free check in words: empathy's and speed's shares of the trees' SHAP importance next
     * to their shares of the linear model's R-squared, or why the check is missing.
     */
    static String boostedWords(CsatEffect.Outcome o) {
        Boosted.Check check = o.boosted();
        if (check.result() == null) {
            return "Model-free check: " + check.note() + ".";
        }
        BoostedShap.Result r = check.result();
        if (!check.done()) {
            return String.format(Locale.ROOT, "Model-free check: gradient-boosted trees (%d trees) fitted on %,d of the "
                    + "modelled contacts predicted the answers of %,d held-out contacts no better than their mean "
                    + "(R-squared %s), so what they used to predict says nothing and is not reported.",
                    r.settings().trees(), r.trainRows(), r.holdoutRows(), num(r.holdoutR2()));
        }
        double empathy = share(r, "empathy");
        double speed = share(r, "speed");
        return String.format(Locale.ROOT, "Model-free check: gradient-boosted trees (%d trees) fitted on %,d of the "
                        + "modelled contacts, with no assumption of straight lines or additive effects, predicted "
                        + "CSAT on %,d held-out contacts with R-squared %s. Of what the trees used to predict "
                        + "(mean absolute SHAP values on %,d held-out contacts), empathy accounts for %s%% and "
                        + "speed for %s%%, against %s%% and %s%% of the linear model's explained variance. The "
                        + "two measures are not the same quantity (SHAP shares also count nonlinear and "
                        + "interaction effects, and have no interval here); a similar order of empathy and speed "
                        + "says the linear split is not an artefact of its form.", r.settings().trees(),
                r.trainRows(), r.holdoutRows(), num(r.holdoutR2()), r.shapRows(), num1(100 * empathy),
                num1(100 * speed), num1(100 * o.decomposition().get(0).shareOfExplained()),
                num1(100 * o.decomposition().get(1).shareOfExplained()));
    }

    private static double share(BoostedShap.Result r, String group) {
        return r.parts().stream().filter(p -> p.group().equals(group)).mapToDouble(BoostedShap.Part::share)
                .findFirst().orElse(Double.NaN);
    }

    /** The population and, in words, why no model was fitted. */
    static String notFittedSummary(CsatEffect.Outcome o) {
        Steps steps = o.steps();
        StringBuilder s = new StringBuilder("# CSAT: empathy and resolution speed\n\n");
        s.append(String.format(Locale.ROOT, "Of %,d contacts, %,d were answered, QA-scored and resolved "
                        + "(%,d had no survey answer, %,d no empathy score, %,d were not resolved).",
                steps.get("interactions"), steps.get("modelled"), steps.get("excluded_no_answer"),
                steps.get("excluded_not_scored"), steps.get("excluded_unresolved")));
        s.append(" The models were not fitted: ").append(String.join("; ", o.notFitted())).append('.');
        s.append(" The other files of this job (models, effects, charts) are left out for that reason.\n");
        return s.toString();
    }

    /** What the main model holds fixed, in words: resolution time and the controls. */
    static String held(List<String> controls) {
        List<String> words = new ArrayList<>(List.of("resolution time"));
        for (String c : controls) {
            words.add(CONTROL_WORDS.getOrDefault(c, c.replace('_', ' ')));
        }
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }

    private static final Map<String, String> CONTROL_WORDS = Map.of("contact_reason", "contact reason",
            "team_type", "team type", "hours_band", "resolution-time band");

    /** The cluster column in words: {@code agent_id} is "agent". */
    static String clusterUnit(String cluster) {
        return cluster.replaceAll("_id$", "").replace('_', ' ');
    }

    private static Effects.Effect find(List<Effects.Effect> effects, String effect, String outcome) {
        return effects.stream().filter(e -> e.effect().equals(effect) && e.outcome().equals(outcome)).findFirst()
                .orElseThrow();
    }

    /** Two decimals, or three significant digits for small figures (a CSAT change per hour is small). */
    private static String num(double v) {
        if (v != 0 && Math.abs(v) < 0.1) {
            return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num4(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }
}
