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

    private static RunPipeline.Result run(Path out, List<Job> jobs) throws Exception {
        return RunPipeline.run(SharedSpark.session(),
                new RunPipeline.Params("nightly", input, out, "2026-01-31", Map.of("input", "in")), jobs,
                Progress.silent());
    }

    @Test
    void aFailedRunLeavesThePreviousFolderByteIdentical(@TempDir Path parent) throws Exception {
        Path out = parent.resolve("2026-01-31");
        run(out, List.of());
        Map<String, byte[]> before = snapshot(out);
        assertTrue(before.containsKey("manifest.json") && before.containsKey("rejects/interactions/part-00000.parquet"),
                before.keySet().toString());

        Job failing = new Job() {
            @Override
            public String name() {
                return "fails-midway";
            }

            @Override
            public Set<String> needs() {
                return Set.of("interactions");
            }

            @Override
            public void run(JobContext context) throws IOException {
                Files.writeString(context.output().resolve("half.csv"), "a,b\n1,");
                throw new IOException("disk full (injected)");
            }
        };
        IOException e = assertThrows(IOException.class, () -> run(out, List.of(failing)));
        assertEquals("disk full (injected)", e.getMessage());

        Map<String, byte[]> after = snapshot(out);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        try (Stream<Path> siblings = Files.list(parent)) {
            assertEquals(List.of("2026-01-31"), siblings.map(p -> p.getFileName().toString()).toList(),
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
        assertEquals(filesA.keySet(), filesB.keySet());
        for (String name : filesA.keySet()) {
            if (!name.equals("manifest.json")) {
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
    void aJobWhoseTableIsAbsentIsSkippedWithANote(@TempDir Path parent) throws Exception {
        Job needsTurns = new Job() {
            @Override
            public String name() {
                return "sentiment";
            }

            @Override
            public Set<String> needs() {
                return Set.of("interactions", "turns");
            }

            @Override
            public void run(JobContext context) {
                throw new AssertionError("must not run");
            }
        };
        RunPipeline.Result r = run(parent.resolve("run"), List.of(needsTurns));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) r.manifest().get("jobs");
        assertEquals("skipped", jobs.get(1).get("status"));
        assertEquals("skipped: input table(s) turns not found", jobs.get(1).get("note"));
    }

    private static JsonNode withoutDurations(Path run) throws IOException {
        JsonNode m = Manifest.mapper().readTree(run.resolve("manifest.json").toFile());
        m.get("jobs").forEach(j -> ((ObjectNode) j).remove("duration_seconds"));
        return m;
    }

    private static Map<String, byte[]> snapshot(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
