package dev.empathy.jobs.run;

import static dev.empathy.jobs.Fixtures.csat;
import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.store.Location;
import dev.empathy.lib.contract.Contract;
import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.RuntimeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code generation is off for the queries of a run whose input is small, on for a large one, as
 * the user set it when the run's settings name it, and the shared session is left as it was.
 */
class SmallInputIT {

    @TempDir
    static Path dir;

    static Path input;

    @BeforeAll
    static void input() {
        input = dir.resolve("input");
        Fixtures.write(input, Contract.INTERACTIONS, interaction("i1"), interaction("i2"));
        Fixtures.write(input, Contract.CSAT, csat("i1"), csat("i2"));
    }

    @AfterEach
    void unset() {
        SharedSpark.session().conf().unset(SmallInput.WHOLE_STAGE);
        SharedSpark.session().conf().unset(SmallInput.FACTORY_MODE);
    }

    /** A job that records the session's code generation settings while it computes. */
    private record Recorder(List<String> seen) implements Job<String> {

        @Override
        public String name() {
            return "recorder";
        }

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
            RuntimeConfig conf = SharedSpark.session().conf();
            seen.add(conf.getOption(SmallInput.WHOLE_STAGE).getOrElse(() -> "unset") + " "
                    + conf.getOption(SmallInput.FACTORY_MODE).getOrElse(() -> "unset"));
            // The interpreted route computes: a query runs and counts the rows.
            seen.add(Long.toString(context.input().table("interactions").orElseThrow().used().count()));
            return "";
        }

        @Override
        public void write(String result, ReportFolder folder) throws IOException {
            folder.text("recorder.csv", "x\n");
        }
    }

    @Test
    void aSmallInputRunsItsJobsWithoutCodeGenerationAndTheSessionIsRestored() {
        List<String> seen = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        RunPipeline.run(SharedSpark.session(),
                new RunPipeline.Params("nightly", input, dir.resolve("runs/a"), "2026-01-31", Map.of()),
                JobPlan.of(List.of(new Recorder(seen)), name -> null), lines::add);
        assertEquals(List.of("false NO_CODEGEN", "2"), seen);
        // After validation's lines, so that a contract error is the first line of a failed run.
        int done = lines.indexOf(lines.stream().filter(l -> l.startsWith("[validate] done")).findFirst().orElseThrow());
        assertEquals("[validate] small input (0.0 MiB): queries interpreted, without code generation",
                lines.get(done + 1), lines.toString());
        RuntimeConfig conf = SharedSpark.session().conf();
        assertFalse(conf.contains(SmallInput.WHOLE_STAGE), "whole-stage code generation as before the run");
        assertFalse(conf.contains(SmallInput.FACTORY_MODE), "the factory mode as before the run");
    }

    @Test
    void aSettingTheUserGaveIsKept() {
        RuntimeConfig conf = SharedSpark.session().conf();
        conf.set(SmallInput.WHOLE_STAGE, "true");
        try (SmallInput small = SmallInput.apply(SharedSpark.session(), Location.local(input))) {
            assertFalse(small.applied());
            assertEquals("true", conf.get(SmallInput.WHOLE_STAGE));
            assertFalse(conf.contains(SmallInput.FACTORY_MODE));
        }
        assertEquals("true", conf.get(SmallInput.WHOLE_STAGE), "the user's setting outlives the run");
    }

    @Test
    void anInputOfTheLimitOrMoreKeepsCodeGeneration() throws IOException {
        Path large = Files.createDirectories(dir.resolve("large/interactions"));
        // A sparse file: its length counts, no disk is written.
        try (RandomAccessFile f = new RandomAccessFile(large.resolve("part-0.parquet").toFile(), "rw")) {
            f.setLength(SmallInput.BYTES - 1);
        }
        try (SmallInput small = SmallInput.apply(SharedSpark.session(), Location.local(dir.resolve("large")))) {
            assertTrue(small.applied(), "one byte under the limit is small");
        }
        Files.writeString(large.resolve("extra"), "x");
        try (SmallInput small = SmallInput.apply(SharedSpark.session(), Location.local(dir.resolve("large")))) {
            assertFalse(small.applied(), "at the limit: " + SmallInput.BYTES + " bytes");
            assertFalse(SharedSpark.session().conf().contains(SmallInput.WHOLE_STAGE));
        }
    }
}
