package dev.empathy.cli;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkAbsorb;
import dev.empathy.jobs.fit.SparkLogit;
import dev.empathy.jobs.fit.SparkOls;
import dev.empathy.jobs.fit.SparkOrderedLogit;
import dev.empathy.jobs.fit.CannotFitException;
import dev.empathy.jobs.fit.SparkSurvival;
import dev.empathy.lib.survival.Ties;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunFolder;
import dev.empathy.jobs.store.Location;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.reports.fit.FitFiles;
import dev.empathy.reports.io.ReportFolder;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Fits a regression model with an R-style formula on any Parquet or CSV table, "
                + "prints an R-like summary and writes coefficients.csv and fit.csv into --output.",
                "Formula: y ~ a + b, a:b, a*b, C(x) (categorical), log(x), - 1 (no intercept)."})
final class FitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true,
            description = "A Parquet file or folder, or a CSV file with a header row (*.csv); a local path or a "
                    + "Hadoop FileSystem URI (hdfs://, s3a://).")
    String data;

    @Option(names = "--model", defaultValue = "ols",
            description = "ols (default), logit (response 0/1), ologit (proportional-odds logit, response with "
                    + "2 to 20 ordered numeric levels, e.g. CSAT 1-5), cox or km (formula Surv(time, event) ~ ...).")
    String model;

    @Option(names = "--ties", defaultValue = "efron", description = "Cox ties: efron (default) or breslow.")
    String ties;

    @Option(names = "--formula", required = true, description = "For example: csat ~ empathy_score + C(channel)")
    String formula;

    @Option(names = "--se", defaultValue = "classical", description = "classical (default), hc1 or cluster.")
    String se;

    @Option(names = "--cluster", description = "The cluster column for --se cluster.")
    String cluster;

    @Option(names = "--absorb", split = ",",
            description = "Factor column(s) to absorb as fixed effects (ols only), e.g. --absorb agent_id; "
                    + "the intercept is absorbed with them.")
    java.util.List<String> absorb = new java.util.ArrayList<>();

    @Option(names = "--output", required = true,
            description = "Folder for coefficients.csv and fit.csv; a local path or a Hadoop FileSystem URI.")
    String output;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        if (!java.util.List.of("ols", "logit", "ologit", "cox", "km").contains(model)) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "--model %s: expected ols, logit, ologit, cox or km", model));
        }
        Ties tieMethod;
        try {
            tieMethod = Ties.parse(ties);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--ties " + ties + ": expected efron or breslow");
        }
        boolean survival = model.equals("cox") || model.equals("km");
        if (survival && !se.equals("classical")) {
            throw new ParameterException(spec.commandLine(), "--se " + se + ": " + model + " reports classical errors only");
        }
        CovarianceType type;
        try {
            type = CovarianceType.parse(se);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--se: " + e.getMessage());
        }
        if (type == CovarianceType.CLUSTER && cluster == null) {
            throw new ParameterException(spec.commandLine(), "--se cluster needs --cluster COLUMN");
        }
        Formula parsed;
        try {
            parsed = Formula.parse(formula);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!absorb.isEmpty()) {
            if (!model.equals("ols")) {
                throw new ParameterException(spec.commandLine(), "--absorb works with --model ols");
            }
            parsed = new Formula(parsed.response(), parsed.event(), parsed.logResponse(), parsed.terms(), false,
                    parsed.start());
        }
        if (model.equals("ologit") && !parsed.intercept()) {
            throw new ParameterException(spec.commandLine(),
                    "--model ologit: the thresholds play the intercept, so the formula must keep it (remove '- 1' or '+ 0')");
        }
        if (survival != parsed.isSurvival()) {
            throw new ParameterException(spec.commandLine(), survival
                    ? "--model " + model + " needs a formula Surv(time, event) ~ ..."
                    : "Surv(time, event) is for --model cox or km");
        }
        Location dataAt = RunOptions.location(sparkOptions, spec, "--data", data);
        Location outputAt = RunOptions.location(sparkOptions, spec, "--output", output);
        if (!exists(dataAt)) {
            throw new ParameterException(spec.commandLine(), "--data " + data + ": no such file or folder");
        }
        requirePublished(dataAt);
        Progress progress = Progress.to(spec.commandLine().getErr());
        long began = System.nanoTime();
        SparkSession spark = sparkOptions.session();
        Dataset<Row> table = data.toLowerCase(Locale.ROOT).endsWith(".csv")
                ? spark.read().option("header", "true").option("inferSchema", "true").csv(dataAt.forSpark())
                : spark.read().parquet(dataAt.forSpark());
        ModelData bound = ModelData.bind(table, parsed, type == CovarianceType.CLUSTER ? cluster : null, absorb);
        progress.stage("fit", "bound " + parsed + " to " + data, began);
        OlsOptions options = OlsOptions.defaults().with(type);
        // Fit first, then write: a model refused for its data (exit 3) leaves --output untouched.
        Fitted fitted = switch (model) {
            case "km" -> {
                SparkSurvival.KmResult r = SparkSurvival.kaplanMeier(bound, options.confidenceLevel());
                yield new Fitted("Kaplan-Meier", kmSummary(r), r.rowsRead(), r.rowsUsed(),
                        folder -> FitFiles.writeKaplanMeier(folder, r.rows(), r.logRank()));
            }
            case "cox" -> {
                SparkSurvival.CoxResult r = SparkSurvival.cox(bound, tieMethod, options.confidenceLevel());
                yield new Fitted("Cox proportional hazards", r.fit(), r.rowsRead(), r.rowsUsed(),
                        folder -> FitFiles.writeCox(folder, r.fit()));
            }
            case "logit" -> {
                SparkLogit.Result r = SparkLogit.fit(bound, options);
                if (type == CovarianceType.CLUSTER) {
                    bound.requireClusters("logit", r.fit().clusters(), r.rowsRead(), r.rowsUsed());
                }
                yield new Fitted("Logistic regression (logit)", r.fit(), r.rowsRead(), r.rowsUsed(),
                        folder -> FitFiles.writeLogit(folder, r.fit()));
            }
            case "ologit" -> {
                SparkOrderedLogit.Result r = SparkOrderedLogit.fit(bound, options);
                if (r.fit().levels().size() < 2) {
                    throw new CannotFitException(String.format(Locale.ROOT,
                            "ologit: the response %s has a single level (%s) on the %,d rows used: nothing to order; "
                                    + "an ordered response needs 2 to %d levels", parsed.response(),
                            r.fit().levels().get(0), r.rowsUsed(), dev.empathy.lib.regression.OrderedLogit.MAX_LEVELS));
                }
                if (type == CovarianceType.CLUSTER) {
                    bound.requireClusters("ologit", r.fit().clusters(), r.rowsRead(), r.rowsUsed());
                }
                yield new Fitted("Ordered logit (proportional odds)", r.fit(), r.rowsRead(), r.rowsUsed(),
                        folder -> FitFiles.writeOrderedLogit(folder, r.fit()));
            }
            default -> {
                SparkOls.Result r = absorb.isEmpty() ? SparkOls.fit(bound, options, SparkOls.DRIVER_VALUES)
                        : SparkAbsorb.fit(bound, absorb, options);
                if (type == CovarianceType.CLUSTER) {
                    bound.requireClusters("ols", r.fit().statistics().clusters(), r.rowsRead(), r.rowsUsed());
                }
                progress.stage("fit", route(r), began);
                yield new Fitted(absorb.isEmpty() ? "Linear model (OLS)"
                        : "Linear model (OLS), fixed effects absorbed: " + String.join(", ", absorb),
                        r.fit(), r.rowsRead(), r.rowsUsed(), folder -> FitFiles.writeOls(folder, r.fit()));
            }
        };
        try (RunFolder folder = RunFolder.open(outputAt)) {
            fitted.writer().accept(folder.stagingFolder());
            folder.commit();
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %s%n", fitted.title(), parsed);
        out.printf(Locale.ROOT, "%,d rows read; %,d used", fitted.read(), fitted.used());
        out.printf(Locale.ROOT, fitted.read() > fitted.used() ? " (%,d deleted due to missingness)%n%n" : "%n%n",
                fitted.read() - fitted.used());
        out.print(fitted.summary());
        out.flush();
        progress.stage("fit", "wrote " + outputAt.absolute(), began);
        return Main.OK;
    }

    private static boolean exists(Location at) {
        try {
            return at.exists();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + at, e);
        }
    }

    /**
     * A table inside a run folder on an object store is read only once that run was completely
     * published: the run folder (the nearest folder above holding manifest.json) has its _SUCCESS.
     */
    private void requirePublished(Location at) {
        if (at.isLocal()) {
            return;
        }
        try {
            Location folder = at.absolute();
            for (int up = 0; up < 4 && folder != null && folder.hadoopPath().getParent() != null; up++) {
                if (folder.resolve("manifest.json").exists()) {
                    RunFolder.requireComplete(folder);
                    return;
                }
                folder = folder.parent();
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--data " + data + ": " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + at, e);
        }
    }

    /** A model fitted, not yet written: its summary, its row counts and how to write its files. */
    private record Fitted(String title, Object summary, long read, long used, Consumer<ReportFolder> writer) {
    }

    /** Where the least squares were solved, for the progress line. */
    private static String route(SparkOls.Result r) {
        return switch (r.route()) {
            case DRIVER -> String.format(Locale.ROOT, "solved on the driver (%,d rows x %d columns <= %,d values)",
                    r.rowsUsed(), r.spec().width(), SparkOls.DRIVER_VALUES);
            case CELLS -> String.format(Locale.ROOT, "solved over Spark by cells (%,d rows x %d columns > %,d values)",
                    r.rowsUsed(), r.spec().width(), SparkOls.DRIVER_VALUES);
            case DESIGN_ROWS -> "solved over Spark by design rows (too many cells for one pass)";
            case ABSORBED -> "solved over Spark with the fixed effects absorbed";
        };
    }

    private static String kmSummary(SparkSurvival.KmResult r) {
        StringBuilder s = new StringBuilder();
        java.util.Map<String, long[]> byGroup = new java.util.TreeMap<>();
        for (var row : r.rows()) {
            long[] c = byGroup.computeIfAbsent(row.group(), k -> new long[] {row.atRisk(), 0});
            c[1] += row.events();
        }
        s.append(String.format(Locale.ROOT, "%-20s %10s %10s%n", "group", "n", "events"));
        byGroup.forEach((g, c) -> s.append(String.format(Locale.ROOT, "%-20s %10d %10d%n", g, c[0], c[1])));
        if (r.logRank() != null) {
            s.append(String.format(Locale.ROOT, "%nLog-rank test: chi-square = %.4f on %d df, p = %.4g%n",
                    r.logRank().chiSquare(), r.logRank().df(), r.logRank().pValue()));
        }
        return s.toString();
    }
}
