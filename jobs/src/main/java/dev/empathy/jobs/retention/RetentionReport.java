package dev.empathy.jobs.retention;

import static dev.empathy.reports.text.Figures.percent;

import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.survival.SurvivalRow;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.text.Figures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The retention charts (Kaplan-Meier curves by exposure band for each high-churn segment,
 * {@code km_<segment>.png}; hazard ratios by segment, {@code hazard_ratios.png}) and
 * {@code summary.md}. Only aggregates reach them: no customer ids.
 */
final class RetentionReport {

    private final Retention.Options options;
    private final List<Retention.SegmentRate> segments;
    private final List<List<Object>> correlations;
    private final Map<String, List<SurvivalRow>> curves;
    private final List<List<Object>> logRank;
    private final List<Retention.CoxRow> cox;

    RetentionReport(Retention.Options options, List<Retention.SegmentRate> segments,
                    List<List<Object>> correlations, Map<String, List<SurvivalRow>> curves,
                    List<List<Object>> logRank, List<Retention.CoxRow> cox) {
        this.options = options;
        this.segments = segments;
        this.correlations = correlations;
        this.curves = curves;
        this.logRank = logRank;
        this.cox = cox;
    }

    List<String> highChurn() {
        return segments.stream().filter(Retention.SegmentRate::highChurn).map(Retention.SegmentRate::segment).toList();
    }

    void write(Path folder) throws IOException {
        for (String segment : highChurn()) {
            List<SurvivalRow> rows = curves.get(segment);
            if (rows == null) {
                continue;
            }
            List<Charts.Band> bands = new ArrayList<>();
            for (String band : Retention.BANDS) {
                List<SurvivalRow> one = rows.stream().filter(r -> r.group().equals(band)).toList();
                if (!one.isEmpty()) {
                    bands.add(steps(band + " exposure", one));
                }
            }
            Charts.bands(folder.resolve("km_" + fileName(segment) + ".png"),
                    "Customers kept, by empathy exposure: " + segment,
                    String.format(Locale.ROOT, "Kaplan-Meier estimate with 95%% band, by tertile of the customer's "
                            + "mean QA empathy score; n = %,d customers", count(segment)),
                    "days since first contact", "customers kept (%)", bands);
        }
        List<Charts.Interval> items = new ArrayList<>();
        for (Retention.CoxRow c : cox) {
            if (c.exposure().equals(Retention.RUNNING) && !Double.isNaN(c.term().stdError())) {
                Estimate e = c.term();
                String label = c.segment() + (c.highChurn() ? " (high churn)" : "");
                items.add(new Charts.Interval(label, Math.exp(e.estimate()), Math.exp(e.ciLow()),
                        Math.exp(e.ciHigh())));
            }
        }
        Charts.intervals(folder.resolve("hazard_ratios.png"), "Churn hazard per +10 points of empathy exposure",
                "Cox hazard ratio with 95% interval (empathy met so far, corrected for unscored contacts), adjusted "
                        + "for contact count (and segment, overall); below 1 = customers kept longer",
                "hazard ratio per +10 points", items, 1);
        Files.writeString(folder.resolve("summary.md"), summary(), StandardCharsets.UTF_8);
    }

    /** Kaplan-Meier rows drawn as a step function, in percent. */
    private static Charts.Band steps(String name, List<SurvivalRow> rows) {
        int n = 2 * rows.size() + 1;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        x[0] = 0;
        y[0] = 100;
        low[0] = 100;
        high[0] = 100;
        for (int i = 0; i < rows.size(); i++) {
            SurvivalRow r = rows.get(i);
            int k = 2 * i + 1;
            x[k] = r.time();
            y[k] = y[k - 1];
            low[k] = low[k - 1];
            high[k] = high[k - 1];
            x[k + 1] = r.time();
            y[k + 1] = 100 * r.survival();
            low[k + 1] = Double.isNaN(r.ciLow()) ? y[k + 1] : 100 * r.ciLow();
            high[k + 1] = Double.isNaN(r.ciHigh()) ? y[k + 1] : 100 * r.ciHigh();
        }
        return new Charts.Band(name, x, y, low, high);
    }

    private long count(String segment) {
        return logRank.stream().filter(r -> r.get(0).equals(segment)).map(r -> (Long) r.get(7)).findFirst().orElse(0L);
    }

    static String fileName(String segment) {
        return segment.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    String summary() {
        StringBuilder s = new StringBuilder("# Retention and empathy\n\n");
        Retention.SegmentRate all = segments.get(0);
        s.append(String.format(Locale.ROOT, "We followed %,d customers from their first contact in the data for "
                        + "%,.0f customer-years; %,d of them left, %s per customer-year (95%% interval %s to %s).",
                all.customers(), all.years(), all.churned(), percent(all.rate().estimate()),
                percent(all.rate().low()), percent(all.rate().high())));
        List<String> high = highChurn();
        if (high.isEmpty()) {
            s.append(String.format(Locale.ROOT, " No segment churned more than %.0f%% above that rate.",
                    100 * options.highChurnMargin()));
        } else {
            List<String> parts = new ArrayList<>();
            for (Retention.SegmentRate r : segments) {
                if (r.highChurn()) {
                    parts.add(String.format(Locale.ROOT, "%s (%s, %s to %s)", r.segment(),
                            percent(r.rate().estimate()), percent(r.rate().low()), percent(r.rate().high())));
                }
            }
            s.append(String.format(Locale.ROOT, " The segments that churn most, more than %.0f%% above that rate, "
                    + "are %s.", 100 * options.highChurnMargin(), String.join(" and ", parts)));
        }
        s.append(" A customer's empathy exposure is the mean QA empathy score of their contacts so far, corrected "
                + "for the contacts nobody scored.");
        coxTerm(Retention.RUNNING, Retention.ALL).ifPresent(c -> s.append(String.format(Locale.ROOT,
                " Overall, each 10 points more exposure went with a churn hazard %s (hazard ratio %s, %s to %s), "
                        + "comparing customers of the same segment with as many contacts so far.",
                change(c.term().estimate()), ratio(c.term().estimate()), ratio(c.term().ciLow()),
                ratio(c.term().ciHigh()))));
        for (String segment : high) {
            coxTerm(Retention.RUNNING, segment).ifPresent(c -> s.append(String.format(Locale.ROOT,
                    " Among %s customers it was %s (%s to %s, %,d customers, %,d left).", segment,
                    ratio(c.term().estimate()), ratio(c.term().ciLow()), ratio(c.term().ciHigh()), c.customers(),
                    c.events())));
        }
        int horizon = options.horizons().get(options.horizons().size() - 1);
        correlations.stream().filter(r -> r.get(0).equals(Retention.ALL) && r.get(2).equals(horizon)
                && r.get(3).equals("score") && r.get(4).equals("spearman") && !Double.isNaN((Double) r.get(5)))
                .findFirst()
                .ifPresent(r -> s.append(String.format(Locale.ROOT, " The rank correlation of a customer's mean "
                                + "score (over all their scored contacts) with still being a customer %d days after "
                                + "the first contact was %s (%s to %s, n = %,d).",
                        horizon, three(r.get(5)), three(r.get(6)), three(r.get(7)), (long) r.get(8))));
        coxTerm("documented_share_10", Retention.ALL).ifPresent(c -> s.append(String.format(Locale.ROOT,
                " Each 10 percentage points more of a customer's contacts with documented empathy went with a "
                        + "hazard ratio of %s (%s to %s).", ratio(c.term().estimate()),
                ratio(c.term().ciLow()), ratio(c.term().ciHigh()))));
        s.append(" This is an association, not proof that empathy causes customers to stay: customers who meet "
                + "more empathetic agents may differ in ways the data do not show.\n");
        return s.toString();
    }

    private Optional<Retention.CoxRow> coxTerm(String exposure, String segment) {
        return cox.stream().filter(c -> c.exposure().equals(exposure) && c.segment().equals(segment)
                && !Double.isNaN(c.term().stdError())).findFirst();
    }


    /** A log-scale figure as its ratio, two decimals. */
    private static String ratio(double log) {
        return Figures.two(Math.exp(log));
    }

    /** A log-scale figure as a change: "23% lower". */
    private static String change(double log) {
        return Figures.change(Math.exp(log));
    }

    private static String three(Object v) {
        return String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue());
    }
}
