package dev.empathy.cli.bench;

import dev.empathy.jobs.spark.SparkSessions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code empathy bench fit}: times, on the same seeded Parquet files, OLS with cluster standard
 * errors (ours), Spark MLlib's pipeline (StringIndexer + OneHotEncoder + VectorAssembler +
 * LinearRegression with the normal solver, classical errors only) and the floor (a job that
 * only reads the same columns and sums them). Each run of each variant is its own JVM, so
 * session start counts; variants alternate within a round so machine noise spreads evenly.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Fit.class, BenchNightly.class, BenchText.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: fit, nightly or text");
    }

    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = {"Times our OLS (cluster errors) against MLlib's pipeline and a read-and-sum floor; "
                    + "with --variants also our logit and Cox.",
                    "Prints every run, the medians, the ratios and each variant's peak memory (VmHWM)."})
    static final class Fit implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--rows", defaultValue = "10000000", description = "Rows (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(names = "--runs", defaultValue = "3", description = "Runs of each variant (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--data", defaultValue = "target/bench-data",
                description = "Where the generated Parquet goes; reused when it has the same rows.")
        Path data;

        @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
        String master;

        @Option(names = "--variants", split = ",", defaultValue = "floor,ours,mllib",
                description = {"What to time (default: ${DEFAULT-VALUE}): floor (read and sum), ours (OLS, cluster "
                        + "errors), mllib (MLlib's pipeline), logit (logit, cluster errors), cox (Cox, Efron ties)."})
        List<String> variants;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            for (String v : variants) {
                if (!List.of("floor", "ours", "mllib", "logit", "cox").contains(v)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown variant '" + v
                            + "': use floor, ours, mllib, logit or cox");
                }
            }
            Path folder = data.resolve("rows-" + rows);
            String ready = rows + " v" + BenchData.VERSION;
            Path marker = folder.resolve("_READY");
            if (!Files.exists(marker) || !Files.readString(marker).equals(ready)) {
                err.printf(Locale.ROOT, "bench: writing %,d rows to %s%n", rows, folder);
                var spark = SparkSessions.getOrCreate(master, false);
                BenchData.write(spark, rows, folder.toString());
                spark.stop();
                Files.writeString(marker, ready);
            }
            Map<String, List<double[]>> times = new LinkedHashMap<>();
            Map<String, List<String>> lines = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                for (String variant : variants) {
                    String line = child(variant, folder.toString());
                    err.printf(Locale.ROOT, "bench: run %d %s%n", run, line);
                    String[] p = line.split(" ");
                    times.computeIfAbsent(variant, k -> new ArrayList<>())
                            .add(new double[] {Double.parseDouble(p[1]), Double.parseDouble(p[2])});
                    lines.computeIfAbsent(variant, k -> new ArrayList<>()).add(line);
                }
            }
            out.printf(Locale.ROOT, "rows %,d, %d runs each, %d cores, master %s%n", rows, runs,
                    Runtime.getRuntime().availableProcessors(), master);
            Map<String, Double> median = new LinkedHashMap<>();
            for (var e : times.entrySet()) {
                double[] t = e.getValue().stream().mapToDouble(v -> v[0]).sorted().toArray();
                double m = t[t.length / 2];
                median.put(e.getKey(), m);
                double peak = e.getValue().stream().mapToDouble(v -> v[1]).max().orElse(0) / 1024;
                out.printf(Locale.ROOT, "%-6s median %7.1f s  (runs %s)  peak RSS %,.0f MiB%n", e.getKey(), m,
                        Arrays.toString(Arrays.stream(t).map(v -> Math.round(v * 10) / 10.0).toArray()), peak);
                lines.get(e.getKey()).forEach(l -> out.println("         " + l));
            }
            if (median.containsKey("ours") && median.containsKey("mllib")) {
                out.printf(Locale.ROOT, "ours / mllib = %.2f (bar <= 0.30)%n", median.get("ours") / median.get("mllib"));
            }
            for (String v : List.of("ours", "logit", "cox")) {
                if (median.containsKey(v) && median.containsKey("floor")) {
                    out.printf(Locale.ROOT, "%s / floor = %.2f%s%n", v, median.get(v) / median.get("floor"),
                            v.equals("ours") ? " (bar <= 1.40)" : "");
                }
            }
            return 0;
        }

        private String child(String variant, String folder) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("dev.empathy.cli.Main");
            command.addAll(List.of("bench-run", variant, "--data", folder, "--master", master));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String result = null;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(variant + " ")) {
                        result = line;
                    }
                }
            }
            int code = p.waitFor();
            if (code != 0 || result == null) {
                throw new IllegalStateException("bench run " + variant + " failed with exit code " + code);
            }
            return result;
        }
    }
}
