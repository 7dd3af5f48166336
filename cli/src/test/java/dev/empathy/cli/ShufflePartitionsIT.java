package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every CSV file of a nightly has the same bytes whether Spark's shuffles have one partition or
 * five (adaptive execution off, so that it cannot merge the five back into one): no job's figures
 * depend on the order Spark adds rows in. A small input runs with one partition and a large one
 * with the toolkit's default, and a user may choose any count; the figures must not move with it.
 */
class ShufflePartitionsIT {

    static final int INTERACTIONS = 1500;
    static final String RUN_DATE = "2026-11-28";

    @TempDir
    static Path dir;

    static SparkSession spark;
    static String partitions;

    @BeforeAll
    static void session() {
        spark = SparkSessions.forTests();
        partitions = spark.conf().get("spark.sql.shuffle.partitions");
    }

    @AfterAll
    static void restore() {
        RuntimeConfig conf = spark.conf();
        conf.set("spark.sql.shuffle.partitions", partitions);
        conf.unset("spark.sql.adaptive.enabled");
    }

    @Test
    void everyCsvFileIsTheSameWithOneShufflePartitionAndWithFive() throws IOException {
        MainIT.Outcome generated = MainIT.run("generate", "--interactions", Integer.toString(INTERACTIONS),
                "--output", dir.resolve("data").toString());
        assertEquals(0, generated.code(), generated.err());
        Path one = nightly("1");
        Path five = nightly("5");
        List<String> files = csvFiles(one);
        assertTrue(files.size() > 40, "every job's files: " + files);
        assertEquals(files, csvFiles(five));
        assertEquals(List.of(), StandaloneClusterIT.differingCsvs(one, five, files), "files whose bytes differ");
    }

    private static Path nightly(String shufflePartitions) throws IOException {
        Path output = dir.resolve("run-" + shufflePartitions);
        MainIT.Outcome run = MainIT.run("nightly", "--input", dir.resolve("data").toString(), "--output",
                output.toString(), "--run-date", RUN_DATE, "--conf", "spark.sql.shuffle.partitions=" + shufflePartitions,
                "--conf", "spark.sql.adaptive.enabled=false");
        assertEquals(0, run.code(), run.err());
        // The dated folder is a link to the committed run.
        return output.resolve(RUN_DATE).toRealPath();
    }

    private static List<String> csvFiles(Path run) throws IOException {
        return StandaloneClusterIT.files(run).stream().filter(f -> f.endsWith(".csv")).toList();
    }
}
