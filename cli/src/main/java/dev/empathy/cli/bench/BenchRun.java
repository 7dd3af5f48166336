package dev.empathy.cli.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.empathy.jobs.fit.ModelData;
import dev.empathy.jobs.fit.SparkLogit;
import dev.empathy.jobs.fit.SparkOls;
import dev.empathy.jobs.fit.SparkSurvival;
import dev.empathy.jobs.spark.SparkSessions;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.survival.Ties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One timed variant in its own JVM (so session start counts): {@code ours} (OLS, cluster
 * errors), {@code mllib}, {@code floor}, {@code logit} (cluster errors) or {@code cox} (Efron). Prints one line: {@code variant seconds peak_rss_kb phase=seconds...}.
 */
@Command(name = "bench-run", hidden = true)
public final class BenchRun implements Callable<Integer> {

    @Parameters(index = "0")
    String variant;

    @Option(names = "--data", required = true)
    String data;

    @Option(names = "--master", defaultValue = "local[*]")
    String master;

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        SparkSession spark = SparkSessions.getOrCreate(master, false);
        List<String> phases = new ArrayList<>();
        phases.add(String.format(Locale.ROOT, "session=%.1f", (System.nanoTime() - t0) / 1e9));
        Dataset<Row> d = spark.read().parquet(data);
        long t1 = System.nanoTime();
        switch (variant) {
            case "floor" -> {
                List<Column> sums = new ArrayList<>();
                for (int j = 1; j <= 12; j++) {
                    sums.add(sum(col("x" + j)));
                }
                sums.add(sum(col("y")));
                sums.add(sum(col("g")));
                sums.add(org.apache.spark.sql.functions.count(col("c1")));
                sums.add(org.apache.spark.sql.functions.count(col("c2")));
                sums.add(org.apache.spark.sql.functions.count(col("c3")));
                d.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).collect();
                phases.add(String.format(Locale.ROOT, "read_and_sum=%.1f", (System.nanoTime() - t1) / 1e9));
            }
            case "ours" -> {
                ModelData model = ModelData.bind(d, Formula.parse(BenchData.FORMULA), "g");
                long t2 = System.nanoTime();
                phases.add(String.format(Locale.ROOT, "bind=%.1f", (t2 - t1) / 1e9));
                // As empathy fit: from about 145,000 rows (29 columns) the data stay on the by-cell route.
                SparkOls.Result r = SparkOls.fit(model, OlsOptions.defaults().with(CovarianceType.CLUSTER),
                        SparkOls.DRIVER_VALUES);
                phases.add(String.format(Locale.ROOT, "fit=%.1f", (System.nanoTime() - t2) / 1e9));
                phases.add("route=" + r.route().name().toLowerCase(Locale.ROOT));
                phases.add("k=" + r.fit().statistics().k());
                phases.add("n=" + r.fit().statistics().n());
            }
            case "logit" -> {
                SparkLogit.Result r = SparkLogit.fit(ModelData.bind(d, Formula.parse(BenchData.LOGIT), "g"),
                        OlsOptions.defaults().with(CovarianceType.CLUSTER));
                phases.add(String.format(Locale.ROOT, "fit=%.1f", (System.nanoTime() - t1) / 1e9));
                phases.add("k=" + r.fit().estimates().size());
                phases.add("n=" + r.rowsUsed());
            }
            case "cox" -> {
                SparkSurvival.CoxResult r = SparkSurvival.cox(ModelData.bind(d, Formula.parse(BenchData.COX), null),
                        Ties.EFRON, 0.95);
                phases.add(String.format(Locale.ROOT, "fit=%.1f", (System.nanoTime() - t1) / 1e9));
                phases.add("k=" + r.fit().estimates().size());
                phases.add("n=" + r.rowsUsed());
            }
            case "mllib" -> {
                List<PipelineStage> stages = new ArrayList<>();
                List<String> features = new ArrayList<>();
                for (int j = 1; j <= 12; j++) {
                    features.add("x" + j);
                }
                for (String c : List.of("c1", "c2", "c3")) {
                    stages.add(new StringIndexer().setInputCol(c).setOutputCol(c + "_i").setStringOrderType("alphabetAsc"));
                }
                stages.add(new OneHotEncoder().setInputCols(new String[] {"c1_i", "c2_i", "c3_i"})
                        .setOutputCols(new String[] {"c1_v", "c2_v", "c3_v"}));
                features.addAll(List.of("c1_v", "c2_v", "c3_v"));
                stages.add(new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("features"));
                stages.add(new LinearRegression().setSolver("normal").setLabelCol("y").setFeaturesCol("features"));
                PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(d);
                LinearRegressionModel lr = (LinearRegressionModel) model.stages()[model.stages().length - 1];
                double[] se = lr.summary().coefficientStandardErrors();
                phases.add(String.format(Locale.ROOT, "pipeline_fit=%.1f", (System.nanoTime() - t1) / 1e9));
                phases.add("k=" + se.length);
            }
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }
        double total = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s %.2f %d %s%n", variant, total, peakRssKb(), String.join(" ", phases));
        System.out.flush();
        return 0;
    }

    private static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
