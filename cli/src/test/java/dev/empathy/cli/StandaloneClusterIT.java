package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.spark.Deterministic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nightly} on a real Spark standalone cluster: a Master and two Workers, each its own JVM,
 * started by {@code scripts/local-cluster.sh} on free ports, with this JVM as the driver. The
 * same generated input run in local mode and on the cluster gives byte-identical CSV files and
 * manifests that differ only in the jobs' durations. During the cluster run, once the
 * {@code repeat-contacts} job has begun, one executor JVM is killed with SIGKILL; Spark's task
 * retry must finish the run with the same bytes, the driver must have lost an executor (a
 * listener on its session) and a Worker's log must show the executor's exit with status 137, so
 * that the test cannot pass without the kill.
 */
class StandaloneClusterIT {

    /** The smallest input on which every job still writes its normal files (see the test). */
    static final int INTERACTIONS = 1000;
    static final String RUN_DATE = "2026-11-28";
    /** The job during which an executor is killed: it fits the longest models. */
    static final String KILL_DURING = "[repeat-contacts]";

    @TempDir
    static Path dir;

    static Path root;
    static Path cluster;

    @BeforeAll
    static void stopOtherSessions() {
        // Other tests of this JVM leave a local session; the cluster run must make its own.
        stopSession();
        // Both runs lay the models' rows over 4 partitions, not 16: a quarter of the tasks per
        // pass on this small input (Spark's sessions take spark.* system properties).
        System.setProperty(Deterministic.PARTITIONS_SETTING, "4");
        root = Path.of("").toAbsolutePath().getParent();
        cluster = dir.resolve("cluster");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        stopSession();
        System.clearProperty(Deterministic.PARTITIONS_SETTING);
        if (cluster != null && Files.isDirectory(cluster.resolve("pids"))) {
            script("stop", "--dir", cluster.toString());
        }
        // Executors the Workers started and that outlived them.
        for (long pid : executors(cluster)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void nightlyOnTwoWorkersGivesTheLocalBytesThroughAKilledExecutor() throws Exception {
        long began = System.nanoTime();
        MainIT.Outcome generated = MainIT.run("generate", "--interactions", Integer.toString(INTERACTIONS),
                "--output", dir.resolve("data").toString());
        assertEquals(0, generated.code(), generated.err());

        // Local mode first, into the same --output the cluster run uses later (the manifest names it).
        Path output = dir.resolve("runs");
        MainIT.Outcome local = MainIT.run("nightly", "--input", dir.resolve("data").toString(), "--output",
                output.toString(), "--run-date", RUN_DATE);
        assertEquals(0, local.code(), local.err());
        stopSession();
        Files.move(output, dir.resolve("local"));
        long localDone = System.nanoTime();

        int port = freePort();
        int uiPort = freeRun(3);
        String master = script("start", "--workers", "2", "--port", Integer.toString(port), "--ui-port",
                Integer.toString(uiPort), "--memory", "1500m", "--dir", cluster.toString()).trim();
        assertEquals("spark://127.0.0.1:" + port, master);
        long clusterUp = System.nanoTime();

        Watched err = new Watched();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Integer> run = runner.submit(() -> Main.run(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), "nightly", "--master", master, "--input",
                dir.resolve("data").toString(), "--output", output.toString(), "--run-date", RUN_DATE));
        long killed = -1;
        boolean killedWhileRunning = false;
        // The driver's own record of executors it lost, from a listener on the run's session.
        List<String> lost = Collections.synchronizedList(new ArrayList<>());
        boolean listening = false;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (!run.isDone() && System.nanoTime() < deadline && killed < 0) {
            if (!listening && SparkSession.getDefaultSession().isDefined()) {
                SparkSession.getDefaultSession().get().sparkContext().addSparkListener(new SparkListener() {
                    @Override
                    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
                        lost.add("executor " + removed.executorId() + ": " + removed.reason());
                    }
                });
                listening = true;
            }
            if (listening && err.text().contains(KILL_DURING)) {
                Optional<Long> executor = executors(cluster).stream().findFirst();
                if (executor.isPresent()) {
                    new ProcessBuilder("kill", "-9", Long.toString(executor.get())).inheritIO().start().waitFor();
                    killed = executor.get();
                    killedWhileRunning = !run.isDone();
                }
            }
            Thread.sleep(200);
        }
        int code = run.get(30, TimeUnit.MINUTES);
        runner.shutdown();
        stopSession();
        long clusterDone = System.nanoTime();
        assertEquals(0, code, err.text());
        assertTrue(killed > 0 && killedWhileRunning, "no executor was killed while " + KILL_DURING + " ran");
        assertFalse(lost.isEmpty(), "the driver lost no executor");
        String workerLogs = workerLogs();
        assertTrue(workerLogs.contains("exitStatus 137"), "no Worker saw an executor exit by SIGKILL:\n" + workerLogs);

        // A run folder is a link to the published folder: compare what each leads to.
        Path a = dir.resolve("local").resolve(RUN_DATE).toRealPath();
        Path b = output.resolve(RUN_DATE).toRealPath();
        // Spark names its part files with a random job id: the two runs' names agree but for it.
        List<String> files = files(a);
        assertEquals(PartNames.withoutJobIds(files), PartNames.withoutJobIds(files(b)),
                "the two runs wrote different files");
        long csvs = files.stream().filter(f -> f.endsWith(".csv")).count();
        assertEquals(List.of(), differingCsvs(a, b, files), "CSV files that differ between local mode and the cluster");
        String manifestA = PartNames.withoutJobIds(withoutDurations(Files.readString(a.resolve("manifest.json"))));
        String manifestB = PartNames.withoutJobIds(withoutDurations(Files.readString(b.resolve("manifest.json"))));
        assertEquals(manifestA, manifestB);
        assertTrue(manifestB.contains("\"status\" : \"succeeded\"") || manifestB.contains("\"status\":\"succeeded\""),
                manifestB);
        assertFalse(manifestB.contains("\"failed\""), manifestB);
        // Every job wrote its files: each job folder holds at least one CSV.
        TreeSet<String> jobsWithCsv = new TreeSet<>();
        files.stream().filter(f -> f.endsWith(".csv") && f.contains("/")).forEach(f -> jobsWithCsv.add(
                f.substring(0, f.indexOf('/'))));
        for (var job : dev.empathy.jobs.Jobs.ALL) {
            assertTrue(jobsWithCsv.contains(job.name()), job.name() + " wrote no CSV: " + files);
        }
        System.err.printf(Locale.ROOT, "StandaloneClusterIT: %d CSVs identical; executor process %d killed; the driver: "
                        + "%s; the Workers:%n%s; local %.0f s, cluster start %.0f s, cluster nightly %.0f s, total %.0f s%n",
                csvs, killed, lost, workerLogs,
                (localDone - began) / 1e9, (clusterUp - localDone) / 1e9, (clusterDone - clusterUp) / 1e9,
                (clusterDone - began) / 1e9);
    }

    /** The manifest with every {@code duration_seconds} value blanked. */
    static String withoutDurations(String manifest) {
        return manifest.replaceAll("(\"duration_seconds\"\\s*:\\s*)[0-9.eE+-]+", "$1_");
    }

    /** The files under a run folder, relative, sorted. */
    static List<String> files(Path run) throws IOException {
        try (Stream<Path> walk = Files.walk(run)) {
            return walk.filter(Files::isRegularFile).map(p -> run.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    /** The CSV files among {@code files} (relative) whose bytes differ between run folders {@code a} and {@code b}. */
    static List<String> differingCsvs(Path a, Path b, List<String> files) throws IOException {
        List<String> differing = new ArrayList<>();
        for (String f : files) {
            if (f.endsWith(".csv") && !java.util.Arrays.equals(Files.readAllBytes(a.resolve(f)),
                    Files.readAllBytes(b.resolve(f)))) {
                differing.add(f);
            }
        }
        return differing;
    }

    /**
     * The process ids of this cluster's executors: JVMs running {@code CoarseGrainedExecutorBackend}
     * whose working folder is inside the cluster's folder (a Worker starts each executor in
     * {@code work-N/app-*}/{@code <id>}/).
     */
    static List<Long> executors(Path cluster) {
        if (cluster == null) {
            return List.of();
        }
        List<Long> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            try {
                String cmdline = Files.readString(proc.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                if (cmdline.contains("CoarseGrainedExecutorBackend")
                        && Files.readSymbolicLink(proc.resolve("cwd")).startsWith(cluster)) {
                    found.add(p.pid());
                }
            } catch (IOException | RuntimeException e) {
                // a process that ended, or one not ours to read
            }
        });
        found.sort(null);
        return found;
    }

    static String workerLogs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> logs = Files.list(cluster.resolve("logs"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("worker")).sorted().toList()) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains("Executor app-")) {
                        all.append(log.getFileName()).append(": ").append(line).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }

    /** Runs {@code scripts/local-cluster.sh} with the arguments; its stdout, or a failure with its stderr. */
    static String script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("scripts/local-cluster.sh").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(errors);
            } catch (IOException e) {
                // the process ended
            }
        });
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "local-cluster.sh " + args[0] + " did not end");
        drain.join();
        assertEquals(0, p.exitValue(), "local-cluster.sh " + String.join(" ", args) + ": "
                + errors.toString(StandardCharsets.UTF_8));
        return out;
    }

    static void stopSession() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.getDefaultSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The first of {@code n} consecutive free ports. */
    static int freeRun(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            boolean all = true;
            for (int i = 1; i < n && all; i++) {
                try (ServerSocket s = new ServerSocket(first + i)) {
                    all = s.getLocalPort() == first + i;
                } catch (IOException e) {
                    all = false;
                }
            }
            if (all && first + n < 65536) {
                return first;
            }
        }
        throw new IOException("no " + n + " consecutive free ports");
    }

    /** An output stream whose text so far can be read while it is written. */
    static final class Watched extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
