package dev.empathy.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.run.HeapWatch;
import dev.empathy.jobs.run.RunFolder;
import dev.empathy.jobs.store.Location;
import dev.empathy.sample.Generator;
import dev.empathy.sample.GeneratorParams;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code empathy bench nightly}: the whole nightly on generated data of a given size, each run
 * in its own JVM (as a scheduler starts it), timed end to end, with every job's duration from
 * the run's manifest, the run's peak memory (the child's VmHWM, read while it runs), its CPU by
 * kind of thread ({@link ThreadCpu}: executor tasks, JIT compilers, garbage collector, driver,
 * other; each kind's median over the runs) and each
 * stage's peak heap after garbage collections (from the child's progress lines, {@link
 * dev.empathy.jobs.run.HeapWatch}). The
 * generated tables are kept and reused for the same size and seed. The bar: 10M interactions
 * within 10 minutes on 2 cores.
 */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Times the whole nightly on generated data, each run in its own JVM.",
                "Prints every run, the median, each job's median duration (from the manifest), peak memory and",
                "the CPU by kind of thread (executor tasks, JIT compilers, garbage collector, driver, other)."})
final class BenchNightly implements Callable<Integer> {

    /** The mission's bar: nightly at 10M interactions within 10 minutes on 2 cores. */
    static final double BAR_SECONDS = 600;

    @Spec
    CommandSpec spec;

    @Option(names = "--interactions", defaultValue = "10000000",
            description = "Interactions to generate (default: ${DEFAULT-VALUE}).")
    long interactions;

    @Option(names = "--runs", defaultValue = "1", description = "Runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--data", defaultValue = "target/bench-nightly",
            description = "Where the generated tables and the runs go; tables are reused for the same size.")
    Path data;

    @Option(names = "--order", paramLabel = "customer|time", defaultValue = "customer",
            description = "The order of the generated interactions, as generate --order takes it: "
                    + "customer (as simulated) or time (by contact time, as an export would hold them; kept in "
                    + "interactions-N-time) (default: ${DEFAULT-VALUE}).")
    String order;

    @Option(names = "--master", defaultValue = "local[*]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--driver-memory", defaultValue = "8g",
            description = "The child JVM's -Xmx (default: ${DEFAULT-VALUE}).")
    String driverMemory;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting passed to each run's nightly (repeatable), for example "
                    + "spark.eventLog.enabled=true to profile the run.")
    List<String> conf = new ArrayList<>();

    @Option(names = "--parallel-jobs", paramLabel = "N", defaultValue = "2",
            description = "Passed to each run's nightly: how many jobs run at the same time (default: ${DEFAULT-VALUE}).")
    int parallelJobs;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (interactions < 1 || runs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--interactions and --runs must be at least 1");
        }
        GeneratorParams.Order rowOrder;
        try {
            rowOrder = GeneratorParams.Order.parse(order);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        Path input = generated(data, interactions, rowOrder, err);
        List<Double> totals = new ArrayList<>();
        List<Long> peaks = new ArrayList<>();
        Map<ThreadCpu.Kind, List<Double>> cpu = new EnumMap<>(ThreadCpu.Kind.class);
        List<Double> cpuTotals = new ArrayList<>();
        Map<String, List<Double>> jobs = new LinkedHashMap<>();
        Map<String, String> status = new LinkedHashMap<>();
        Map<String, Long> heaps = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            Path output = data.resolve("runs");
            String runDate = String.format(Locale.ROOT, "2099-01-%02d", run);
            deleteRecursively(output.resolve(runDate));
            long began = System.nanoTime();
            Watched watched = child(input, output, runDate);
            long peak = watched.peakKiB();
            ThreadCpu threads = watched.cpu();
            double seconds = (System.nanoTime() - began) / 1e9;
            totals.add(seconds);
            peaks.add(peak);
            cpuTotals.add(threads.totalSeconds());
            threads.seconds().forEach((k, v) -> cpu.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            JsonNode manifest = new ObjectMapper().readTree(output.resolve(runDate).resolve("manifest.json").toFile());
            heapPeaks(output.resolve(runDate + ".log")).forEach((k, v) -> heaps.merge(k, v, Math::max));
            StringBuilder line = new StringBuilder();
            for (JsonNode job : manifest.get("jobs")) {
                String name = job.get("name").asText();
                double d = job.path("duration_seconds").asDouble();
                jobs.computeIfAbsent(name, k -> new ArrayList<>()).add(d);
                status.put(name, job.path("status").asText());
                line.append(String.format(Locale.ROOT, " %s=%.1f", name, d));
            }
            err.printf(Locale.ROOT, "bench: run %d %.1f s, peak RSS %,d MiB, status %s;%s; CPU %s%n", run, seconds,
                    peak / 1024, manifest.path("status").asText(), line,
                    ThreadCpu.line(threads.totalSeconds(), threads.seconds()));
        }
        out.printf(Locale.ROOT, "nightly on %,d interactions (ordered by %s), %d run(s), %d cores, master %s, -Xmx%s, "
                        + "collector %s, %d job(s) at a time%n", interactions, rowOrder.name().toLowerCase(Locale.ROOT), runs,
                Runtime.getRuntime().availableProcessors(), master, driverMemory, collector(), parallelJobs);
        if (parallelJobs > 1) {
            out.printf(Locale.ROOT, "(jobs ran side by side: their durations overlap and add up to more than the total)%n");
        }
        double median = median(totals);
        out.printf(Locale.ROOT, "total   median %7.1f s  (runs %s)  peak RSS %,d MiB  %s%n", median, totals,
                peaks.stream().mapToLong(Long::longValue).max().orElse(0) / 1024,
                interactions >= 10_000_000 ? (median <= BAR_SECONDS ? "within" : "OVER") + " the 600 s bar" : "");
        Map<ThreadCpu.Kind, Double> cpuMedians = new EnumMap<>(ThreadCpu.Kind.class);
        cpu.forEach((k, v) -> cpuMedians.put(k, median(v)));
        out.printf(Locale.ROOT, "cpu     median %s%n", ThreadCpu.line(median(cpuTotals), cpuMedians));
        for (var e : jobs.entrySet()) {
            Long heap = heaps.get(e.getKey());
            out.printf(Locale.ROOT, "%-16s median %7.1f s  %-9s %s%n", e.getKey(), median(e.getValue()),
                    status.get(e.getKey()), heap == null ? "" : String.format(Locale.ROOT,
                            "heap after GC at most %,d MiB", heap));
        }
        return 0;
    }

    /**
     * The generated tables of {@code interactions} interactions (default seed) under {@code data},
     * written on first use and reused after (bench nightly and bench text share them).
     */
    static Path generated(Path data, long interactions, java.io.PrintWriter err) {
        return generated(data, interactions, GeneratorParams.Order.CUSTOMER, err);
    }

    /**
     * {@link #generated(Path, long, java.io.PrintWriter)} with the interactions in {@code order}:
     * {@code interactions-N} customer by customer, {@code interactions-N-time} by contact time.
     */
    static Path generated(Path data, long interactions, GeneratorParams.Order order, java.io.PrintWriter err) {
        Path input = data.resolve("interactions-" + interactions
                + (order == GeneratorParams.Order.TIME ? "-time" : ""));
        if (!Files.isDirectory(input)) {
            err.printf(Locale.ROOT, "bench: generating %,d interactions into %s%n", interactions, input);
            try (RunFolder folder = RunFolder.open(Location.local(input), RunFolder.Publish.RENAME)) {
                Generator.generate(folder.staging(), new GeneratorParams(interactions, GeneratorParams.DEFAULT_SEED,
                        Runtime.getRuntime().availableProcessors(), order), err::println);
                folder.commit();
            }
        }
        return input;
    }

    /**
     * The garbage collector of this JVM, by its beans' names ("PS MarkSweep + PS Scavenge" for the
     * Parallel one): the child runs the same, since it gets this JVM's options.
     */
    private static String collector() {
        return String.join(" + ", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
    }

    /** A child run's peak resident memory in KiB (VmHWM, polled) and its CPU by kind of thread. */
    private record Watched(long peakKiB, ThreadCpu cpu) {
    }

    /** Runs nightly in a child JVM, reading its memory four times a second and its threads' CPU once. */
    private Watched child(Path input, Path output, String runDate) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-Xmx")) {
                command.add(arg);
            }
        }
        command.add("-Xmx" + driverMemory);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.empathy.cli.Main");
        command.addAll(List.of("nightly", "--input", input.toString(), "--output", output.toString(),
                "--run-date", runDate, "--master", master, "--parallel-jobs", Integer.toString(parallelJobs)));
        for (String setting : conf) {
            command.addAll(List.of("--conf", setting));
        }
        Path log = output.resolve(runDate + ".log");
        Files.createDirectories(output);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path proc = Path.of("/proc", Long.toString(p.pid()));
        ThreadCpu threads = new ThreadCpu(proc);
        long peak = 0;
        for (int polls = 0; p.isAlive(); polls++) {
            peak = Math.max(peak, highWaterMark(proc.resolve("status")));
            if (polls % 4 == 0) {
                threads.poll();
            }
            Thread.sleep(250);
        }
        int code = p.waitFor();
        if (code != 0 && code != 4) {
            throw new IllegalStateException("nightly exited " + code + "; its output: " + log);
        }
        return new Watched(peak, threads);
    }

    private static final Pattern HEAP_LINE = Pattern.compile(
            "^\\[([^\\]]+)\\] done; " + Pattern.quote(HeapWatch.PEAK_WORDS) + " ([0-9,]+) MiB");

    /** Each stage's peak heap after collections, in MiB, from the progress lines of the child's log. */
    static Map<String, Long> heapPeaks(Path log) throws IOException {
        Map<String, Long> peaks = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log)) {
            var m = HEAP_LINE.matcher(line);
            if (m.find()) {
                peaks.merge(m.group(1), Long.parseLong(m.group(2).replace(",", "")), Math::max);
            }
        }
        return peaks;
    }

    private static long highWaterMark(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between isAlive and the read, or /proc is not there: no reading
        }
        return 0;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            // a published run: the link and the folder it leads to
            Path real = p.toRealPath();
            Files.delete(p);
            deleteRecursively(real);
            return;
        }
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
