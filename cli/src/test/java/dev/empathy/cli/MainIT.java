package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.spark.SparkSessions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner end to end: exit codes, stdout and stderr, and a nightly run on generated data. */
class MainIT {

    @TempDir
    static Path dir;

    static SparkSession spark;

    @BeforeAll
    static void session() {
        spark = SparkSessions.forTests();
    }

    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionAndHelpGoToStdoutWithExitZero() {
        Outcome version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("empathy "), version.out());
        for (String command : new String[] {"generate", "validate", "nightly"}) {
            Outcome help = run(command, "--help");
            assertEquals(0, help.code(), command);
            assertTrue(help.out().startsWith("Usage: empathy " + command), help.out());
        }
        assertTrue(run("nightly", "--help").out().contains("--run-date"));
    }

    @Test
    void usageErrorsExitTwoWithAOneLineHint() {
        Outcome unknown = run("nightly", "--frobnicate");
        assertEquals(2, unknown.code());
        assertEquals("", unknown.out());
        assertTrue(unknown.err().contains("Unknown option: '--frobnicate'"), unknown.err());
        assertTrue(unknown.err().contains("Try 'empathy nightly --help' for more information."), unknown.err());

        Outcome badDate = run("nightly", "--run-date", "31/01/2026");
        assertEquals(2, badDate.code(), badDate.err());
        assertTrue(badDate.err().contains("--run-date"), badDate.err());

        assertEquals(2, run().code(), "a command is required");
        assertEquals(2, run("generate", "--output", dir.resolve("g").toString(), "--interactions", "0").code());
    }

    @Test
    void aContractErrorExitsThreeNamingTableAndColumn() {
        Path in = dir.resolve("bad");
        spark.sql("select 'i1' as interaction_id").write().parquet(in.resolve("interactions").toString());
        Outcome o = run("validate", "--input", in.toString(), "--output", dir.resolve("bad-out").toString());
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().startsWith("empathy: input error: table interactions, column customer_id: "
                + "required column is missing (expected type string); columns present: interaction_id string"), o.err());
        assertEquals("", o.out());
        assertTrue(Files.notExists(dir.resolve("bad-out")), "nothing written");
    }

    @Test
    void nightlyOnGeneratedDataWritesTheDatedRunFolder() {
        Path data = dir.resolve("data");
        Outcome g = run("generate", "--output", data.toString(), "--interactions", "3000", "--seed", "5");
        assertEquals(0, g.code(), g.err());
        assertTrue(Files.isRegularFile(data.resolve("truth.json")));
        Path out = dir.resolve("runs");
        Outcome n = run("nightly", "--input", data.toString(), "--output", out.toString(), "--run-date", "2026-01-31");
        assertEquals(0, n.code(), n.err());
        assertEquals("", n.out(), "progress goes to stderr only");
        assertTrue(n.err().contains("[validate] interactions: 3,000 rows read, 3,000 used, 0 rejected"), n.err());
        assertTrue(n.err().contains("wrote " + out.toAbsolutePath().resolve("2026-01-31").resolve("manifest.json")), n.err());
        assertTrue(Files.isRegularFile(out.resolve("2026-01-31/manifest.json")));
    }
}
