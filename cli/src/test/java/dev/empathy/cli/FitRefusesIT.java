package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.spark.SparkSessions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code empathy fit} refuses data that leave its model nothing to fit, for every model: exit 3,
 * one line naming the rows read, used and dropped per column, no stack trace, and nothing
 * written (no output folder made, a previous one left as it was).
 */
class FitRefusesIT {

    @TempDir
    static Path dir;

    static SparkSession spark;

    /** Four rows: channel empty on every row, x missing on two, one agent (one cluster). */
    static Path fixture;

    @BeforeAll
    static void data() {
        spark = SparkSessions.forTests();
        fixture = dir.resolve("fixture.parquet");
        spark.sql("select * from values "
                + "(1.0, 0, 2.0, 3.0, cast(null as string), 'a1', 5.0, 1), "
                + "(2.0, 1, 3.0, cast(null as double), cast(null as string), 'a1', 7.0, 0), "
                + "(4.0, 1, 1.0, 1.0, cast(null as string), 'a1', 2.0, 1), "
                + "(3.0, 0, 5.0, cast(null as double), cast(null as string), 'a1', 9.0, 1) "
                + "as t(y, won, z, x, channel, agent, days, churned)")
                .coalesce(1).write().parquet(fixture.toString());
    }

    /** Runs fit with an --output under a folder that does not exist yet; it must stay absent. */
    private static MainIT.Outcome refused(String name, String... args) {
        Path parent = dir.resolve("absent-" + name);
        List<String> all = new ArrayList<>(List.of("fit", "--data", fixture.toString()));
        all.addAll(List.of(args));
        all.addAll(List.of("--output", parent.resolve("out").toString()));
        MainIT.Outcome o = MainIT.run(all.toArray(String[]::new));
        assertEquals(3, o.code(), o.err());
        assertEquals("", o.out());
        assertEquals(1, o.err().lines().filter(l -> l.startsWith("empathy:")).count(), o.err());
        assertFalse(o.err().contains("internal error") || o.err().contains("\tat "), o.err());
        assertTrue(Files.notExists(parent), "nothing written: " + parent);
        return o;
    }

    @Test
    void aLogitWhoseCategoricalIsEmptyOnEveryRowIsRefused() {
        MainIT.Outcome o = refused("logit", "--model", "logit", "--formula", "won ~ z + C(channel)");
        assertTrue(o.err().contains("empathy: input error: logit: no usable rows: 4 rows read, 0 used; "
                + "rows dropped by column: channel 4 (missing)\n"), o.err());
    }

    @Test
    void leastSquaresWithoutRowsOrWithoutAResidualDegreeOfFreedomIsRefused() {
        MainIT.Outcome none = refused("ols-none", "--formula", "y ~ z + C(channel)");
        assertTrue(none.err().contains("empathy: input error: ols: no usable rows: 4 rows read, 0 used; "
                + "rows dropped by column: channel 4 (missing)"), none.err());
        // Two complete rows for intercept, z and x: no residual variance left.
        MainIT.Outcome few = refused("ols-few", "--formula", "y ~ z + x");
        assertTrue(few.err().contains("empathy: input error: ols: 2 usable rows cannot estimate 3 coefficients "
                + "and a residual variance: 4 rows read, 2 used; rows dropped by column: x 2 (missing)"), few.err());
        MainIT.Outcome absorbed = refused("absorb", "--formula", "y ~ x - 1", "--absorb", "channel");
        assertTrue(absorbed.err().contains("ols with absorbed fixed effects: no usable rows: 4 rows read, 0 used; "
                + "rows dropped by column: x 2 (missing), channel 4 (missing)"), absorbed.err());
    }

    @Test
    void survivalModelsWithoutRowsAreRefused() {
        MainIT.Outcome cox = refused("cox", "--model", "cox", "--formula", "Surv(days, churned) ~ z + C(channel)");
        assertTrue(cox.err().contains("empathy: input error: cox: no usable rows: 4 rows read, 0 used; "
                + "rows dropped by column: channel 4 (missing)"), cox.err());
        MainIT.Outcome km = refused("km", "--model", "km", "--formula", "Surv(days, churned) ~ C(channel)");
        assertTrue(km.err().contains("empathy: input error: km: no usable rows: 4 rows read, 0 used; "
                + "rows dropped by column: channel 4 (missing)"), km.err());
        MainIT.Outcome fewCox = refused("cox-few", "--model", "cox", "--formula", "Surv(days, churned) ~ z + x + y");
        assertTrue(fewCox.err().contains("cox: 2 usable rows cannot estimate 3 coefficients: 4 rows read, 2 used"),
                fewCox.err());
    }

    @Test
    void clusterErrorsOverOneClusterAreRefused() {
        MainIT.Outcome ols = refused("cluster", "--formula", "y ~ z", "--se", "cluster", "--cluster", "agent");
        assertTrue(ols.err().contains("empathy: input error: ols: cluster standard errors need at least 2 clusters, "
                + "found 1 in column agent: 4 rows read, 4 used"), ols.err());
        MainIT.Outcome logit = refused("cluster-logit", "--model", "logit", "--formula", "won ~ z", "--se", "cluster",
                "--cluster", "agent");
        assertTrue(logit.err().contains("logit: cluster standard errors need at least 2 clusters, found 1 in column "
                + "agent"), logit.err());
    }

    @Test
    void aRefusedFitLeavesThePreviousOutputAsItWas() throws Exception {
        Path out = dir.resolve("previous");
        MainIT.Outcome first = MainIT.run("fit", "--data", fixture.toString(), "--formula", "y ~ z", "--output", out.toString());
        assertEquals(0, first.code(), first.err());
        byte[] before = Files.readAllBytes(out.resolve("coefficients.csv"));
        MainIT.Outcome second = MainIT.run("fit", "--data", fixture.toString(), "--formula", "y ~ z + C(channel)", "--output",
                out.toString());
        assertEquals(3, second.code(), second.err());
        assertEquals(new String(before, StandardCharsets.UTF_8),
                Files.readString(out.resolve("coefficients.csv")), "the previous run is untouched");
        try (Stream<Path> siblings = Files.list(dir)) {
            // Beside the output: its link and the folder it leads to (.previous.run-<id>), nothing
            // staged or moved aside.
            assertTrue(siblings.map(p -> p.getFileName().toString())
                            .noneMatch(n -> n.contains(".staging-") || n.contains(".previous-")),
                    "no staging folder left");
        }
    }
}
