package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code empathy fit --model ologit} on {@code MASS::housing} expanded to rows
 * ({@code lib/src/test/resources/r/housing.csv}), against the R figures quoted in
 * {@code OrderedLogitAgainstRTest}: {@code polr(factor(sat) ~ infl + type + cont, Hess = TRUE,
 * control = list(reltol = 1e-12))}, taken to the maximum by three Newton steps in R, and the
 * cluster sandwich by {@code block} written out in R ({@code r/housing-polr.R}); and its refusals.
 */
class FitOrderedLogitIT {

    static final String HOUSING = Path.of("../lib/src/test/resources/r/housing.csv").toString();

    @TempDir
    static Path dir;

    private static void near(double expected, String actual, double rel) {
        double a = Double.parseDouble(actual);
        assertTrue(Math.abs(a - expected) <= rel * Math.abs(expected), expected + " vs " + actual);
    }

    @Test
    void writesCoefficientsThenThresholdsAndPrintsThemAsPolrDoes() throws Exception {
        Path out = dir.resolve("ologit");
        MainIT.Outcome o = MainIT.run("fit", "--model", "ologit", "--data", HOUSING, "--formula",
                "sat ~ C(infl) + C(type) + C(cont)", "--se", "cluster", "--cluster", "block", "--output", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("Ordered logit (proportional odds): sat ~ C(infl) + C(type) + C(cont)\n"
                + "1,681 rows read; 1,681 used\n"), o.out());
        assertTrue(o.out().contains("Coefficients (cluster standard errors):"), o.out());
        assertTrue(o.out().contains("Thresholds (intercepts), levels 1 < 2 < 3:"), o.out());
        assertTrue(o.out().contains("Clusters: 24"), o.out());
        assertTrue(o.out().contains("Residual Deviance: 3479.15"), o.out());
        List<String> lines = Files.readAllLines(out.resolve("coefficients.csv"), StandardCharsets.UTF_8);
        assertEquals("term,estimate,std_error,statistic,p_value,ci_low,ci_high,se_type,exp_estimate", lines.get(0));
        assertEquals(9, lines.size(), String.join("\n", lines));
        String[] low = lines.get(1).split(",");
        assertEquals("C(infl)[T.Low]", low[0]);
        near(-1.288819110372256, low[1], 1e-10);
        near(0.1240574595219665, low[2], 1e-10);
        assertEquals("cluster", low[7]);
        near(Math.exp(-1.288819110372256), low[8], 1e-10);
        String[] first = lines.get(7).split(",");
        String[] second = lines.get(8).split(",");
        assertEquals("1|2", first[0]);
        assertEquals("2|3", second[0]);
        near(-1.572888251096501, first[1], 1e-10);
        near(0.0949769135714304, first[2], 1e-10);
        near(-0.386044853636260, second[1], 1e-10);
        near(0.1060985156363173, second[2], 1e-10);
        List<String> fit = Files.readAllLines(out.resolve("fit.csv"), StandardCharsets.UTF_8);
        assertEquals("n,k,r_squared,adj_r_squared,f_statistic,rmse,clusters,log_likelihood", fit.get(0));
        assertTrue(fit.get(1).startsWith("1681,8,,,,,24,"), fit.get(1));
        near(-1739.5746495294745, fit.get(1).split(",")[7], 1e-14);
    }

    @Test
    void refusesAResponseThatIsNotAnOrderedScaleAndAFormulaWithoutIntercept() throws Exception {
        // block has 24 distinct values: not an ordered scale.
        Path many = dir.resolve("absent-many");
        MainIT.Outcome tooMany = MainIT.run("fit", "--model", "ologit", "--data", HOUSING, "--formula",
                "block ~ C(infl)", "--output", many.resolve("out").toString());
        assertEquals(3, tooMany.code(), tooMany.err());
        assertTrue(tooMany.err().contains("empathy: input error: ologit: the response block has more than 20 "
                + "distinct values; an ordered response needs 2 to 20 levels"), tooMany.err());
        assertFalse(Files.exists(many));
        Path single = dir.resolve("single.csv");
        Files.writeString(single, "csat,x\n4,1\n4,2\n4,3\n4,5\n");
        Path one = dir.resolve("absent-one");
        MainIT.Outcome oneLevel = MainIT.run("fit", "--model", "ologit", "--data", single.toString(), "--formula",
                "csat ~ x", "--output", one.resolve("out").toString());
        assertEquals(3, oneLevel.code(), oneLevel.err());
        assertTrue(oneLevel.err().contains("empathy: input error: ologit: the response csat has a single level (4) "
                + "on the 4 rows used: nothing to order"), oneLevel.err());
        assertFalse(oneLevel.err().contains("\tat "), oneLevel.err());
        assertFalse(Files.exists(one));
        MainIT.Outcome noIntercept = MainIT.run("fit", "--model", "ologit", "--data", HOUSING, "--formula",
                "sat ~ C(infl) - 1", "--output", dir.resolve("absent-noint").toString());
        assertEquals(2, noIntercept.code(), noIntercept.err());
        assertTrue(noIntercept.err().contains("the thresholds play the intercept"), noIntercept.err());
    }
}
