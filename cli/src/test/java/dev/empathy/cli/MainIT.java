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
        for (var job : dev.empathy.jobs.Jobs.ALL) {
            // picocli formats descriptions; a job's text with a percent sign made it warn on stderr.
            PrintStream stderr = System.err;
            ByteArrayOutputStream warnings = new ByteArrayOutputStream();
            Outcome help;
            try {
                System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
                help = run(job.name(), "--help");
            } finally {
                System.setErr(stderr);
            }
            assertEquals("", warnings.toString(StandardCharsets.UTF_8), job.name());
            assertEquals(0, help.code(), job.name());
            assertTrue(help.out().startsWith("Usage: empathy " + job.name()), help.out());
            for (var option : job.options()) {
                assertTrue(help.out().contains("--" + option.name() + "=" + option.label()), help.out());
                // Help wraps long defaults anywhere, also after a comma: compare without white space.
                assertTrue(help.out().replaceAll("\\s+", "").contains("(default:" + option.defaultValue() + ")"),
                        help.out());
            }
            assertTrue(help.out().contains("--input") && help.out().contains("--master"), help.out());
        }
        assertTrue(run("retention", "--help").out().contains("(0.25: 25% above)"));
    }

    @Test
    void jobOptionsThatBreakARuleAreUsageErrorsNamingTheOption() {
        Outcome windows = run("repeat-contacts", "--windows", "0");
        assertEquals(2, windows.code(), windows.err());
        assertTrue(windows.err().contains("--windows: days must be 1 to 3650, got 0"), windows.err());
        Outcome notNumber = run("retention", "--horizons", "90,soon");
        assertEquals(2, notNumber.code(), notNumber.err());
        assertTrue(notNumber.err().contains("--horizons: 'soon' is not a whole number"), notNumber.err());
        Outcome control = run("csat-effect", "--controls", "agent_id");
        assertEquals(2, control.code(), control.err());
        assertTrue(control.err().contains("--controls: unknown column 'agent_id'"), control.err());
        Outcome nightly = run("nightly", "--option", "retention.horizon=90");
        assertEquals(2, nightly.code(), nightly.err());
        assertTrue(nightly.err().contains("retention has no option 'horizon'; its options: high-churn-margin, "
                + "horizons"), nightly.err());
        Outcome noJob = run("nightly", "--option", "sentiments.x=1");
        assertEquals(2, noJob.code(), noJob.err());
        assertTrue(noJob.err().contains("with JOB one of csat-effect, repeat-contacts, retention"), noJob.err());
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
        Outcome order = run("generate", "--output", dir.resolve("g").toString(), "--order", "alphabetical");
        assertEquals(2, order.code(), order.err());
        assertTrue(order.err().contains("--order: customer or time, got 'alphabetical'"), order.err());
    }

    @Test
    void confTakesSparkSettingsAndPutsHadoopOnesIntoTheSessionsHadoopConfiguration() {
        Outcome notSpark = run("validate", "--conf", "fs.s3a.endpoint=http://127.0.0.1:1", "--output",
                dir.resolve("conf-out").toString());
        assertEquals(2, notSpark.code(), notSpark.err());
        assertTrue(notSpark.err().contains("--conf fs.s3a.endpoint: expected a Spark setting spark.<name>=<value>; "
                + "Hadoop settings go as spark.hadoop.<name>=<value>"), notSpark.err());
        Outcome noValue = run("validate", "--conf", "spark.hadoop.x", "--output", dir.resolve("conf-out").toString());
        assertEquals(2, noValue.code(), noValue.err());

        // The session exists already (as under spark-submit): the Hadoop setting still reaches it.
        Path in = dir.resolve("conf-in");
        spark.sql("select 'i1' as interaction_id").write().parquet(in.resolve("interactions").toString());
        Outcome o = run("validate", "--input", in.toString(), "--output", dir.resolve("conf-out").toString(),
                "--conf", "spark.hadoop.empathy.test.conf=42");
        assertEquals(3, o.code(), o.err());
        assertEquals("42", spark.sparkContext().hadoopConfiguration().get("empathy.test.conf"));

        // A store whose connector is not on the class path is a usage error naming the option and the jars.
        Outcome noConnector = run("fit", "--data", "nosuchfs://bucket/t", "--formula", "y ~ x", "--output",
                dir.resolve("conf-fit").toString());
        assertEquals(2, noConnector.code(), noConnector.err());
        assertTrue(noConnector.err().contains("--data nosuchfs://bucket/t: no Hadoop FileSystem for nosuchfs:// on the "
                + "class path: add the jars of its Hadoop connector"), noConnector.err());
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

    /**
     * R 4.2.2, sandwich 3.0.2: {@code d <- read.csv("PetersenCL.csv"); m <- lm(y ~ x + factor(year), d)};
     * {@code coef(m)["x"]} 1.0350636360759589; {@code sqrt(diag(vcovCL(m, cluster = ~firm, type = "HC1")))["x"]}
     * 0.0508355263800142.
     */
    @Test
    void fitWritesTheContractFilesAndAnRLikeSummary() throws Exception {
        Path out = dir.resolve("fit");
        Outcome o = run("fit", "--data", Path.of("../lib/src/test/resources/r/PetersenCL.csv").toString(),
                "--formula", "y ~ x + C(year)", "--se", "cluster", "--cluster", "firm", "--output", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("Linear model (OLS): y ~ x + C(year)"), o.out());
        assertTrue(o.out().contains("Clusters: 500"), o.out());
        java.util.List<String> lines = Files.readAllLines(out.resolve("coefficients.csv"));
        assertEquals("term,estimate,std_error,statistic,p_value,ci_low,ci_high,se_type", lines.get(0));
        String[] x = lines.get(2).split(",");
        assertEquals("x", x[0]);
        assertEquals(1.0350636360759589, Double.parseDouble(x[1]), 1e-12);
        assertEquals(0.0508355263800142, Double.parseDouble(x[2]), 1e-12);
        assertEquals("cluster", x[7]);
        assertEquals(11, lines.size() - 1);
        java.util.List<String> fit = Files.readAllLines(out.resolve("fit.csv"));
        assertEquals("n,k,r_squared,adj_r_squared,f_statistic,rmse,clusters,log_likelihood", fit.get(0));
        assertTrue(fit.get(1).startsWith("5000,11,"), fit.get(1));
    }

    @Test
    void fitExplainsBadFormulasAndOptions() {
        String csv = Path.of("../lib/src/test/resources/r/PetersenCL.csv").toString();
        Outcome unknown = run("fit", "--data", csv, "--formula", "y ~ xx", "--output", dir.resolve("f2").toString());
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("unknown column 'xx' in formula 'y ~ xx'; closest: x, y, firm"), unknown.err());
        Outcome noCluster = run("fit", "--data", csv, "--formula", "y ~ x", "--se", "cluster", "--output",
                dir.resolve("f3").toString());
        assertEquals(2, noCluster.code());
        assertTrue(noCluster.err().contains("--se cluster needs --cluster COLUMN"), noCluster.err());
        assertEquals(2, run("fit", "--data", csv, "--formula", "y ~ x", "--se", "hc9", "--output",
                dir.resolve("f4").toString()).code());
    }
}
