package dev.empathy.jobs.training;

import dev.empathy.jobs.training.Training.Completion;
import dev.empathy.jobs.training.Training.OutcomeResult;
import dev.empathy.jobs.training.Training.Result;
import dev.empathy.lib.did.CallawaySantAnna;
import dev.empathy.lib.did.TwoWayFixedEffects;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import dev.empathy.reports.text.Figures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The files of {@code training} (docs/jobs/training.md): {@code att.csv}, {@code event_study.csv},
 * {@code pretrend.csv}, {@code group_time.csv}, {@code completion.csv}, {@code population.csv},
 * the chart {@code event_study.png} and {@code summary.md}. Weeks are written as ISO labels
 * ({@code 2025-W07}); no agent id is written.
 */
final class TrainingReport {

    static final String CALLAWAY_SANTANNA = "callaway_santanna";
    static final String TWFE = "twfe";

    private TrainingReport() {
    }

    static void write(Result result, ReportFolder folder) {
        result.steps().write(folder);
        List<List<Object>> att = new ArrayList<>();
        List<List<Object>> events = new ArrayList<>();
        List<List<Object>> pretrend = new ArrayList<>();
        List<List<Object>> groupTime = new ArrayList<>();
        for (OutcomeResult o : result.outcomes()) {
            String label = o.outcome().label();
            if (o.absent() != null) {
                att.add(Arrays.asList(label, CALLAWAY_SANTANNA, null, null, null, 0L, null, null, 0, o.absent()));
                att.add(Arrays.asList(label, TWFE, null, null, null, 0L, null, null, 0, o.absent()));
                events.add(Arrays.asList(label, null, null, null, null, null, 0, 0, 0L, o.absent()));
                pretrend.add(Arrays.asList(label, null, 0, null, 0, o.absent()));
                continue;
            }
            CallawaySantAnna.Result cs = o.callawaySantAnna();
            CallawaySantAnna.Aggregate overall = cs.overall();
            Estimate e = overall.estimate();
            att.add(Arrays.asList(label, CALLAWAY_SANTANNA, e.estimate(), e.ciLow(), e.ciHigh(), overall.count(),
                    e.stdError(), e.pValue(), overall.units(), note(overall.note(), cs.notes())));
            TwoWayFixedEffects.Fit twfe = o.twfe();
            Estimate t = twfe.estimate();
            att.add(Arrays.asList(label, TWFE, t.estimate(), t.ciLow(), t.ciHigh(), twfe.n(), t.stdError(), t.pValue(),
                    twfe.clusters(), twfe.note()));
            for (CallawaySantAnna.EventTime ev : cs.eventStudy()) {
                CallawaySantAnna.Aggregate a = ev.effect();
                Estimate x = a.estimate();
                events.add(Arrays.asList(label, ev.relative(), x.estimate(), x.ciLow(), x.ciHigh(), x.stdError(),
                        a.groups(), a.units(), a.count(), a.note()));
            }
            CallawaySantAnna.PreTrend p = cs.preTrend();
            pretrend.add(Arrays.asList(label, p.chiSquare(), p.df(), p.pValue(), p.preTimes(), p.note()));
            for (CallawaySantAnna.GroupTime g : cs.groupTimes()) {
                groupTime.add(Arrays.asList(label, IsoWeeks.label(g.group()), IsoWeeks.label(g.period()), g.relative(),
                        g.att(), g.stdError(), g.ciLow(), g.ciHigh(), g.treatedUnits(), g.controlUnits(),
                        g.treatedCount(), g.controlCount()));
            }
        }
        CsvFile.write(folder, "att.csv", List.of("outcome", "method", "estimate", "ci_low", "ci_high", "n",
                "std_error", "p_value", "agents", "note"), att);
        CsvFile.write(folder, "event_study.csv", List.of("outcome", "relative_week", "estimate", "ci_low", "ci_high",
                "std_error", "groups", "agents", "n", "note"), events);
        CsvFile.write(folder, "pretrend.csv", List.of("outcome", "chi_square", "df", "p_value", "pre_weeks", "note"),
                pretrend);
        CsvFile.write(folder, "group_time.csv", List.of("outcome", "training_week", "week", "relative_week",
                "estimate", "std_error", "ci_low", "ci_high", "trained_agents", "control_agents", "trained_n",
                "control_n"), groupTime);
        List<List<Object>> completion = new ArrayList<>();
        for (Completion c : result.completion()) {
            completion.add(Arrays.asList(c.team(), IsoWeeks.label(c.week()), IsoWeeks.monday(c.week()).toString(),
                    c.agents(), c.trained(), c.share()));
        }
        CsvFile.write(folder, "completion.csv", List.of("team_type", "week", "week_start", "agents", "trained",
                "share"), completion);
        chart(result, folder);
        folder.text("summary.md", summary(result));
    }

    private static String note(String own, List<String> notes) {
        List<String> all = new ArrayList<>();
        if (own != null) {
            all.add(own);
        }
        all.addAll(notes);
        return all.isEmpty() ? null : String.join("; ", all);
    }

    private static void chart(Result result, ReportFolder folder) {
        List<Charts.Panel> panels = new ArrayList<>();
        for (OutcomeResult o : result.outcomes()) {
            if (o.absent() != null) {
                continue;
            }
            List<CallawaySantAnna.EventTime> ev = o.callawaySantAnna().eventStudy();
            int n = ev.size();
            double[] x = new double[n];
            double[] y = new double[n];
            double[] low = new double[n];
            double[] high = new double[n];
            for (int i = 0; i < n; i++) {
                Estimate e = ev.get(i).effect().estimate();
                x[i] = ev.get(i).relative();
                y[i] = e.estimate();
                low[i] = e.ciLow();
                high[i] = e.ciHigh();
            }
            panels.add(new Charts.Panel(o.outcome().axis(), x, y, low, high));
        }
        String base = result.baseWeeks() == 1 ? "week -1 is the base"
                : "the base is the mean of weeks -" + result.baseWeeks() + " to -1";
        Charts.panels(folder, "event_study.png", "What customers said and scored before and after empathy training",
                "Change against agents not yet trained by week since training (0 = the training week; " + base
                        + "), Callaway and Sant'Anna, 95% intervals",
                "weeks since training", -0.5, panels);
    }

    static String summary(Result result) {
        StringBuilder s = new StringBuilder("# Empathy training: what customers say, not only completion rates\n\n");
        long agents = result.steps().get("agents_with_contacts");
        if (agents == 0) {
            return s.append(result.steps().get("contacts") == 0
                    ? "There were no contacts, so there was nothing to analyse.\n"
                    : "None of the contacts was served by an agent listed in the agents table, so nobody's training "
                    + "date was known and there was nothing to analyse.\n").toString();
        }
        long during = result.steps().get("agents_trained_during_the_data");
        long before = result.steps().get("agents_trained_by_the_first_week");
        long not = result.steps().get("agents_not_trained_during_the_data");
        s.append(String.format(Locale.ROOT, "From %s to %s, %,d agents served customers: %,d completed empathy "
                        + "training during these weeks, %,d had completed it by the first week and %,d did not complete "
                        + "it while the data ran.", IsoWeeks.label(result.firstWeek()), IsoWeeks.label(result.lastWeek()),
                agents, during, before, not));
        long unknown = result.steps().get("contacts_without_an_agents_row");
        if (unknown > 0) {
            s.append(String.format(Locale.ROOT, " %,d contacts were served by agents missing from the agents table "
                    + "and are left out.", unknown));
        }
        s.append("\n\n## What completion says\n\n").append(completionWords(result)).append("\n\n");
        s.append("## What customers say\n\n");
        if (during == 0) {
            s.append(before > 0 && not == 0
                    ? "Every agent had completed training by the data's first week, so there is no time before "
                    + "training to compare with: the effect of training cannot be estimated from these data.\n"
                    : "No agent completed training during the data's weeks, so there is no before and after to "
                    + "compare: the effect of training cannot be estimated from these data.\n");
        } else {
            s.append(String.format(Locale.ROOT, "The change after training: each trained agent's weeks from the "
                    + "training week on against %s before it, less the same change among agents not yet trained or "
                    + "never trained (Callaway and Sant'Anna), with the two-way fixed-effects estimate beside it:\n\n",
                    result.baseWeeks() == 1 ? "the week" : "the mean of the " + result.baseWeeks() + " weeks"));
            for (OutcomeResult o : result.outcomes()) {
                s.append("- ").append(effectWords(o)).append('\n');
            }
        }
        s.append("\n## Why two estimates\n\n");
        s.append("Agents were trained in different weeks. The usual regression of the outcome on \"trained\" with "
                + "agent and week effects (two-way fixed effects) also compares agents trained later with agents "
                + "trained earlier, after the earlier ones were trained: already-trained agents serve as controls. "
                + "When the effect of training grows or fades over the weeks, those comparisons enter with negative "
                + "weights, and the single coefficient can be far from, or even of the opposite sign to, every "
                + "agent's own effect (Goodman-Bacon 2021). The Callaway and Sant'Anna estimate compares the agents "
                + "trained in each week only with agents not yet trained (or never trained), week by week, and "
                + "averages those comparisons, each trained agent's weeks after training alike.");
        twfeDivergence(result).ifPresent(w -> s.append(' ').append(w));
        s.append("\n\n## Before training\n\n").append(preTrendWords(result)).append('\n');
        s.append("\nBoth estimates assume that without training the trained agents' outcomes would have moved like "
                + "those of the agents not yet trained (parallel trends) and that nothing changed before an agent's "
                + "training week (no anticipation). The training week itself is week 0, partly before the training. "
                + "Intervals are 95%; standard errors treat each agent's contacts as one cluster.\n");
        return s.toString();
    }

    private static String completionWords(Result result) {
        List<Completion> all = result.completion().stream().filter(c -> c.team().equals("all")).toList();
        if (all.isEmpty()) {
            return "No week had agents listed in the agents table.";
        }
        Completion first = all.get(0);
        Completion last = all.get(all.size() - 1);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "In %s, %s of the %,d agents who served "
                        + "customers had completed empathy training; in %s, %s of %,d.", IsoWeeks.label(first.week()),
                Figures.percent(first.share()), first.agents(), IsoWeeks.label(last.week()),
                Figures.percent(last.share()), last.agents()));
        List<String> teams = new ArrayList<>();
        for (Completion c : result.completion()) {
            if (!c.team().equals("all") && c.week() == last.week()) {
                teams.add(String.format(Locale.ROOT, "%s %s of %,d", c.team().replace('_', '-'),
                        Figures.percent(c.share()), c.agents()));
            }
        }
        if (teams.size() > 1) {
            s.append(" By team in that week: ").append(String.join(", ", teams)).append('.');
        }
        s.append(" Completion counts who sat the training; `completion.csv` has it week by week. Whether customers "
                + "noticed is the question below.");
        return s.toString();
    }

    private static String effectWords(OutcomeResult o) {
        Outcome outcome = o.outcome();
        String name = capitalised(outcome.words());
        if (o.absent() != null) {
            return String.format(Locale.ROOT, "%s: not estimated, there is %s.", name, o.absent());
        }
        CallawaySantAnna.Aggregate overall = o.callawaySantAnna().overall();
        Estimate e = overall.estimate();
        StringBuilder s = new StringBuilder();
        if (!Double.isFinite(e.estimate())) {
            s.append(String.format(Locale.ROOT, "%s: could not be estimated (%s).", name,
                    overall.note() == null ? "no comparison was possible" : overall.note()));
        } else {
            s.append(String.format(Locale.ROOT, "%s: %s after training (95%% interval %s to %s; %,d %s of %,d agents)%s.",
                    name, amount(outcome, e.estimate()), number(outcome, e.ciLow()), number(outcome, e.ciHigh()),
                    overall.count(), outcome.unit(), overall.units(), clear(e) ? "" : ", which the data cannot tell "
                            + "from no change"));
        }
        Estimate t = o.twfe().estimate();
        if (Double.isFinite(t.estimate()) && Double.isFinite(t.ciLow())) {
            s.append(String.format(Locale.ROOT, " Two-way fixed effects: %s (%s to %s, n = %,d).",
                    amount(outcome, t.estimate()), number(outcome, t.ciLow()), number(outcome, t.ciHigh()),
                    o.twfe().n()));
        } else if (Double.isFinite(t.estimate())) {
            s.append(String.format(Locale.ROOT, " Two-way fixed effects: %s, without an interval (%s).",
                    amount(outcome, t.estimate()), o.twfe().note()));
        } else {
            s.append(" Two-way fixed effects: not estimable (").append(o.twfe().note()).append(").");
        }
        return s.toString();
    }

    /** A sentence when, for some outcome, the two estimates' intervals do not overlap. */
    private static Optional<String> twfeDivergence(Result result) {
        List<String> apart = new ArrayList<>();
        for (OutcomeResult o : result.outcomes()) {
            if (o.absent() != null) {
                continue;
            }
            Estimate c = o.callawaySantAnna().overall().estimate();
            Estimate t = o.twfe().estimate();
            if (Double.isFinite(c.ciLow()) && Double.isFinite(t.ciLow())
                    && (t.ciHigh() < c.ciLow() || t.ciLow() > c.ciHigh())) {
                apart.add(o.outcome().words());
            }
        }
        if (apart.isEmpty()) {
            return Optional.of("Here the two agree within their intervals for every outcome estimated.");
        }
        return Optional.of("Here their intervals do not even overlap for " + String.join(" and ", apart)
                + ": read the Callaway and Sant'Anna estimate.");
    }

    private static String preTrendWords(Result result) {
        List<String> parts = new ArrayList<>();
        List<String> doubtful = new ArrayList<>();
        for (OutcomeResult o : result.outcomes()) {
            if (o.absent() != null) {
                continue;
            }
            CallawaySantAnna.PreTrend p = o.callawaySantAnna().preTrend();
            if (p.df() == 0 || !Double.isFinite(p.pValue())) {
                parts.add(o.outcome().words() + ": nothing to test");
                continue;
            }
            parts.add(String.format(Locale.ROOT, "%s: chi-square %s on %d degrees of freedom, p = %s", o.outcome().words(),
                    Figures.two(p.chiSquare()), p.df(), pValue(p.pValue())));
            if (p.pValue() < 0.05) {
                doubtful.add(o.outcome().words());
            }
        }
        if (parts.isEmpty()) {
            return "No outcome could be followed before training.";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "Did trained agents' outcomes already move apart "
                        + "from the others' before training? The joint test that the differences in the up to %d weeks "
                        + "before the base are all zero: %s.", result.window() - result.baseWeeks(),
                String.join("; ", parts)));
        if (doubtful.isEmpty()) {
            s.append(" None rejects at 5%: nothing suggests that trained agents were already on another path.");
        } else {
            s.append(" For ").append(String.join(" and ", doubtful)).append(" the outcomes already differed before "
                    + "training (p below 0.05): parallel trends, the assumption behind the estimate, is in doubt, so "
                    + "read that effect with care.");
        }
        return s.toString();
    }

    private static boolean clear(Estimate e) {
        return e.ciLow() > 0 || e.ciHigh() < 0;
    }

    /** A change in the outcome's own unit, signed, with the unit. */
    static String amount(Outcome o, double v) {
        if (!Double.isFinite(v)) {
            return "not known";
        }
        return switch (o) {
            case SENTIMENT_SHIFT -> number(o, v) + " on the -1 to 1 sentiment scale";
            case HOSTILE_TO_COOPERATIVE -> number(o, v) + " percentage points";
            case CSAT, EMPATHY_SCORE -> number(o, v) + " points";
        };
    }

    /** The number of {@link #amount} alone, for interval bounds. */
    static String number(Outcome o, double v) {
        if (!Double.isFinite(v)) {
            return "not known";
        }
        String text = switch (o) {
            case SENTIMENT_SHIFT, CSAT -> String.format(Locale.ROOT, "%+.3f", v);
            case HOSTILE_TO_COOPERATIVE -> String.format(Locale.ROOT, "%+.1f", 100 * v);
            case EMPATHY_SCORE -> String.format(Locale.ROOT, "%+.2f", v);
        };
        // A rounded zero has no sign.
        return text.matches("[-+]0\\.0+") ? text.substring(1) : text;
    }

    private static String pValue(double p) {
        return p < 0.001 ? "below 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String capitalised(String words) {
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
