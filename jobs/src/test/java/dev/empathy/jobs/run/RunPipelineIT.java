package dev.empathy.jobs.run;

import static dev.empathy.jobs.Fixtures.csat;
import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.contract.Contract;
import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPipelineIT {

    @TempDir
    static Path dir;

    static Path input;

    @BeforeAll
    static void input() {
        input = dir.resolve("input");
        Fixtures.write(input, Contract.INTERACTIONS, interaction("i1"), interaction("i2", "team_type", "vendor"),
                interaction("i3", "customer_id", "c3"));
        Fixtures.write(input, Contract.CSAT, csat("i1"), csat("i2"), csat("i3", "csat", 5));
    }

    private static RunPipeline.Result run(Path out, List<? extends Job<?>> jobs) {
        return run(input, out, jobs);
    }

    private static RunPipeline.Result run(Path from, Path out, List<? extends Job<?>> jobs) {
        return RunPipeline.run(SharedSpark.session(),
                new RunPipeline.Params("nightly", from, out, "2026-01-31", Map.of("input", "in")),
                JobPlan.of(jobs, name -> null), Progress.silent());
    }

    /** A test job: writes {@code <name>.csv} with the text it computed, or fails midway when told to. */
    private record TestJob(String name, Set<String> uses, boolean fails, List<String> log) implements Job<String> {

        @Override
        public Set<String> needs() {
            return Set.of("interactions");
        }

        @Override
        public Map<String, Object> options() {
            return Map.of("fails", fails);
        }

        @Override
        public String compute(JobContext context) {
            log.add("compute " + name);
            StringBuilder s = new StringBuilder(name);
            for (String used : new java.util.TreeSet<>(uses)) {
                s.append(" after ").append(context.result(used, String.class));
            }
            return s.toString();
        }

        @Override
        public void write(String result, ReportFolder folder) throws IOException {
            log.add("write " + name);
            folder.text(name + ".csv", result + "\n");
            if (fails) {
                throw new IOException("disk full (injected)");
            }
        }
    }

    @Test
    void aFailedRunLeavesThePreviousFolderByteIdentical(@TempDir Path parent) throws Exception {
        Path out = parent.resolve("2026-01-31");
        run(out, List.of());
        Map<String, byte[]> before = snapshot(out);
        assertTrue(before.containsKey("manifest.json") && before.containsKey("rejects/interactions/part-00000.parquet"),
                before.keySet().toString());

        // A missing required table stops the run at validation: nothing of it may reach the folder.
        Path broken = Files.createDirectories(dir.resolve("broken-input"));
        List<String> log = new java.util.ArrayList<>();
        assertThrows(dev.empathy.jobs.input.InputContractException.class,
                () -> run(broken, out, List.of(new TestJob("a", Set.of(), false, log))));
        assertEquals(List.of(), log, "no job runs when validation fails");

        Map<String, byte[]> after = snapshot(out);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        // Beside the run: its link and the hidden folder the link leads to, no staging folder.
        try (Stream<Path> siblings = Files.list(parent)) {
            assertEquals(Stream.of("2026-01-31", Files.readSymbolicLink(out).toString()).sorted().toList(),
                    siblings.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no staging folder is left behind");
        }
    }

    @Test
    void theSameInputGivesTheSameFilesAndTheManifestDiffersOnlyInDurations(@TempDir Path parent) throws Exception {
        Path a = parent.resolve("a");
        Path b = parent.resolve("b");
        run(a, List.of());
        run(b, List.of());
        Map<String, byte[]> filesA = snapshot(a);
        Map<String, byte[]> filesB = snapshot(b);
        assertEquals(withoutFrames(filesA.keySet()), withoutFrames(filesB.keySet()));
        for (String name : filesA.keySet()) {
            // Model frames carry pseudonyms under a key drawn per run (docs/notebooks.md): never identical.
            if (!name.equals("manifest.json") && !name.contains("model_frame")) {
                assertArrayEquals(filesA.get(name), filesB.get(name), name);
            }
        }
        assertEquals(withoutDurations(a), withoutDurations(b));

        JsonNode manifest = Manifest.mapper().readTree(a.resolve("manifest.json").toFile());
        assertEquals("2026-01-31", manifest.get("run_date").asText());
        JsonNode interactions = manifest.get("tables").get("interactions");
        assertEquals(3, interactions.get("rows_read").asLong());
        assertEquals(2, interactions.get("rows_used").asLong());
        assertEquals(1, interactions.get("rejected_by_reason").get("invalid_team_type").asLong());
        assertEquals(1, manifest.get("tables").get("csat").get("rejected_by_reason").get("unknown_interaction").asLong());
        assertEquals("absent", manifest.get("tables").get("turns").get("status").asText());
        assertEquals(List.of("manifest.json", "rejects/csat/part-00000.parquet", "rejects/interactions/part-00000.parquet"),
                Manifest.mapper().convertValue(manifest.get("files"), List.class));
    }

    @Test
    void aFailingJobIsRecordedItsFolderLeftOutAndTheOthersCommitted(@TempDir Path parent) throws Exception {
        List<String> log = new java.util.ArrayList<>();
        TestJob first = new TestJob("first", Set.of(), false, log);
        TestJob failing = new TestJob("failing", Set.of(), true, log);
        TestJob after = new TestJob("after", Set.of("failing"), false, log);
        TestJob last = new TestJob("last", Set.of("first"), false, log);
        RunPipeline.Result r = run(parent.resolve("run"), List.of(first, failing, after, last));

        assertTrue(r.partial());
        assertEquals(List.of("failing"), r.failed());
        assertEquals("partial", r.manifest().get("status"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) r.manifest().get("jobs");
        Map<String, Map<String, Object>> byName = new TreeMap<>();
        jobs.forEach(j -> byName.put((String) j.get("name"), j));
        assertEquals("failed", byName.get("failing").get("status"));
        assertEquals("IOException: disk full (injected)", byName.get("failing").get("note"));
        assertEquals(Map.of("fails", true), byName.get("failing").get("options"));
        assertEquals("skipped", byName.get("after").get("status"));
        assertEquals("skipped: it needs the result of failing, which failed", byName.get("after").get("note"));
        assertEquals("succeeded", byName.get("last").get("status"));
        assertEquals(List.of("compute first", "write first", "compute failing", "write failing", "compute last",
                "write last"), log);

        Path run = r.runFolder();
        assertTrue(Files.exists(run.resolve("first/first.csv")));
        assertEquals("last after first\n", Files.readString(run.resolve("last/last.csv")));
        assertTrue(Files.notExists(run.resolve("failing")), "the failed job's half-written folder is removed");
        assertTrue(Files.notExists(run.resolve("after")));
        assertEquals(List.of("first/first.csv", "last/last.csv", "manifest.json",
                        "rejects/csat/part-00000.parquet", "rejects/interactions/part-00000.parquet"),
                r.manifest().get("files"));
    }

    @Test
    void aJobWhoseResultIsUsedRunsFirstAndIsNotWrittenUnlessAsked(@TempDir Path parent) {
        List<String> log = new java.util.ArrayList<>();
        TestJob base = new TestJob("base", Set.of(), false, log);
        TestJob top = new TestJob("top", Set.of("base"), false, log);
        RunPipeline.Result r = RunPipeline.run(SharedSpark.session(),
                new RunPipeline.Params("top", input, parent.resolve("run"), "2026-01-31", Map.of()),
                JobPlan.of(List.of(top), name -> name.equals("base") ? base : null), Progress.silent());
        assertEquals(List.of("compute base", "compute top", "write top"), log);
        assertTrue(Files.notExists(r.runFolder().resolve("base")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) r.manifest().get("jobs");
        assertEquals(List.of("validate", "top"), jobs.stream().map(j -> j.get("name")).toList());
        assertThrows(IllegalArgumentException.class, () -> JobPlan.of(List.of(
                new TestJob("x", Set.of("y"), false, log)), name -> new TestJob("y", Set.of("x"), false, log)));
    }

    @Test
    void aJobWhoseTableIsAbsentIsSkippedWithANote(@TempDir Path parent) throws Exception {
        Job<String> needsTurns = new Job<>() {
            @Override
            public String name() {
                return "sentiment";
            }

            @Override
            public Set<String> needs() {
                return Set.of("interactions", "turns");
            }

            @Override
            public Map<String, Object> options() {
                return Map.of();
            }

            @Override
            public String compute(JobContext context) {
                throw new AssertionError("must not run");
            }

            @Override
            public void write(String result, ReportFolder folder) {
                throw new AssertionError("must not run");
            }
        };
        RunPipeline.Result r = run(parent.resolve("run"), List.of(needsTurns));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) r.manifest().get("jobs");
        assertEquals("skipped", jobs.get(1).get("status"));
        assertEquals("skipped: input table(s) turns not found", jobs.get(1).get("note"));
    }

    /**
     * A job for runs side by side: it logs when it starts and ends, waits (at most 30 s) for the
     * jobs named in {@code awaits} to have started, and fails in {@code write} when told to.
     */
    private record SideJob(String name, Set<String> uses, Set<String> awaits, boolean fails,
                           Map<String, java.util.concurrent.CountDownLatch> started, List<String> log)
            implements Job<String> {

        @Override
        public Set<String> needs() {
            return Set.of("interactions");
        }

        @Override
        public Map<String, Object> options() {
            return Map.of();
        }

        @Override
        public String compute(JobContext context) {
            log.add("start " + name);
            started.get(name).countDown();
            for (String other : awaits) {
                try {
                    if (!started.get(other).await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new IllegalStateException(name + " ran alone: " + other + " did not start beside it");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            StringBuilder s = new StringBuilder(name);
            for (String used : new java.util.TreeSet<>(uses)) {
                s.append(" after ").append(context.result(used, String.class));
            }
            // A Spark job from this thread: concurrent jobs share the session.
            s.append(" rows ").append(context.input().table("interactions").orElseThrow().used().count());
            return s.toString();
        }

        @Override
        public void write(String result, ReportFolder folder) throws IOException {
            folder.text(name + ".csv", result + "\n");
            log.add("end " + name);
            if (fails) {
                throw new IOException("disk full (injected)");
            }
        }
    }

    @Test
    void jobsSideBySideWaitForTheResultsTheyUseAndTheManifestKeepsThePlansOrder(@TempDir Path parent)
            throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Map<String, java.util.concurrent.CountDownLatch> started = new java.util.HashMap<>();
        for (String n : List.of("a", "b", "c", "failing", "after")) {
            started.put(n, new java.util.concurrent.CountDownLatch(1));
        }
        // a and c can only finish when they run at the same time; b uses a's result, after uses failing's.
        List<SideJob> jobs = List.of(
                new SideJob("a", Set.of(), Set.of("c"), false, started, log),
                new SideJob("b", Set.of("a"), Set.of(), false, started, log),
                new SideJob("c", Set.of(), Set.of("a"), false, started, log),
                new SideJob("failing", Set.of(), Set.of(), true, started, log),
                new SideJob("after", Set.of("failing"), Set.of(), false, started, log));
        RunPipeline.Result r = RunPipeline.run(SharedSpark.session(),
                new RunPipeline.Params("nightly", input, parent.resolve("run"), "2026-01-31", Map.of()),
                JobPlan.of(jobs, name -> null), Progress.silent(), 3);

        assertEquals(List.of("failing"), r.failed());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) r.manifest().get("jobs");
        assertEquals(List.of("validate", "a", "b", "c", "failing", "after"),
                entries.stream().map(j -> j.get("name")).toList(), "the plan's order, whatever order they ended in");
        assertEquals(List.of("succeeded", "succeeded", "succeeded", "succeeded", "failed", "skipped"),
                entries.stream().map(j -> j.get("status")).toList());
        assertEquals("skipped: it needs the result of failing, which failed", entries.get(5).get("note"));
        assertTrue(log.indexOf("start b") > log.indexOf("end a"), "b starts once a is written: " + log);
        assertEquals("b after a rows 2 rows 2\n", Files.readString(r.runFolder().resolve("b/b.csv")));
        assertTrue(Files.notExists(r.runFolder().resolve("failing")));
        assertTrue(Files.notExists(r.runFolder().resolve("after")));
        assertThrows(IllegalArgumentException.class, () -> RunPipeline.run(SharedSpark.session(),
                new RunPipeline.Params("nightly", input, parent.resolve("zero"), "2026-01-31", Map.of()),
                JobPlan.of(jobs, name -> null), Progress.silent(), 0));
    }

    private static JsonNode withoutDurations(Path run) throws IOException {
        JsonNode m = Manifest.mapper().readTree(run.resolve("manifest.json").toFile());
        m.get("jobs").forEach(j -> ((ObjectNode) j).remove("duration_seconds"));
        return m;
    }

    /** File names but those under model_frame/ (their part files' names change from run to run). */
    private static Set<String> withoutFrames(Set<String> names) {
        Set<String> kept = new java.util.TreeSet<>(names);
        kept.removeIf(n -> n.contains("model_frame"));
        return kept;
    }

    private static Map<String, byte[]> snapshot(Path link) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        // A run folder is a link to the published folder: walk what it leads to.
        Path root = link.toRealPath();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
