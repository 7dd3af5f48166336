package dev.empathy.jobs.repeat;

import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.text.Figures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The chart ({@code repeat_by_band.png}) and {@code summary.md} of {@code repeat-contacts}, read
 * from the rows of its CSV files: population {@code [w, interactions, censored, used]}, rates
 * {@code [w, grouping, group, contacts, repeats, rate, low, high]}, contrasts {@code [w, measure,
 * estimate, low, high, ...]} and adjusted {@code [w, model, term, estimate, se, p, or, low, high, n, clusters]}.
 */
final class RepeatReport {

    private final List<Integer> windows;
    private final List<List<Object>> population;
    private final List<List<Object>> rates;
    private final List<List<Object>> contrasts;
    private final List<List<Object>> adjusted;

    RepeatReport(List<Integer> windows, List<List<Object>> population, List<List<Object>> rates,
                 List<List<Object>> contrasts, List<List<Object>> adjusted) {
        this.windows = windows;
        this.population = population;
        this.rates = rates;
        this.contrasts = contrasts;
        this.adjusted = adjusted;
    }

    void write(Path folder) throws IOException {
        List<String> bands = new ArrayList<>();
        for (List<Object> r : rates) {
            if (r.get(0).equals(windows.get(0)) && r.get(1).equals("empathy_band")) {
                bands.add((String) r.get(2));
            }
        }
        List<Charts.Series> series = new ArrayList<>();
        for (int w : windows) {
            double[][] v = new double[3][bands.size()];
            for (int i = 0; i < bands.size(); i++) {
                Optional<List<Object>> row = rate(w, "empathy_band", bands.get(i));
                for (int k = 0; k < 3; k++) {
                    final int column = 5 + k;
                    v[k][i] = row.map(r -> 100 * number(r.get(column))).orElse(Double.NaN);
                }
            }
            series.add(new Charts.Series(w + "-day window", v[0], v[1], v[2]));
        }
        long used = (long) population.get(0).get(3);
        Charts.categoryIntervals(folder.resolve("repeat_by_band.png"), "Repeat contacts by empathy score band",
                String.format(Locale.ROOT, "share of contacts followed by another contact of the same customer, "
                        + "with 95%% intervals; n = %,d contacts (%d-day window)", used, windows.get(0)),
                "QA empathy score band", "repeat rate (%)", bands, series);
        Files.writeString(folder.resolve("summary.md"), summary(), StandardCharsets.UTF_8);
    }

    String summary() {
        int w = windows.get(0);
        List<Object> pop = population.get(0);
        StringBuilder s = new StringBuilder("# Repeat contacts and empathy\n\n");
        List<Object> all = rate(w, "all", "all").orElseThrow();
        s.append(String.format(Locale.ROOT, "Of %,d contacts, %s were followed by another contact from the same "
                        + "customer within %d days (95%% interval %s to %s; %,d more contacts were too close to the "
                        + "end of the data to tell).", (long) pop.get(3), pct(all.get(5)), w, pct(all.get(6)),
                pct(all.get(7)), (long) pop.get(2)));
        Optional<List<Object>> yes = rate(w, "documented", "yes");
        Optional<List<Object>> no = rate(w, "documented", "no");
        Optional<List<Object>> ratio = contrast(w, "risk_ratio");
        if (yes.isPresent() && no.isPresent() && ratio.isPresent() && known(ratio.get().get(2))) {
            s.append(String.format(Locale.ROOT, " When the agent documented an empathetic intervention, %s of "
                            + "contacts were repeated against %s when not (%s as often; %s to %s).",
                    pct(yes.get().get(5)), pct(no.get().get(5)), ratioText(ratio.get().get(2)),
                    two(ratio.get().get(3)), two(ratio.get().get(4))));
        }
        model(w, "documented", "empathy_documented").ifPresent(r -> s.append(String.format(Locale.ROOT,
                " Comparing contacts alike in resolution, resolution time, channel, contact reason and segment, "
                        + "documented empathy went with odds of a repeat %s (odds ratio %s, %s to %s, n = %,d).",
                oddsText(r.get(6)), two(r.get(6)), two(r.get(7)), two(r.get(8)), (long) r.get(9))));
        model(w, "follow_up", "empathy_documented").filter(r -> known(r.get(6))).ifPresent(r ->
                s.append(String.format(Locale.ROOT, " Some repeats are simply the customer's next, unrelated "
                                + "contact; measuring that background in a later window of the same length, "
                                + "documented empathy went with odds of a contact's own follow-up %s (odds ratio "
                                + "%s, %s to %s).", oddsText(r.get(6)), two(r.get(6)),
                        two(r.get(7)), two(r.get(8)))));
        model(w, "score", "empathy_10").ifPresent(r -> s.append(String.format(Locale.ROOT,
                " Among QA-scored contacts, each 10 points of empathy score went with odds of a repeat %s "
                        + "(odds ratio %s, %s to %s, n = %,d).", oddsText(r.get(6)), two(r.get(6)), two(r.get(7)),
                two(r.get(8)), (long) r.get(9))));
        for (int other : windows.subList(1, windows.size())) {
            Optional<List<Object>> rr = contrast(other, "risk_ratio");
            rate(other, "all", "all").ifPresent(r -> s.append(String.format(Locale.ROOT,
                    " Within %d days, %s of contacts were repeated%s.", other, pct(r.get(5)),
                    rr.filter(c -> known(c.get(2))).map(c -> String.format(Locale.ROOT,
                            ", and documented empathy went with %s as many repeats (%s to %s)",
                            ratioText(c.get(2)), two(c.get(3)), two(c.get(4)))).orElse(""))));
        }
        s.append(" The odds ratios' intervals allow for contacts of the same customer being alike; the rates' "
                + "intervals treat contacts as independent.\n");
        return s.toString();
    }

    private Optional<List<Object>> rate(int w, String grouping, String group) {
        return rates.stream().filter(r -> r.get(0).equals(w) && r.get(1).equals(grouping) && r.get(2).equals(group))
                .findFirst().filter(r -> known(r.get(5)));
    }

    private Optional<List<Object>> contrast(int w, String measure) {
        return contrasts.stream().filter(r -> r.get(0).equals(w) && r.get(1).equals(measure)).findFirst();
    }

    private Optional<List<Object>> model(int w, String model, String term) {
        return adjusted.stream().filter(r -> r.get(0).equals(w) && r.get(1).equals(model) && r.get(2).equals(term))
                .findFirst();
    }

    /** A figure that is there: not null, not NaN. */
    private static boolean known(Object v) {
        return !Double.isNaN(number(v));
    }

    private static double number(Object v) {
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    private static String pct(Object v) {
        return Figures.percent(number(v));
    }

    private static String two(Object v) {
        return Figures.two(number(v));
    }

    private static String ratioText(Object v) {
        return String.format(Locale.ROOT, "%.2f times", number(v));
    }

    /** "23% lower" or "5% higher" from an odds ratio. */
    private static String oddsText(Object oddsRatio) {
        return Figures.change(number(oddsRatio));
    }
}
