package dev.empathy.reports.fit;

import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.FitStatistics;
import dev.empathy.lib.regression.LogitFit;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OrderedLogitFit;
import dev.empathy.lib.survival.CoxFit;
import dev.empathy.lib.survival.LogRank;
import dev.empathy.lib.survival.SurvivalRow;
import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code coefficients.csv} and {@code fit.csv} of the data contract (section 3), for one model
 * or, with a leading {@code model} column, for several (as {@code csat-effect} writes them).
 */
public final class FitFiles {

    public static final List<String> COEFFICIENT_COLUMNS = List.of(
            "term", "estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high", "se_type");
    public static final List<String> FIT_COLUMNS = List.of(
            "n", "k", "r_squared", "adj_r_squared", "f_statistic", "rmse", "clusters", "log_likelihood");

    /** A fitted model under a name: an {@link OlsFit}, a {@link LogitFit} or an {@link OrderedLogitFit}. */
    public record Named(String model, Object fit) {
        public Named {
            if (!(fit instanceof OlsFit) && !(fit instanceof LogitFit) && !(fit instanceof OrderedLogitFit)) {
                throw new IllegalArgumentException("a linear, logit or ordered logit fit is expected, got " + fit);
            }
        }
    }

    private FitFiles() {
    }

    public static void writeOls(ReportFolder folder, OlsFit fit) {
        CsvFile.write(folder, "coefficients.csv", COEFFICIENT_COLUMNS, coefficientRows(fit, null));
        CsvFile.write(folder, "fit.csv", FIT_COLUMNS, List.of(fitRow(fit, null)));
    }

    /**
     * Several models, each row led by its {@code model} name; {@code coefficients.csv} ends with
     * {@code exp_estimate} (the odds ratio of a logit, empty for a linear model), and a logit's
     * row of {@code fit.csv} leaves the least-squares figures empty. An ordered logit's rows are
     * its coefficients then its thresholds ({@code 1|2}, ...), as {@link #writeOrderedLogit}
     * writes them, and its {@code k} counts the thresholds.
     */
    public static void writeModels(ReportFolder folder, List<Named> fits) {
        List<String> coefficientHeader = new ArrayList<>(List.of("model"));
        coefficientHeader.addAll(COEFFICIENT_COLUMNS);
        coefficientHeader.add("exp_estimate");
        List<String> fitHeader = new ArrayList<>(List.of("model"));
        fitHeader.addAll(FIT_COLUMNS);
        List<List<Object>> coefficients = new ArrayList<>();
        List<List<Object>> fitRows = new ArrayList<>();
        for (Named n : fits) {
            if (n.fit() instanceof OlsFit ols) {
                for (List<Object> row : coefficientRows(ols, n.model())) {
                    row.add(null);
                    coefficients.add(row);
                }
                fitRows.add(fitRow(ols, n.model()));
            } else if (n.fit() instanceof OrderedLogitFit ordered) {
                for (List<Object> row : rows(ordered.estimates(), ordered.covarianceType(), n.model())) {
                    row.add(Math.exp((Double) row.get(2)));
                    coefficients.add(row);
                }
                List<Object> fitRow = new ArrayList<>(List.of(n.model()));
                fitRow.addAll(orderedFitRow(ordered));
                fitRows.add(fitRow);
            } else {
                LogitFit logit = (LogitFit) n.fit();
                for (List<Object> row : rows(logit.estimates(), logit.covarianceType(), n.model())) {
                    row.add(Math.exp((Double) row.get(2)));
                    coefficients.add(row);
                }
                fitRows.add(logitFitRow(logit, n.model()));
            }
        }
        CsvFile.write(folder, "coefficients.csv", coefficientHeader, coefficients);
        CsvFile.write(folder, "fit.csv", fitHeader, fitRows);
    }

    /**
     * A logistic regression: {@code coefficients.csv} with {@code exp_estimate} (the odds ratio)
     * last, and {@code fit.csv} with n, k, clusters and the log-likelihood (the least-squares
     * figures left empty).
     */
    public static void writeLogit(ReportFolder folder, LogitFit fit) {
        List<String> header = new ArrayList<>(COEFFICIENT_COLUMNS);
        header.add("exp_estimate");
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : rows(fit.estimates(), fit.covarianceType(), null)) {
            row.add(Math.exp((Double) row.get(1)));
            rows.add(row);
        }
        CsvFile.write(folder, "coefficients.csv", header, rows);
        CsvFile.write(folder, "fit.csv", FIT_COLUMNS, List.of(logitFitRow(fit, null)));
    }

    /**
     * A proportional-odds logit: {@code coefficients.csv} with the coefficients, then the
     * thresholds as rows named {@code 1|2}, {@code 2|3}, ... (R's polr names), and
     * {@code exp_estimate} last (the odds ratio of a higher over a lower response for a
     * coefficient, the cumulative odds {@code P(Y <= j) / P(Y > j)} at zero covariates for a
     * threshold); {@code fit.csv} with n, k (every parameter, thresholds included, as polr's
     * {@code edf}), clusters and the log-likelihood.
     */
    public static void writeOrderedLogit(ReportFolder folder, OrderedLogitFit fit) {
        List<String> header = new ArrayList<>(COEFFICIENT_COLUMNS);
        header.add("exp_estimate");
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : rows(fit.estimates(), fit.covarianceType(), null)) {
            row.add(Math.exp((Double) row.get(1)));
            rows.add(row);
        }
        CsvFile.write(folder, "coefficients.csv", header, rows);
        CsvFile.write(folder, "fit.csv", FIT_COLUMNS, List.of(orderedFitRow(fit)));
    }

    private static List<Object> orderedFitRow(OrderedLogitFit fit) {
        return new ArrayList<>(java.util.Arrays.asList(fit.n(), fit.parameters(), null, null, null, null,
                fit.clusters() == 0 ? null : fit.clusters(), fit.logLikelihood()));
    }

    /** A Cox model: hazard ratios in {@code exp_estimate}; {@code fit.csv} with n, k and the partial log-likelihood. */
    public static void writeCox(ReportFolder folder, CoxFit fit) {
        List<String> header = new ArrayList<>(COEFFICIENT_COLUMNS);
        header.add("exp_estimate");
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : rows(fit.estimates(), CovarianceType.CLASSICAL, null)) {
            row.add(Math.exp((Double) row.get(1)));
            rows.add(row);
        }
        CsvFile.write(folder, "coefficients.csv", header, rows);
        List<Object> fitRow = new ArrayList<>(java.util.Arrays.asList(fit.n(), fit.estimates().size(), null, null, null,
                null, null, fit.logLikelihood()));
        CsvFile.write(folder, "fit.csv", FIT_COLUMNS, List.of(fitRow));
    }

    public static final List<String> SURVIVAL_COLUMNS = List.of(
            "group", "time", "at_risk", "events", "censored", "survival", "std_error", "ci_low", "ci_high");

    /** Kaplan-Meier: {@code survival.csv}, and {@code logrank.csv} when there are two groups or more. */
    public static void writeKaplanMeier(ReportFolder folder, List<SurvivalRow> curve, LogRank.Result test) {
        List<List<Object>> rows = new ArrayList<>();
        for (SurvivalRow r : curve) {
            rows.add(java.util.Arrays.asList(r.group(), r.time(), r.atRisk(), r.events(), r.censored(), r.survival(),
                    r.stdError(), r.ciLow(), r.ciHigh()));
        }
        CsvFile.write(folder, "survival.csv", SURVIVAL_COLUMNS, rows);
        if (test != null) {
            CsvFile.write(folder, "logrank.csv", List.of("chi_square", "df", "p_value"),
                    List.of(List.of(test.chiSquare(), test.df(), test.pValue())));
        }
    }

    private static List<List<Object>> coefficientRows(OlsFit fit, String model) {
        return rows(fit.estimates(), fit.covarianceType(), model);
    }

    private static List<List<Object>> rows(List<Estimate> estimates, CovarianceType type, String model) {
        List<List<Object>> rows = new ArrayList<>();
        for (Estimate e : estimates) {
            List<Object> row = new ArrayList<>();
            if (model != null) {
                row.add(model);
            }
            row.addAll(List.of(e.term(), e.estimate(), e.stdError(), e.statistic(), e.pValue(), e.ciLow(), e.ciHigh(),
                    type.label()));
            rows.add(row);
        }
        return rows;
    }

    /** A logit's row of {@code fit.csv}: n, k, clusters and the log-likelihood; the least-squares figures empty. */
    private static List<Object> logitFitRow(LogitFit fit, String model) {
        List<Object> row = new ArrayList<>();
        if (model != null) {
            row.add(model);
        }
        row.addAll(java.util.Arrays.asList(fit.n(), fit.k(), null, null, null, null,
                fit.clusters() == 0 ? null : fit.clusters(), fit.logLikelihood()));
        return row;
    }

    private static List<Object> fitRow(OlsFit fit, String model) {
        FitStatistics s = fit.statistics();
        List<Object> row = new ArrayList<>();
        if (model != null) {
            row.add(model);
        }
        row.add(s.n());
        row.add(s.k());
        row.add(s.rSquared());
        row.add(s.adjRSquared());
        row.add(s.fStatistic());
        row.add(s.rmse());
        row.add(s.clusters() == 0 ? null : s.clusters());
        row.add(s.logLikelihood());
        return row;
    }
}
