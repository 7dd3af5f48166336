package dev.empathy.jobs.calibration;

import static dev.empathy.jobs.calibration.Calibration.ALL;
import static dev.empathy.jobs.calibration.Calibration.ALPHA;
import static dev.empathy.jobs.calibration.Calibration.COMPARED;
import static dev.empathy.jobs.calibration.Calibration.DIFFERENCE;
import static dev.empathy.jobs.calibration.Calibration.ICC2;
import static dev.empathy.jobs.calibration.Calibration.ICC3;

import dev.empathy.jobs.calibration.Calibration.Agreement;
import dev.empathy.jobs.calibration.Calibration.Bias;
import dev.empathy.jobs.calibration.Calibration.Block;
import dev.empathy.jobs.calibration.Calibration.Drift;
import dev.empathy.jobs.calibration.Calibration.Gap;
import dev.empathy.jobs.calibration.Calibration.Result;
import dev.empathy.lib.stats.IntraclassCorrelation;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The files of {@code calibration} (see docs/jobs/calibration.md): {@code population.csv},
 * {@code agreement.csv}, {@code blocks.csv} and {@code bias.csv} (operations files: they name
 * raters), {@code drift.csv}, {@code gap.csv}, the charts {@code drift.png} and
 * {@code agreement.png}, and {@code summary.md}, which names no rater.
 */
final class CalibrationReport {

    private CalibrationReport() {
    }

    static void write(Result result, ReportFolder folder) {
        result.steps().write(folder);
        List<List<Object>> agreement = new ArrayList<>();
        for (Agreement a : result.agreement()) {
            agreement.add(Arrays.asList(a.raterTeam(), a.statistic(), a.estimate(), a.ciLow(), a.ciHigh(), a.units(),
                    a.ratings(), a.raters(), a.note()));
        }
        CsvFile.write(folder, "agreement.csv", List.of("rater_team", "statistic", "estimate", "ci_low", "ci_high",
                "units", "ratings", "raters", "note"), agreement);
        List<List<Object>> blocks = new ArrayList<>();
        for (Block b : result.blocks()) {
            IntraclassCorrelation.Result r = b.icc();
            blocks.add(Arrays.asList(b.raterTeam(), b.block(), b.raterIds().size(), b.units(),
                    b.units() * b.raterIds().size(), r.icc21().value(), r.icc21().low(), r.icc21().high(),
                    r.icc31().value(), r.icc31().low(), r.icc31().high(), r.bms(), r.jms(), r.ems(),
                    b.used() ? "yes" : "no", String.join(" ", b.raterIds()), String.join(" ", b.raterTeams()),
                    r.note()));
        }
        CsvFile.write(folder, "blocks.csv", List.of("rater_team", "block", "raters", "units", "ratings", "icc2_1",
                "icc2_1_ci_low", "icc2_1_ci_high", "icc3_1", "icc3_1_ci_low", "icc3_1_ci_high", "bms", "jms", "ems",
                "used", "rater_ids", "rater_teams", "note"), blocks);
        List<List<Object>> bias = new ArrayList<>();
        for (Bias b : result.bias()) {
            bias.add(Arrays.asList(b.scope(), b.raterTeam(), b.raterId(), b.difference(), b.ciLow(), b.ciHigh(),
                    b.interactions(), b.sdDifference(), b.mark(), b.note()));
        }
        CsvFile.write(folder, "bias.csv", List.of("scope", "rater_team", "rater_id", "difference", "ci_low", "ci_high",
                "interactions", "sd_difference", "mark", "note"), bias);
        List<List<Object>> drift = new ArrayList<>();
        for (Drift d : result.drift()) {
            drift.add(Arrays.asList(d.month(), d.raterTeam(), d.statistic(), d.estimate(), d.ciLow(), d.ciHigh(),
                    d.units(), d.ratings(), d.note()));
        }
        CsvFile.write(folder, "drift.csv", List.of("month", "rater_team", "statistic", "estimate", "ci_low", "ci_high",
                "units", "ratings", "note"), drift);
        List<List<Object>> gap = new ArrayList<>();
        for (Gap g : result.gap()) {
            gap.add(Arrays.asList(g.measure(), g.inHouse(), g.outsourced(), g.gap(), g.ciLow(), g.ciHigh(),
                    g.interactions(), g.note()));
        }
        CsvFile.write(folder, "gap.csv", List.of("measure", "in_house", "outsourced", "gap", "ci_low", "ci_high",
                "interactions", "note"), gap);
        driftChart(result, folder);
        agreementChart(result, folder);
        folder.text("summary.md", summary(result));
    }

    private static void driftChart(Result result, ReportFolder folder) {
        List<String> months = result.drift().stream().map(Drift::month).filter(m -> !m.equals(ALL)).distinct()
                .toList();
        List<Charts.Series> series = new ArrayList<>();
        for (String team : COMPARED) {
            double[] y = new double[months.size()];
            double[] low = new double[months.size()];
            double[] high = new double[months.size()];
            for (int i = 0; i < months.size(); i++) {
                String month = months.get(i);
                Drift d = result.drift().stream().filter(r -> r.month().equals(month) && r.raterTeam().equals(team)
                        && r.statistic().equals(DIFFERENCE)).findFirst().orElseThrow();
                y[i] = d.estimate();
                // Without an interval (one interaction) the whisker collapses onto the point.
                low[i] = Double.isFinite(d.ciLow()) ? d.ciLow() : d.estimate();
                high[i] = Double.isFinite(d.ciHigh()) ? d.ciHigh() : d.estimate();
            }
            series.add(new Charts.Series(words(team) + " raters", y, low, high));
        }
        Charts.categoryIntervals(folder, "drift.png", "Rater teams against the calibration team, month by month",
                "Mean difference from the calibration team's rating of the same interaction, 95% intervals",
                "month of the contact", "points above the calibration team", months, series);
    }

    private static void agreementChart(Result result, ReportFolder folder) {
        List<Charts.Interval> items = new ArrayList<>();
        for (Agreement a : result.agreement()) {
            if (a.statistic().equals(ALPHA) && Double.isFinite(a.estimate())) {
                items.add(new Charts.Interval(a.raterTeam().equals(ALL) ? "all raters" : words(a.raterTeam()) + " alone",
                        a.estimate(), Double.isFinite(a.ciLow()) ? a.ciLow() : a.estimate(),
                        Double.isFinite(a.ciHigh()) ? a.ciHigh() : a.estimate()));
            }
        }
        Charts.intervals(folder, "agreement.png", "How far the QA raters agree",
                "Krippendorff's alpha (interval), all raters and each team's raters alone, 95% bootstrap intervals",
                "alpha (1 = perfect agreement, 0 = chance)", items);
    }

    static String summary(Result result) {
        StringBuilder s = new StringBuilder("# QA calibration: how far the raters agree\n\n");
        var steps = result.steps();
        long read = steps.get("ratings_read");
        long unknown = steps.get("ratings_rejected_unknown_interaction");
        long other = steps.get("ratings_rejected_other_rules");
        s.append(String.format(Locale.ROOT, "Of %,d QA ratings read, %,d were rejected because their interaction is "
                        + "not in the interactions table and %,d for breaking another rule of the data contract (both "
                        + "kept in `rejects/qa_ratings`).", read, unknown, other));
        long pairable = steps.get("interactions_rated_by_two_or_more");
        s.append(String.format(Locale.ROOT, " The %,d used rate %,d interactions; %,d of them were rated by two or "
                + "more raters, and agreement and bias are measured on those.", steps.get("ratings_used"),
                steps.get("interactions_rated"), pairable));
        if (steps.get("repeated_ratings_averaged") > 0) {
            s.append(String.format(Locale.ROOT, " %,d repeated ratings of an interaction by the same rater were "
                    + "averaged into one.", steps.get("repeated_ratings_averaged")));
        }
        s.append("\n\n");
        if (pairable == 0) {
            return s.append("No interaction was rated by two raters, so there was nothing to measure agreement on: "
                    + "agreement, bias and drift were not fitted.\n")
                    .toString();
        }
        agreement(result, s);
        gap(result, s);
        raters(result, s);
        icc(result, s);
        drift(result, s);
        notEstimated(result, s);
        return s.toString();
    }

    private static void agreement(Result result, StringBuilder s) {
        Agreement all = result.agreement(ALL, ALPHA).orElseThrow();
        s.append("## Agreement\n\n");
        if (Double.isFinite(all.estimate())) {
            s.append(String.format(Locale.ROOT, "Over all raters, Krippendorff's alpha (interval) is %s (%s; %,d "
                    + "interactions, %,d ratings).", three(all.estimate()), alphas(all.ciLow(), all.ciHigh(), false),
                    all.units(), all.ratings()));
        } else {
            s.append("Over all raters, alpha could not be measured: ").append(all.note()).append('.');
        }
        List<String> teams = new ArrayList<>();
        for (String team : Calibration.TEAMS) {
            Agreement a = result.agreement(team, ALPHA).orElseThrow();
            if (Double.isFinite(a.estimate())) {
                teams.add(String.format(Locale.ROOT, "%s %s (%s; %,d interactions)", words(team), three(a.estimate()),
                        alphas(a.ciLow(), a.ciHigh(), true), a.units()));
            }
        }
        if (!teams.isEmpty()) {
            s.append(" Each team's raters among themselves: ").append(String.join("; ", teams)).append('.');
        }
        s.append(" Krippendorff counts an alpha of at least 0.800 as reliable, and 0.667 as the least for tentative "
                + "conclusions.\n\n");
    }

    private static void gap(Result result, StringBuilder s) {
        Optional<Bias> in = result.team("in_house");
        Optional<Bias> out = result.team("outsourced");
        s.append("## The standardization gap\n\n");
        List<String> parts = new ArrayList<>();
        for (Optional<Bias> b : List.of(out, in)) {
            if (b.isPresent() && Double.isFinite(b.get().difference())) {
                parts.add(String.format(Locale.ROOT, "%s raters scored %s points (%s; %,d interactions)",
                        words(b.get().raterTeam()), signed(b.get().difference()),
                        points(b.get().ciLow(), b.get().ciHigh()), b.get().interactions()));
            }
        }
        if (parts.isEmpty()) {
            s.append("No interaction was rated by both the calibration team and another team, so no team's bias "
                    + "could be measured (not fitted).\n\n");
            return;
        }
        s.append("Compared with the calibration team's rating of the same interaction, ")
                .append(String.join(" and ", parts)).append('.');
        Gap g = result.gap("difference_from_calibration").orElseThrow();
        if (Double.isFinite(g.gap())) {
            boolean clear = g.ciLow() > 0 || g.ciHigh() < 0;
            s.append(String.format(Locale.ROOT, " So outsourced raters score %s points %s than in-house raters (%s)%s.",
                    one(Math.abs(g.gap())), g.gap() >= 0 ? "higher" : "lower", points(g.ciLow(), g.ciHigh()),
                    clear ? "" : ", which the data cannot tell from no gap"));
        }
        Gap a = result.gap(ALPHA).orElseThrow();
        if (Double.isFinite(a.gap())) {
            boolean clear = a.ciLow() > 0 || a.ciHigh() < 0;
            s.append(String.format(Locale.ROOT, " Among themselves, outsourced raters agree %s than in-house raters: "
                            + "alpha %s against %s, a difference of %s (%s, %,d interactions)%s.",
                    a.gap() < 0 ? "less" : "more", three(a.outsourced()), three(a.inHouse()), signedThree(a.gap()),
                    alphas(a.ciLow(), a.ciHigh(), false), a.interactions(),
                    clear ? "" : ", which the data cannot tell from no difference"));
        }
        s.append(" `drift.png` shows both teams month by month.\n\n");
    }

    private static void raters(Result result, StringBuilder s) {
        Optional<Bias> lenient = result.bias().stream().filter(b -> "most_lenient".equals(b.mark())).findFirst();
        Optional<Bias> strict = result.bias().stream().filter(b -> "strictest".equals(b.mark())).findFirst();
        if (lenient.isEmpty() || strict.isEmpty()) {
            s.append(String.format(Locale.ROOT, "Fewer than two in-house or outsourced raters shared %d interactions "
                    + "with the calibration team, so none is named the most lenient or the strictest.\n\n",
                    result.options().minShared()));
            return;
        }
        Bias l = lenient.get();
        Bias t = strict.get();
        s.append(String.format(Locale.ROOT, "Rater by rater, the most lenient (%s) scores %s points against the "
                        + "calibration team (%s; %,d interactions) and the strictest (%s) %s (%s; %,d interactions). "
                        + "`bias.csv` lists every rater by id, an operations file for the QA leads.\n\n",
                words(l.raterTeam()), signed(l.difference()), points(l.ciLow(), l.ciHigh()), l.interactions(),
                words(t.raterTeam()), signed(t.difference()), points(t.ciLow(), t.ciHigh()),
                t.interactions()));
    }

    private static void icc(Result result, StringBuilder s) {
        Agreement two = result.agreement(ALL, ICC2).orElseThrow();
        Agreement three = result.agreement(ALL, ICC3).orElseThrow();
        s.append("## Intraclass correlations\n\n");
        Optional<Block> used = result.blocks().stream().filter(b -> b.used() && b.raterTeam().equals(ALL)).findFirst();
        if (used.isEmpty()) {
            s.append(String.format(Locale.ROOT, "No complete block of at least %d interactions all rated by the same "
                    + "raters was found, so the intraclass correlations were not fitted.\n\n",
                    result.options().minBlock()));
            return;
        }
        if (!Double.isFinite(two.estimate())) {
            s.append("On the largest complete block (").append(CalibrationStats.describe(used.get()))
                    .append(") the intraclass correlations were not fitted: ").append(used.get().icc().note())
                    .append(".\n\n");
            return;
        }
        s.append(String.format(Locale.ROOT, "On the largest complete block, %s, ICC(2,1), the absolute agreement of "
                        + "one rater drawn at random, is %s (%s) and ICC(3,1), their consistency once each rater's "
                        + "own level is set aside, is %s (%s); the gap between the two is what the raters' "
                        + "constant offsets cost. `blocks.csv` lists every complete block; each team's own block is "
                        + "in `agreement.csv`.\n\n",
                CalibrationStats.describe(used.get()), three(two.estimate()), alphas(two.ciLow(), two.ciHigh(), false),
                three(three.estimate()), alphas(three.ciLow(), three.ciHigh(), false)));
    }

    private static void drift(Result result, StringBuilder s) {
        List<String> parts = new ArrayList<>();
        for (String team : List.of("outsourced", "in_house")) {
            result.drift().stream().filter(d -> d.month().equals(ALL) && d.raterTeam().equals(team)
                    && Double.isFinite(d.estimate())).findFirst().ifPresent(d -> {
                        boolean clear = d.ciLow() > 0 || d.ciHigh() < 0;
                        parts.add(String.format(Locale.ROOT, "the %s raters' difference from the calibration team "
                                        + "changed by %s points a month (%s; %,d interactions%s)", words(team),
                                signedTwo(d.estimate()), pointsTwo(d.ciLow(), d.ciHigh()), d.units(),
                                clear ? "" : ", which the data cannot tell from no change"));
                    });
        }
        List<Drift> out = result.drift().stream().filter(d -> !d.month().equals(ALL)
                && d.raterTeam().equals("outsourced") && d.statistic().equals(DIFFERENCE)
                && Double.isFinite(d.estimate())).toList();
        if (parts.isEmpty()) {
            return;
        }
        s.append("## Drift\n\nOver the months of the contacts, ").append(String.join("; ", parts)).append('.');
        if (out.size() >= 2) {
            Drift first = out.get(0);
            Drift last = out.get(out.size() - 1);
            s.append(String.format(Locale.ROOT, " The outsourced raters stood %s points above it in %s (%s) and %s "
                            + "in %s (%s).", signed(first.estimate()), first.month(),
                    points(first.ciLow(), first.ciHigh()), signed(last.estimate()), last.month(),
                    points(last.ciLow(), last.ciHigh())));
        }
        s.append(" `drift.csv` has every month, with alpha over all raters.\n\n");
    }

    private static void notEstimated(Result result, StringBuilder s) {
        List<String> missing = new ArrayList<>();
        for (Agreement a : result.agreement()) {
            if (!Double.isFinite(a.estimate())) {
                missing.add(String.format(Locale.ROOT, "%s for %s (%s)", label(a.statistic()),
                        a.raterTeam().equals(ALL) ? "all raters" : words(a.raterTeam()) + " raters", a.note()));
            }
        }
        if (!missing.isEmpty()) {
            s.append("Not fitted: ").append(String.join("; ", missing)).append(".\n");
        }
    }

    private static String label(String statistic) {
        return switch (statistic) {
            case ALPHA -> "alpha";
            case ICC2 -> "ICC(2,1)";
            case ICC3 -> "ICC(3,1)";
            default -> statistic;
        };
    }

    /** A team as the summary says it: in-house, outsourced, calibration. */
    static String words(String team) {
        return switch (team) {
            case "in_house" -> "in-house";
            case "outsourced" -> "outsourced";
            case "calibration" -> "calibration";
            default -> team;
        };
    }

    /** An interval of points: "95% interval +4.1 to +6.3", or "no interval". */
    private static String points(double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            return "no interval";
        }
        return "95% interval " + signed(low) + " to " + signed(high);
    }

    /** An interval of alpha or an ICC: "95% interval 0.790 to 0.830" (without the words when {@code bare}). */
    private static String alphas(double low, double high, boolean bare) {
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            return "no interval";
        }
        return (bare ? "" : "95% interval ") + three(low) + " to " + three(high);
    }

    private static String three(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String signedThree(double v) {
        return String.format(Locale.ROOT, "%+.3f", v);
    }

    private static String one(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String signedTwo(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    private static String pointsTwo(double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            return "no interval";
        }
        return "95% interval " + signedTwo(low) + " to " + signedTwo(high);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.1f", v);
    }
}
