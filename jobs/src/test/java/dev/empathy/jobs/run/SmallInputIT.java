package dev.empathy.jobs.run;

import static dev.empathy.jobs.Fixtures.csat;
import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.spark.SparkSessions;
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
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Code generation is off for the queries of a run whose input is small, on for a large one, as
 * the user set it when the run's settings name it; a small input's shuffles have one partition
 * and no adaptive planning when the partition count is the toolkit's default, and stay as they
 * were when the user chose it; the shared session is left as it was.
 */
class SmallInputIT {

    @TempDir
    static Path dir;

    static Path input;

    /**
     * The shared session, taken once: each {@link SharedSpark#session()} call sets the test
     * session's builder settings again, its shuffle partitions among them.
     */
    static SparkSession spark;

    @BeforeAll
    static void input() {
        spark = SharedSpark.session();
        input = dir.resolve("input");
        Fixtures.write(input, Contract.INTERACTIONS, interaction("i1"), interaction("i2"));
        Fixtures.write(input, Contract.CSAT, csat("i1"), csat("i2"));
    }

    @AfterEach
    void unset() {
        RuntimeConfig conf = spark.conf();
        conf.unset(SmallInput.WHOLE_STAGE);
        conf.unset(SmallInput.FACTORY_MODE);
        conf.unset(SmallInput.ADAPTIVE);
        conf.unset(SparkSessions.DEFAULT_SHUFFLE_PARTITIONS);
        conf.set(SmallInput.SHUFFLE_PARTITIONS, TEST_PARTITIONS);
    }

    /** The shared test session's shuffle partitions ({@link SparkSessions#forTests()}). */
    static final String TEST_PARTITIONS = "2";

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
            RuntimeConfig conf = spark.conf();
            seen.add(conf.getOption(SmallInput.WHOLE_STAGE).getOrElse(() -> "unset") + " "
                    + conf.getOption(SmallInput.FACTORY_MODE).getOrElse(() -> "unset"));
            seen.add(conf.get(SmallInput.SHUFFLE_PARTITIONS) + " "
                    + (conf.contains(SmallInput.ADAPTIVE) ? conf.get(SmallInput.ADAPTIVE) : "unset"));
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
        // The user chose the shared session's partition count: only code generation changes.
        List<String> lines = new ArrayList<>();
        assertEquals(List.of("false NO_CODEGEN", TEST_PARTITIONS + " unset", "2"), recordRun("a", lines));
        // After validation's lines, so that a contract error is the first line of a failed run.
        int done = lines.indexOf(lines.stream().filter(l -> l.startsWith("[validate] done")).findFirst().orElseThrow());
        assertEquals("[validate] small input (0.0 MiB): queries interpreted, without code generation",
                lines.get(done + 1), lines.toString());
        RuntimeConfig conf = spark.conf();
        assertFalse(conf.contains(SmallInput.WHOLE_STAGE), "whole-stage code generation as before the run");
        assertFalse(conf.contains(SmallInput.FACTORY_MODE), "the factory mode as before the run");
    }

    @Test
    void theToolkitsDefaultPartitionCountBecomesOneWithoutAdaptivePlanningAndComesBack() {
        RuntimeConfig conf = spark.conf();
        // As SparkSessions.getOrCreate marks the count it chose for a local session.
        conf.set(SparkSessions.DEFAULT_SHUFFLE_PARTITIONS, TEST_PARTITIONS);
        List<String> lines = new ArrayList<>();
        assertEquals(List.of("false NO_CODEGEN", "1 false", "2"), recordRun("b", lines));
        assertTrue(lines.contains("[validate] small input (0.0 MiB): queries interpreted, without code generation; "
                + "one shuffle partition, planned once"), lines.toString());
        assertEquals(TEST_PARTITIONS, conf.get(SmallInput.SHUFFLE_PARTITIONS), "the partitions as before the run");
        assertFalse(conf.contains(SmallInput.ADAPTIVE), "adaptive execution as before the run");
    }

    @Test
    void anAdaptiveSettingTheUserGaveKeepsThePartitions() {
        RuntimeConfig conf = spark.conf();
        conf.set(SparkSessions.DEFAULT_SHUFFLE_PARTITIONS, TEST_PARTITIONS);
        conf.set(SmallInput.ADAPTIVE, "true");
        assertEquals(List.of("false NO_CODEGEN", TEST_PARTITIONS + " true", "2"), recordRun("c", new ArrayList<>()));
        assertEquals("true", conf.get(SmallInput.ADAPTIVE), "the user's setting outlives the run");
    }

    @Test
    void aSessionWithoutAPartitionCountGetsOne() {
        RuntimeConfig conf = spark.conf();
        // Under spark-submit without the setting, Spark's default (200) would apply.
        conf.unset(SmallInput.SHUFFLE_PARTITIONS);
        try (SmallInput small = SmallInput.apply(spark, Location.local(input))) {
            assertTrue(small.applied());
            assertEquals("1", conf.get(SmallInput.SHUFFLE_PARTITIONS));
            assertEquals("false", conf.get(SmallInput.ADAPTIVE));
        }
        assertFalse(conf.contains(SmallInput.SHUFFLE_PARTITIONS), "unset again after the run");
        assertFalse(conf.contains(SmallInput.ADAPTIVE));
    }

    /** The settings a recording job saw during a nightly of the small input, and the row count it read. */
    private static List<String> recordRun(String name, List<String> lines) {
        List<String> seen = new ArrayList<>();
        RunPipeline.run(spark,
                new RunPipeline.Params("nightly", input, dir.resolve("runs/" + name), "2026-01-31", Map.of()),
                JobPlan.of(List.of(new Recorder(seen)), n -> null), lines::add);
        return seen;
    }

    @Test
    void aSettingTheUserGaveIsKept() {
        RuntimeConfig conf = spark.conf();
        conf.set(SmallInput.WHOLE_STAGE, "true");
        try (SmallInput small = SmallInput.apply(spark, Location.local(input))) {
            // The partitions are the user's too (the test session's): nothing to change.
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
        try (SmallInput small = SmallInput.apply(spark, Location.local(dir.resolve("large")))) {
            assertTrue(small.applied(), "one byte under the limit is small");
        }
        Files.writeString(large.resolve("extra"), "x");
        try (SmallInput small = SmallInput.apply(spark, Location.local(dir.resolve("large")))) {
            assertFalse(small.applied(), "at the limit: " + SmallInput.BYTES + " bytes");
            assertFalse(spark.conf().contains(SmallInput.WHOLE_STAGE));
        }
    }
}
