package dev.empathy.jobs.retention;

import static dev.empathy.reports.text.Figures.percent;

import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.survival.SurvivalRow;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.text.Figures;
import dev.empathy.lib.survival.LogRank;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The retention charts (Kaplan-Meier curves by exposure band for each high-churn segment,
 * {@code km_<segment>.png}; hazard ratios by segment, {@code hazard_ratios.png}) and
 * {@code summary.md}. Only aggregates reach them: no customer ids.
 */
final class RetentionReport {

    private final Retention.Result result;
    private final Retention.Options options;
    private final List<Retention.SegmentRate> segments;
    private final List<Retention.CoxRow> cox;

    private RetentionReport(Retention.Result result) {
        this.result = result;
        this.options = result.options();
        this.segments = result.segments();
        this.cox = result.cox();
    }

    /** Every file of the job. */
    static void write(Retention.Result result, ReportFolder folder) {
        result.steps().write(folder);
        List<List<Object>> segmentRows = new ArrayList<>();
        for (Retention.SegmentRate s : result.segments()) {
            segmentRows.add(Arrays.asList(s.segment(), s.customers(), s.churned(), s.years(),
                    s.rate().estimate(), s.rate().low(), s.rate().high(),
                    Retention.highChurnCell(s.segment(), s.highChurn())));
        }
        CsvFile.write(folder, "segments.csv", List.of("segment", "customers", "churned",
                "customer_years", "churn_per_year", "ci_low", "ci_high", "high_churn"), segmentRows);
        List<List<Object>> correlations = new ArrayList<>();
        for (Retention.Correlation c : result.correlations()) {
            correlations.add(Arrays.asList(c.segment(), Retention.highChurnCell(c.segment(), c.highChurn()),
                    c.horizonDays(), c.exposure(), c.measure(), c.value().estimate(), c.value().low(),
                    c.value().high(), c.customers(), c.retained(), c.note()));
        }
        CsvFile.write(folder, "correlation.csv", List.of("segment", "high_churn", "horizon_days",
                "exposure", "measure", "estimate", "ci_low", "ci_high", "customers", "retained", "note"),
                correlations);
        List<List<Object>> km = new ArrayList<>();
        for (Retention.CurveStep c : result.curves()) {
            SurvivalRow s = c.step();
            km.add(Arrays.asList(c.segment(), s.group(), s.time(), s.atRisk(), s.events(), s.censored(),
                    s.survival(), s.stdError(), s.ciLow(), s.ciHigh()));
        }
        CsvFile.write(folder, "km.csv", List.of("segment", "band", "days", "at_risk", "events",
                "censored", "survival", "std_error", "ci_low", "ci_high"), km);
        List<List<Object>> logRank = new ArrayList<>();
        for (Retention.BandTest t : result.logRank()) {
            LogRank.Result test = t.test();
            logRank.add(Arrays.asList(t.segment(), Retention.highChurnCell(t.segment(), t.highChurn()),
                    t.lowUpper(), t.middleUpper(), test == null ? null : test.chiSquare(),
                    test == null ? null : test.df(), test == null ? null : test.pValue(), t.customers(),
                    t.events(), t.note()));
        }
        CsvFile.write(folder, "logrank.csv", List.of("segment", "high_churn", "low_upper",
                "middle_upper", "chi_square", "df", "p_value", "customers", "events", "note"), logRank);
        List<List<Object>> coxRows = new ArrayList<>();
        for (Retention.CoxRow c : result.cox()) {
            Estimate e = c.term();
            Estimate.Ratio hr = e.ratio();
            coxRows.add(Arrays.asList(Retention.EXPOSURES.get(c.exposure()),
                    c.segment(), Retention.highChurnCell(c.segment(), c.highChurn()), e.term(),
                    e.estimate(), e.stdError(), e.pValue(), hr.value(), hr.low(), hr.high(), c.customers(),
                    c.events(), c.note()));
        }
        CsvFile.write(folder, "cox.csv", List.of("exposure", "segment", "high_churn", "term",
                "estimate", "std_error", "p_value", "hazard_ratio", "hr_ci_low", "hr_ci_high", "customers",
                "events", "note"), coxRows);
        new RetentionReport(result).charts(folder);
        folder.text("summary.md", new RetentionReport(result).summary());
    }

    List<String> highChurn() {
        return segments.stream().filter(Retention.SegmentRate::highChurn).map(Retention.SegmentRate::segment).toList();
    }

    private void charts(ReportFolder folder) {
        for (String segment : highChurn()) {
            List<SurvivalRow> rows = result.curves().stream().filter(c -> c.segment().equals(segment))
                    .map(Retention.CurveStep::step).toList();
            if (rows.isEmpty()) {
                continue;
            }
            List<Charts.Band> bands = new ArrayList<>();
            for (String band : Retention.BANDS) {
                List<SurvivalRow> one = rows.stream().filter(r -> r.group().equals(band)).toList();
                if (!one.isEmpty()) {
                    bands.add(steps(band + " exposure", one));
                }
            }
            Charts.bands(folder, "km_" + fileName(segment) + ".png",
                    "Customers kept, by empathy exposure: " + segment,
                    String.format(Locale.ROOT, "Kaplan-Meier estimate with 95%% band, by tertile of the customer's "
                            + "mean QA empathy score; n = %,d customers", count(segment)),
                    "days since first contact", "customers kept (%)", bands);
        }
        List<Charts.Interval> items = new ArrayList<>();
        for (Retention.CoxRow c : cox) {
            if (c.exposure().equals(Retention.RUNNING) && !Double.isNaN(c.term().stdError())) {
                Estimate.Ratio hr = c.term().ratio();
                String label = c.segment() + (c.highChurn() ? " (high churn)" : "");
                items.add(new Charts.Interval(label, hr.value(), hr.low(), hr.high()));
            }
        }
        Charts.intervals(folder, "hazard_ratios.png", "Churn hazard per +10 points of empathy exposure",
                "Cox hazard ratio with 95% interval (empathy met so far, corrected for unscored contacts), adjusted "
                        + "for contact count (and segment, overall); below 1 = customers kept longer",
                "hazard ratio per +10 points", items, 1);
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
        return result.logRank().stream().filter(r -> r.segment().equals(segment))
                .map(Retention.BandTest::customers).findFirst().orElse(0L);
    }

    static String fileName(String segment) {
        return segment.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    String summary() {
        StringBuilder s = new StringBuilder("# Retention and empathy\n\n");
        Retention.SegmentRate all = segments.get(0);
        if (all.customers() == 0) {
            s.append("No customer with a customer record could be followed from a contact in the data, so nothing "
                    + "could be estimated.\n");
            return s.toString();
        }
        if (!(all.years() > 0)) {
            s.append(String.format(Locale.ROOT, "We followed %,d customers from their first contact in the data. "
                    + "No customer was followed for a day (their contacts, and any churn, fall on the day of their "
                    + "first contact in the data), so churn per customer-year could not be estimated and churn "
                    + "could not be related to empathy.\n", all.customers()));
            return s.toString();
        }
        if (all.churned() == 0) {
            // A rate of 0 with an upper bound from a few customer-days says nothing: no rate, in words.
            s.append(String.format(Locale.ROOT, "We followed %,d %s from their first contact in the data for %s. "
                            + "No customer left during the data, so churn could not be related to empathy.\n",
                    all.customers(), all.customers() == 1 ? "customer" : "customers", all.years() >= 10
                            ? String.format(Locale.ROOT, "%,.0f customer-years", all.years())
                            : String.format(Locale.ROOT, "%,.0f customer-days", all.years() * Retention.DAYS_PER_YEAR)));
            return s.toString();
        }
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
        List<String> nobodyLeft = segments.stream().skip(1).filter(r -> r.churned() == 0)
                .map(Retention.SegmentRate::segment).toList();
        for (String segment : nobodyLeft) {
            s.append(String.format(Locale.ROOT, " Nobody in the %s segment left, so churn could not be related to "
                    + "empathy there.", segment));
        }
        if (result.steps().counts().getOrDefault("used", 0L) == 0) {
            s.append(" No contact had a QA empathy score, so the empathy customers met could not be measured or "
                    + "related to churn.\n");
            return s.toString();
        }
        s.append(" A customer's empathy exposure is the mean QA empathy score of their contacts so far, corrected "
                + "for the contacts nobody scored.");
        if (!result.scoreVaries()) {
            s.append(" Every customer's mean score was the same, so the score could not be related to churn.");
        }
        Optional<Retention.CoxRow> overall = coxTerm(Retention.RUNNING, Retention.ALL);
        if (overall.isEmpty() && result.scoreVaries()) {
            s.append(" The overall model of churn on the empathy met so far could not be fitted.");
        }
        overall.ifPresent(c -> s.append(String.format(Locale.ROOT,
                " Overall, each 10 points more exposure went with a churn hazard %s (hazard ratio %s, %s to %s), "
                        + "comparing customers of the same segment with as many contacts so far.",
                change(c.term().estimate()), ratio(c.term().estimate()), ratio(c.term().ciLow()),
                ratio(c.term().ciHigh()))));
        for (String segment : high) {
            coxTerm(Retention.RUNNING, segment).ifPresent(c -> s.append(String.format(Locale.ROOT,
                    " Among %s customers it was %s (%s to %s, %,d customers, %,d left).", segment,
                    ratio(c.term().estimate()), ratio(c.term().ciLow()), ratio(c.term().ciHigh()), c.customers(),
                    c.events())));
            if (coxTerm(Retention.RUNNING, segment).isEmpty() && result.scoreVaries()) {
                s.append(String.format(Locale.ROOT, " Among %s customers it could not be estimated.", segment));
            }
        }
        int horizon = options.horizons().get(options.horizons().size() - 1);
        result.correlations().stream().filter(r -> r.segment().equals(Retention.ALL) && r.horizonDays() == horizon
                && r.exposure().equals("score") && r.measure().equals("spearman")
                && !Double.isNaN(r.value().estimate()))
                .findFirst()
                .ifPresent(r -> s.append(String.format(Locale.ROOT, " The rank correlation of a customer's mean "
                                + "score (over all their scored contacts) with still being a customer %d days after "
                                + "the first contact was %s (%s to %s, n = %,d).",
                        horizon, three(r.value().estimate()), three(r.value().low()), three(r.value().high()),
                        r.customers())));
        coxTerm("documented_share_10", Retention.ALL).ifPresent(c -> s.append(String.format(Locale.ROOT,
                " Each 10 percentage points more of a customer's contacts with documented empathy went with a "
                        + "hazard ratio of %s (%s to %s).", ratio(c.term().estimate()),
                ratio(c.term().ciLow()), ratio(c.term().ciHigh()))));
        if (!result.documentedVaries()) {
            s.append(" Every customer had documented empathy on the same share of their contacts, so the documented "
                    + "share could not be related to churn.");
        }
        s.append(" This is an association, not proof that empathy causes customers to stay: customers who meet "
                + "more empathetic agents may differ in ways the data do not show.\n");
        return s.toString();
    }

    /** A model's exposure term that a sentence can quote: estimated, with a finite, non-zero interval. */
    private Optional<Retention.CoxRow> coxTerm(String exposure, String segment) {
        return cox.stream().filter(c -> c.exposure().equals(exposure) && c.segment().equals(segment)
                && !Double.isNaN(c.term().stdError()) && Double.isFinite(c.term().ratio().high())
                && c.term().ratio().low() > 0).findFirst();
    }


    /** A log-scale figure as its ratio, two decimals. */
    private static String ratio(double log) {
        return Figures.two(Math.exp(log));
    }

    /** A log-scale figure as a change: "23% lower". */
    private static String change(double log) {
        return Figures.change(Math.exp(log));
    }

    private static String three(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
