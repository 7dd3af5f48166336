package dev.empathy.cli.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.empathy.jobs.spark.SparkSessions;
import dev.empathy.jobs.text.TurnScores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code empathy bench text}: the throughput of turn scoring against the Spark floor of reading
 * the turns table, on the generated tables of {@code bench nightly} (the same folder). Three
 * variants, alternated within each round in one JVM: {@code read} (the columns scoring reads,
 * summed), {@code join} (the same joined to the interactions' language, as scoring does) and
 * {@code score} (the join, then every turn scored by {@link TurnScores}, counted by source).
 * Scoring's own cost is {@code score - join}.
 */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = {"Times turn scoring against reading the turns table (and the join it needs).",
                "Prints every run, the medians, turns per second and the ratios."})
final class BenchText implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--interactions", defaultValue = "1000000",
            description = "Interactions to generate (default: ${DEFAULT-VALUE}).")
    long interactions;

    @Option(names = "--runs", defaultValue = "3", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--data", defaultValue = "target/bench-nightly",
            description = "Where the generated tables go; shared with bench nightly and reused for the same size.")
    Path data;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Path input = BenchNightly.generated(data, interactions, err);
        SparkSession spark = SparkSessions.getOrCreate(master, false);
        Dataset<Row> turns = spark.read().parquet(input.resolve("turns").toString());
        Dataset<Row> interactionsTable = spark.read().parquet(input.resolve("interactions").toString());
        long rows = turns.count();
        Map<String, Supplier<Object>> variants = new LinkedHashMap<>();
        variants.put("read", () -> turns.select(col("interaction_id"), col("turn_index"), col("speaker"), col("text"),
                col("sentiment")).agg(count(lit(1)), sum(length(col("text"))), sum(col("sentiment")),
                sum(length(col("interaction_id"))), sum(col("turn_index"))).collectAsList());
        variants.put("join", () -> turns.join(interactionsTable.select("interaction_id", "language"), "interaction_id")
                .agg(count(lit(1)), sum(length(col("text"))), sum(col("sentiment")), sum(length(col("language"))))
                .collectAsList());
        variants.put("score", () -> TurnScores.of(spark, turns, interactionsTable).groupBy(col("source")).count()
                .collectAsList());
        Map<String, List<Double>> times = new LinkedHashMap<>();
        for (int run = 0; run <= runs; run++) {
            for (var v : variants.entrySet()) {
                long began = System.nanoTime();
                Object result = v.getValue().get();
                double seconds = (System.nanoTime() - began) / 1e9;
                // Round 0 warms the JVM and Spark's code generation; it is printed, not counted.
                err.printf(Locale.ROOT, "bench: round %d %s %.1f s %s%n", run, v.getKey(), seconds,
                        run == 0 ? result : "");
                if (run > 0) {
                    times.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(seconds);
                }
            }
        }
        out.printf(Locale.ROOT, "turns %,d (from %,d interactions), %d rounds, %d cores, master %s%n", rows,
                interactions, runs, Runtime.getRuntime().availableProcessors(), master);
        Map<String, Double> median = new LinkedHashMap<>();
        for (var e : times.entrySet()) {
            double[] t = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double m = t[t.length / 2];
            median.put(e.getKey(), m);
            out.printf(Locale.ROOT, "%-6s median %7.1f s  %,12.0f turns/s  (runs %s)%n", e.getKey(), m, rows / m,
                    e.getValue());
        }
        out.printf(Locale.ROOT, "score / read = %.2f, score / join = %.2f; scoring alone about %,.0f turns/s%n",
                median.get("score") / median.get("read"), median.get("score") / median.get("join"),
                rows / Math.max(1e-9, median.get("score") - median.get("join")));
        return 0;
    }
}
