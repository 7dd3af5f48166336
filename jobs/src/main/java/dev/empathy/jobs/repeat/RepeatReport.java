package dev.empathy.jobs.repeat;

import dev.empathy.jobs.repeat.RepeatContacts.Adjusted;
import dev.empathy.jobs.repeat.RepeatContacts.Contrast;
import dev.empathy.jobs.repeat.RepeatContacts.Rate;
import dev.empathy.jobs.repeat.RepeatContacts.Result;
import dev.empathy.jobs.repeat.RepeatContacts.WindowPopulation;
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
 * The files of {@code repeat-contacts} (see docs/jobs/repeat-contacts.md): {@code population.csv},
 * {@code rates.csv}, {@code contrasts.csv}, {@code adjusted.csv}, the chart
 * {@code repeat_by_band.png} and {@code summary.md}.
 */
final class RepeatReport {

    private final Result result;

    private RepeatReport(Result result) {
        this.result = result;
    }

    static void write(Result result, ReportFolder folder) {
        List<List<Object>> adjusted = new ArrayList<>();
        for (Adjusted a : result.adjusted()) {
            Estimate e = a.term();
            Estimate.Ratio or = e.ratio();
            adjusted.add(Arrays.asList(a.windowDays(), a.model(), e.term(), e.estimate(), e.stdError(), e.pValue(),
                    or.value(), or.low(), or.high(), a.n(), a.clusters(), a.note()));
        }
        CsvFile.write(folder, "adjusted.csv", List.of("window_days", "model", "term", "estimate", "std_error",
                "p_value", "odds_ratio", "or_ci_low", "or_ci_high", "n", "clusters", "note"), adjusted);
        List<List<Object>> population = new ArrayList<>();
        for (WindowPopulation p : result.population()) {
            population.add(List.of(p.windowDays(), p.interactions(), p.censored(), p.used()));
        }
        CsvFile.write(folder, "population.csv", List.of("window_days", "interactions", "censored", "used"),
                population);
        List<List<Object>> rates = new ArrayList<>();
        for (Rate r : result.rates()) {
            rates.add(Arrays.asList(r.windowDays(), r.grouping(), r.group(), r.contacts(), r.repeats(),
                    r.rate().estimate(), r.rate().low(), r.rate().high()));
        }
        CsvFile.write(folder, "rates.csv", List.of("window_days", "grouping", "group", "contacts", "repeats", "rate",
                "ci_low", "ci_high"), rates);
        List<List<Object>> contrasts = new ArrayList<>();
        for (Contrast c : result.contrasts()) {
            contrasts.add(Arrays.asList(c.windowDays(), c.measure(), c.value().estimate(), c.value().low(),
                    c.value().high(), c.method(), c.contactsDocumented(), c.contactsNotDocumented()));
        }
        CsvFile.write(folder, "contrasts.csv", List.of("window_days", "measure", "estimate", "ci_low", "ci_high",
                "method", "contacts_documented", "contacts_not_documented"), contrasts);
        RepeatReport report = new RepeatReport(result);
        report.chart(folder);
        folder.text("summary.md", report.summary());
    }

    private void chart(ReportFolder folder) {
        List<Integer> windows = result.windows();
        List<String> bands = new ArrayList<>();
        for (Rate r : result.rates()) {
            if (r.windowDays() == windows.get(0) && r.grouping().equals("empathy_band")) {
                bands.add(r.group());
            }
        }
        List<Charts.Series> series = new ArrayList<>();
        for (int w : windows) {
            double[] estimate = new double[bands.size()];
            double[] low = new double[bands.size()];
            double[] high = new double[bands.size()];
            for (int i = 0; i < bands.size(); i++) {
                Optional<Rate> row = rate(w, "empathy_band", bands.get(i));
                estimate[i] = row.map(r -> 100 * r.rate().estimate()).orElse(Double.NaN);
                low[i] = row.map(r -> 100 * r.rate().low()).orElse(Double.NaN);
                high[i] = row.map(r -> 100 * r.rate().high()).orElse(Double.NaN);
            }
            series.add(new Charts.Series(w + "-day window", estimate, low, high));
        }
        long used = result.population().get(0).used();
        Charts.categoryIntervals(folder, "repeat_by_band.png", "Repeat contacts by empathy score band",
                String.format(Locale.ROOT, "share of contacts followed by another contact of the same customer, "
                        + "with 95%% intervals; n = %,d contacts (%d-day window)", used, windows.get(0)),
                "QA empathy score band", "repeat rate (%)", bands, series);
    }

    String summary() {
        List<Integer> windows = result.windows();
        int w = windows.get(0);
        WindowPopulation pop = result.population().get(0);
        StringBuilder s = new StringBuilder("# Repeat contacts and empathy\n\n");
        Optional<Rate> measured = rate(w, "all", "all");
        if (pop.interactions() == 0) {
            s.append("There were no contacts in the data, so there was nothing to measure.\n");
            return s.toString();
        }
        if (measured.isEmpty()) {
            s.append(String.format(Locale.ROOT, "None of the %,d contacts could be followed for %d days: every one "
                    + "was too close to the end of the data, so no repeat rate could be measured.\n",
                    pop.interactions(), w));
            return s.toString();
        }
        Rate all = measured.get();
        s.append(String.format(Locale.ROOT, "Of %,d contacts, %s were followed by another contact from the same "
                        + "customer within %d days (95%% interval %s to %s; %,d more contacts were too close to the "
                        + "end of the data to tell).", pop.used(), pct(all.rate().estimate()), w,
                pct(all.rate().low()), pct(all.rate().high()), pop.censored()));
        Optional<Rate> yes = rate(w, "documented", "yes");
        Optional<Rate> no = rate(w, "documented", "no");
        Optional<Contrast> ratio = contrast(w, "risk_ratio");
        if (yes.isPresent() && no.isPresent() && ratio.isPresent() && known(ratio.get().value().estimate())) {
            s.append(String.format(Locale.ROOT, " When the agent documented an empathetic intervention, %s of "
                            + "contacts were repeated against %s when not (%s as often; %s to %s).",
                    pct(yes.get().rate().estimate()), pct(no.get().rate().estimate()),
                    ratioText(ratio.get().value().estimate()), two(ratio.get().value().low()),
                    two(ratio.get().value().high())));
        }
        model(w, "documented", "empathy_documented").filter(r -> known(r.term().estimate())).ifPresent(r -> s.append(String.format(Locale.ROOT,
                " Comparing contacts alike in resolution, resolution time, channel, contact reason and segment, "
                        + "documented empathy went with odds of a repeat %s (odds ratio %s, %s to %s, n = %,d).",
                oddsText(r.term().ratio().value()), two(r.term().ratio().value()), two(r.term().ratio().low()),
                two(r.term().ratio().high()), r.n())));
        model(w, "follow_up", "empathy_documented").filter(r -> known(r.term().ratio().value())).ifPresent(r ->
                s.append(String.format(Locale.ROOT, " Some repeats are simply the customer's next, unrelated "
                                + "contact; measuring that background in a later window of the same length, "
                                + "documented empathy went with odds of a contact's own follow-up %s (odds ratio "
                                + "%s, %s to %s).", oddsText(r.term().ratio().value()), two(r.term().ratio().value()),
                        two(r.term().ratio().low()), two(r.term().ratio().high()))));
        model(w, "score", "empathy_10").filter(r -> known(r.term().estimate())).ifPresent(r -> s.append(String.format(Locale.ROOT,
                " Among QA-scored contacts, each 10 points of empathy score went with odds of a repeat %s "
                        + "(odds ratio %s, %s to %s, n = %,d).", oddsText(r.term().ratio().value()),
                two(r.term().ratio().value()), two(r.term().ratio().low()), two(r.term().ratio().high()), r.n())));
        for (int other : windows.subList(1, windows.size())) {
            Optional<Contrast> rr = contrast(other, "risk_ratio");
            rate(other, "all", "all").ifPresent(r -> s.append(String.format(Locale.ROOT,
                    " Within %d days, %s of contacts were repeated%s.", other, pct(r.rate().estimate()),
                    rr.filter(c -> known(c.value().estimate())).map(c -> String.format(Locale.ROOT,
                            ", and documented empathy went with %s as many repeats (%s to %s)",
                            ratioText(c.value().estimate()), two(c.value().low()), two(c.value().high())))
                            .orElse(""))));
        }
        s.append(" The odds ratios' intervals allow for contacts of the same customer being alike; the rates' "
                + "intervals treat contacts as independent.\n");
        return s.toString();
    }

    private Optional<Rate> rate(int w, String grouping, String group) {
        return result.rates().stream().filter(r -> r.windowDays() == w && r.grouping().equals(grouping)
                && r.group().equals(group)).findFirst().filter(r -> known(r.rate().estimate()));
    }

    private Optional<Contrast> contrast(int w, String measure) {
        return result.contrasts().stream().filter(r -> r.windowDays() == w && r.measure().equals(measure))
                .findFirst();
    }

    private Optional<Adjusted> model(int w, String model, String term) {
        return result.adjusted().stream().filter(r -> r.windowDays() == w && r.model().equals(model)
                && r.term().term().equals(term)).findFirst();
    }

    /** A figure that is there: not NaN. */
    private static boolean known(double v) {
        return !Double.isNaN(v);
    }

    private static String pct(double v) {
        return Figures.percent(v);
    }

    private static String two(double v) {
        return Figures.two(v);
    }

    private static String ratioText(double v) {
        return String.format(Locale.ROOT, "%.2f times", v);
    }

    /** "23% lower" or "5% higher" from an odds ratio. */
    private static String oddsText(double oddsRatio) {
        return Figures.change(oddsRatio);
    }
}
