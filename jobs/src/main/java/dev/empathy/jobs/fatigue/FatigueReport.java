package dev.empathy.jobs.fatigue;

import dev.empathy.jobs.fatigue.Fatigue.Effect;
import dev.empathy.jobs.fatigue.Fatigue.PulseByBand;
import dev.empathy.jobs.fatigue.Fatigue.PulseCorrelation;
import dev.empathy.jobs.fatigue.Fatigue.QueueLoad;
import dev.empathy.jobs.fatigue.Fatigue.Result;
import dev.empathy.jobs.fatigue.Fatigue.RotationRow;
import dev.empathy.jobs.fatigue.Fatigue.WeekIndex;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.stats.ClusteredMean;
import dev.empathy.lib.stats.ClusteredSpearman;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import dev.empathy.reports.text.Figures;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The files of {@code fatigue} (see docs/jobs/fatigue.md): {@code shift_load/} (Parquet),
 * {@code population.csv}, {@code load_by_queue.csv}, {@code effects.csv}, {@code index.csv},
 * {@code pulse_correlation.csv}, {@code rotation.csv}, the chart {@code pulse_by_index.png} and
 * {@code summary.md}. Agent ids go only to the operations files ({@code shift_load/},
 * {@code index.csv}, {@code rotation.csv}); the summary has counts and estimates, no id.
 */
final class FatigueReport {

    private FatigueReport() {
    }

    static void write(Result result, ReportFolder folder) {
        // The one Spark write of the writer: the per-shift table the result carries, as Parquet.
        result.shiftLoad().write().mode("overwrite").parquet(folder.location("shift_load"));
        result.steps().write(folder);
        List<List<Object>> queues = new ArrayList<>();
        for (QueueLoad q : result.loadByQueue()) {
            queues.add(Arrays.asList(q.queue(), q.shifts(), q.agents(), q.contacts(),
                    q.shifts() == 0 ? null : (double) q.contacts() / q.shifts(), q.transcribedContacts(),
                    q.hostileShare(), q.meanSentiment(), q.hostileMinutesPerShift(), q.load().mean(), q.load().low(),
                    q.load().high()));
        }
        CsvFile.write(folder, "load_by_queue.csv", List.of("queue", "shifts", "agents", "contacts",
                "contacts_per_shift", "transcribed_contacts", "hostile_share", "mean_sentiment",
                "hostile_minutes_per_shift", "mean_emotional_load", "ci_low", "ci_high"), queues);
        List<List<Object>> effects = new ArrayList<>();
        for (Effect e : result.effects()) {
            Estimate t = e.term();
            effects.add(Arrays.asList(e.outcome(), t.term(), t.estimate(), t.stdError(), t.ciLow(), t.ciHigh(), e.n(),
                    e.clusters(), t.pValue(), e.note()));
        }
        CsvFile.write(folder, "effects.csv", List.of("outcome", "term", "estimate", "std_error", "ci_low", "ci_high",
                "n", "clusters", "p_value", "note"), effects);
        List<List<Object>> index = new ArrayList<>();
        for (WeekIndex w : result.index()) {
            index.add(Arrays.asList(w.agentId(), w.isoWeek(), w.shifts(), w.hours(), w.highEmpathyShifts(),
                    w.highEmpathyHours(), w.hostileMinutes(), w.index(), w.pulse(), w.pulseAnswers()));
        }
        CsvFile.write(folder, "index.csv", List.of("agent_id", "iso_week", "shifts", "hours", "high_empathy_shifts",
                "high_empathy_hours", "hostile_minutes", "fatigue_index", "pulse_fatigue", "pulse_answers"), index);
        List<List<Object>> correlations = new ArrayList<>();
        for (PulseCorrelation c : result.correlations()) {
            ClusteredSpearman.Result r = c.result();
            correlations.add(Arrays.asList(c.method(), r.rho(), r.low(), r.high(), r.pairs(), r.clusters(),
                    r.replicates(), r.usable(), c.note()));
        }
        CsvFile.write(folder, "pulse_correlation.csv", List.of("method", "spearman_rho", "ci_low", "ci_high",
                "agent_weeks", "agents", "replicates", "usable_replicates", "note"), correlations);
        List<List<Object>> rotation = new ArrayList<>();
        for (RotationRow r : result.rotation()) {
            rotation.add(Arrays.asList(r.agentId(), r.recentShifts(), r.recentHighEmpathyShifts(),
                    r.recentHighEmpathyShare(), r.recentHostileMinutes(), r.lastQueue(), r.recoveryPoints(),
                    r.recoveryLow(), r.recoveryHigh(), r.recommendedGeneralShifts()));
        }
        CsvFile.write(folder, "rotation.csv", List.of("agent_id", "recent_shifts", "recent_high_empathy_shifts",
                "recent_high_empathy_share", "recent_hostile_minutes", "last_queue", "recovery_points",
                "recovery_ci_low", "recovery_ci_high", "recommended_general_shifts"), rotation);
        chart(result, folder);
        folder.text("summary.md", summary(result));
    }

    private static void chart(Result result, ReportFolder folder) {
        List<String> bands = new ArrayList<>();
        List<PulseByBand> rows = result.pulseByIndex();
        double[] estimate = new double[rows.size()];
        double[] low = new double[rows.size()];
        double[] high = new double[rows.size()];
        long weeks = 0;
        for (int i = 0; i < rows.size(); i++) {
            ClusteredMean.Result m = rows.get(i).pulse();
            bands.add(rows.get(i).band());
            estimate[i] = m.mean();
            // Without an interval (one agent in the band) the whisker collapses onto the point.
            low[i] = Double.isFinite(m.low()) ? m.low() : m.mean();
            high[i] = Double.isFinite(m.high()) ? m.high() : m.mean();
            weeks += m.n();
        }
        Charts.categoryIntervals(folder, "pulse_by_index.png", "Self-reported fatigue by weekly emotional load",
                String.format(Locale.ROOT, "Mean pulse fatigue of agent-weeks by fatigue index, 95%% intervals "
                        + "clustered by agent; %,d agent-weeks with a pulse", weeks),
                "fatigue index: hours on the high-empathy queue + hours with hostile customers, per ISO week",
                "mean pulse fatigue (1 fresh to 5 exhausted)", bands,
                List.of(new Charts.Series("mean pulse fatigue", estimate, low, high)));
    }

    static String summary(Result result) {
        StringBuilder s = new StringBuilder("# Agent fatigue after high-empathy shifts\n\n");
        var steps = result.steps();
        long contacts = steps.get("interactions");
        long shifts = steps.get("shifts");
        s.append(String.format(Locale.ROOT, "Of %,d contacts, %,d fell in a shift of their agent; %,d fell outside "
                        + "every shift of their agent and %,d were handled by agents with no shift at all. Those are "
                        + "counted in `population.csv` and left out of what follows.", contacts,
                steps.get("contacts_in_a_shift"), steps.get("contacts_outside_every_shift"),
                steps.get("contacts_of_agents_without_shifts")));
        if (steps.get("contacts_in_overlapping_shifts") > 0) {
            s.append(String.format(Locale.ROOT, " %,d contacts fell in two overlapping shifts of their agent and "
                    + "were given to the shift that started last.", steps.get("contacts_in_overlapping_shifts")));
        }
        s.append(String.format(Locale.ROOT, " There were %,d shifts of %,d agents, %,d of them on the high-empathy "
                        + "queue (`%s`); %,d shifts had no contact and still count in their agent's sequence of "
                        + "shifts.\n\n", shifts, steps.get("agents_with_shifts"), steps.get("high_empathy_shifts"),
                result.options().highQueue(), steps.get("shifts_without_contacts")));
        if (shifts == 0) {
            return s.append("With no shift in the data there was nothing to analyse: no load was measured and the "
                    + "models were not fitted.\n").toString();
        }
        load(s, result);
        effects(s, result);
        pulse(s, result);
        rotation(s, result);
        return s.toString();
    }

    private static void load(StringBuilder s, Result result) {
        s.append("## Emotional load\n\nThe emotional load of a shift is the minutes its agent spent with hostile "
                + "customers (a customer turn coded hostile) per hour of shift; contacts without a transcript "
                + "count as not hostile, so it is a floor where few contacts are transcribed.");
        for (QueueLoad q : result.loadByQueue()) {
            s.append(String.format(Locale.ROOT, " Queue `%s`: %,d shifts, %s contacts per shift, %s%s; load %s "
                            + "minutes per hour (95%% interval %s to %s).", q.queue(), q.shifts(),
                    number(q.shifts() == 0 ? Double.NaN : (double) q.contacts() / q.shifts()),
                    Double.isNaN(q.hostileShare()) ? "no clear customer turn"
                            : "customers hostile in " + Figures.percent(q.hostileShare()) + " of their clear turns",
                    Double.isNaN(q.meanSentiment()) ? ""
                            : ", mean customer sentiment " + number(q.meanSentiment()),
                    number(q.load().mean()), number(q.load().low()), number(q.load().high())));
        }
        s.append("\n\n");
    }

    private static void effects(StringBuilder s, Result result) {
        s.append("## Empathy after a high-empathy shift\n\n");
        Effect score = result.effect("empathy_score", "after_high_empathy_shift");
        Estimate e = score.term();
        if (Double.isFinite(e.estimate())) {
            s.append(String.format(Locale.ROOT, "Comparing each agent with themselves, contacts whose previous shift "
                            + "was on the high-empathy queue scored %s points %s on QA empathy (95%% interval %s to %s; "
                            + "%,d scored contacts of %,d agents), with the previous shift's emotional load and the "
                            + "hours since it ended held fixed%s.", number(Math.abs(e.estimate())),
                    e.estimate() < 0 ? "lower" : "higher", signed(e.ciLow()), signed(e.ciHigh()), score.n(),
                    score.clusters(), clear(e) ? "" : "; the data cannot tell this from no difference"));
        } else {
            s.append("The effect of a high-empathy shift on the next contacts' QA empathy score was not fitted: ")
                    .append(reason(score.note())).append('.');
        }
        Effect documented = result.effect("empathy_documented", "after_high_empathy_shift");
        if (Double.isFinite(documented.term().estimate())) {
            Estimate d = documented.term();
            s.append(String.format(Locale.ROOT, " The chance that the agent documented empathy changed by %s "
                            + "percentage points (%s to %s; a linear probability model, %,d contacts).",
                    signed(100 * d.estimate()), signed(100 * d.ciLow()), signed(100 * d.ciHigh()), documented.n()));
        } else {
            s.append(" Documented empathy was not fitted: ").append(reason(documented.note())).append('.');
        }
        Effect csat = result.effect("csat", "after_high_empathy_shift");
        if (Double.isFinite(csat.term().estimate())) {
            Estimate c = csat.term();
            s.append(String.format(Locale.ROOT, " CSAT (1 to 5) changed by %s (%s to %s; %,d answered contacts).",
                    signed(c.estimate()), signed(c.ciLow()), signed(c.ciHigh()), csat.n()));
        } else {
            s.append(" CSAT was not fitted: ").append(reason(csat.note())).append('.');
        }
        s.append(" Every model absorbs the agents' own levels (agent fixed effects) and clusters its standard "
                + "errors by agent; `effects.csv` has every term.\n\n");
    }

    private static void pulse(StringBuilder s, Result result) {
        s.append("## Weekly fatigue index and the agents' pulse\n\nThe weekly fatigue index is the hours an agent "
                + "worked on the high-empathy queue plus the hours they spent with hostile customers, per ISO week.");
        PulseCorrelation pooled = result.correlation("pooled");
        PulseCorrelation within = result.correlation("within_agent");
        ClusteredSpearman.Result p = pooled.result();
        if (p.pairs() == 0) {
            s.append(" No week with shifts had a pulse answer, so the index could not be compared with how tired "
                    + "the agents said they were.\n\n");
            return;
        }
        if (Double.isNaN(p.rho())) {
            s.append(String.format(Locale.ROOT, " Over %,d agent-weeks with a pulse answer, the index or the pulse "
                    + "did not vary, so they could not be correlated.\n\n", p.pairs()));
            return;
        }
        s.append(String.format(Locale.ROOT, " Over %,d agent-weeks of %,d agents with a pulse answer, Spearman's "
                        + "correlation of the index with the pulse (1 fresh to 5 exhausted) was %s (95%% interval %s to "
                        + "%s, resampling whole agents, so that each agent's weeks count as one agent).",
                p.pairs(), p.clusters(), number(p.rho()), number(p.low()), number(p.high())));
        ClusteredSpearman.Result w = within.result();
        if (!Double.isNaN(w.rho())) {
            s.append(String.format(Locale.ROOT, " Within agents (each agent's heavier weeks against their own "
                    + "lighter ones) it was %s (%s to %s).", number(w.rho()), number(w.low()), number(w.high())));
        }
        s.append("\n\n");
    }

    private static void rotation(StringBuilder s, Result result) {
        Fatigue.Options o = result.options();
        s.append("## Rotation\n\n");
        if (result.dataEnd() == null) {
            s.append("There were no contacts, so there was no recent period to judge.\n");
            return;
        }
        List<RotationRow> rows = result.rotation();
        long judged = result.steps().get("agents_judged_for_rotation");
        if (judged == 0) {
            s.append(String.format(Locale.ROOT, "No agent worked %d shifts or more in the last %d days of the data "
                            + "(to %s), so no one was judged for rotation.", o.minRecentShifts(), o.recentDays(),
                    result.dataEnd().atOffset(ZoneOffset.UTC).toLocalDate()));
            s.append(" `rotation.csv`, `index.csv` and `shift_load/` carry agent ids: they are operations files, "
                    + "not for the executive audit.\n");
            return;
        }
        s.append(String.format(Locale.ROOT, "In the last %d days of the data (to %s), %,d of the %,d agents with at "
                        + "least %d shifts worked at least %s of them on the high-empathy queue.", o.recentDays(),
                result.dataEnd().atOffset(ZoneOffset.UTC).toLocalDate(), rows.size(),
                result.steps().get("agents_judged_for_rotation"), o.minRecentShifts(),
                Figures.percent(o.rotationShare())));
        if (!rows.isEmpty()) {
            int[] k = rows.stream().mapToInt(RotationRow::recommendedGeneralShifts).sorted().toArray();
            s.append(String.format(Locale.ROOT, " The recommended number of general shifts before their recent load "
                    + "falls below that share is %d to %d (median %s).", k[0], k[k.length - 1],
                    Figures.plain(k.length % 2 == 1 ? k[k.length / 2] : (k[k.length / 2 - 1] + k[k.length / 2]) / 2.0)));
            RotationRow r = rows.get(0);
            if (Double.isFinite(r.recoveryPoints())) {
                s.append(String.format(Locale.ROOT, " A contact whose previous shift was general rather than "
                                + "high-empathy is expected to score %s points more on QA empathy (%s to %s).",
                        number(r.recoveryPoints()), number(r.recoveryLow()), number(r.recoveryHigh())));
            }
            s.append(" `rotation.csv` lists them for the scheduling team.");
        }
        s.append(" `rotation.csv`, `index.csv` and `shift_load/` carry agent ids: they are operations files, not "
                + "for the executive audit.\n");
    }

    private static boolean clear(Estimate e) {
        return e.ciLow() > 0 || e.ciHigh() < 0;
    }

    /** A note as the end of a sentence: without its "not fitted: " lead. */
    private static String reason(String note) {
        if (note == null) {
            return "the model gave no estimate";
        }
        return note.replaceFirst("^not (fitted|usable|estimated): ", "");
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) {
            return "not known";
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String signed(double v) {
        if (!Double.isFinite(v)) {
            return "not known";
        }
        return String.format(Locale.ROOT, "%+.2f", v);
    }
}
