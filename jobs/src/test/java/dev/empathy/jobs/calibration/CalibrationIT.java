package dev.empathy.jobs.calibration;

import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.input.InputValidator;
import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.run.JobContext;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import dev.empathy.lib.contract.Contract;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibration job on eleven hand-made interactions rated by six raters, two of each team
 * (ids sort within a team as C1 = rater-cat, C2 = rater-cy, A1 = rater-ali, A2 = rater-ann,
 * O1 = rater-ola, O2 = rater-oz); every expected figure below was computed outside the job.
 *
 * <pre>
 * id   month    ratings
 * i1   2025-03  C1 60, A1 62, O1 68
 * i2   2025-03  C1 50, C2 54, A2 51, O1 57
 * i3   2025-03  C2 70, A1 71, O2 78
 * i4   2025-03  C1 40, O1 45, O2 47
 * i5   2025-04  C1 80, C2 78, A1 80, A2 84
 * i6   2025-04  C2 65, O2 72
 * i7   2025-04  A1 54 and 58 (averaged: 56), A2 57     no calibration rating
 * i8   2025-04  O1 90                                  rated once: not pairable
 * i9   2025-04  C1 64, A1 66, O1 71                    } with i1, a complete block of
 * i10  2025-04  C1 47, A1 48, O1 55                    } 4 interactions x 3 raters
 * i11  2025-04  C1 73, A1 75, O1 80                    }
 * i99  -        C1 70                                  no such interaction: rejected
 * </pre>
 *
 * By hand, the calibration means are i1 60, i2 52, i3 70, i4 40, i5 79, i6 65, i9 64, i10 47,
 * i11 73; rater A1's differences 2, 1, 1, 2, 1, 2 (mean 1.5), A2's -1, 5 (2), O1's 8, 5, 5, 7, 8, 7,
 * O2's 8, 7, 7 (7.333); C1 against the other calibration rater -4, 2 (-1), C2 4, -2 (1). The
 * in-house team's mean minus the calibration mean per interaction: 2, -1, 1, 3, 2, 1, 2 (1.4286);
 * the outsourced team's 8, 5, 8, 6, 7, 7, 8, 7 (7).
 *
 * <p>R 4.2.2 (alpha from the pairwise definition, {@code pairwise_alpha} of
 * {@code KrippendorffAlphaTest}; t intervals from {@code t.test}; the block from psych 2.2.9):
 * <pre>
 * pairwise_alpha(units)            # all 0.913886072678117 (n 30, 10 units)
 * pairwise_alpha(team("A"))        # in_house 0.980645161290323; team("O") 0; team("C") 0.979702300405954
 * pairwise_alpha(units[c("i1","i2","i3","i4")])   # 2025-03: 0.889951219512195
 * t.test(c(2, -1, 1, 3, 2, 1, 2))  # 1.428571428571429, 0.251781032172605 to 2.605361824970253
 * t.test(c(8, 5, 8, 6, 7, 7, 8, 7))  # 7, 6.1062560408819 to 7.8937439591181, sd 1.0690449676497
 * t.test(c(2, 1, 1, 2, 1, 2))      # 1.5, 0.925200427379101 to 2.074799572620899
 * t.test(c(8, 5, 8, 6, 7, 7, 8, 7), c(2, -1, 1, 3, 2, 1, 2))   # Welch: 4.23659309234527 to 6.90626405051188
 * t.test(c(8, 5, 8, 6))            # 2025-03 outsourced: 6.75, 4.36316527103722 to 9.13683472896278
 * psych::ICC(rbind(c(60, 62, 68), c(64, 66, 71), c(47, 48, 55), c(73, 75, 80)), lmer = FALSE)
 * # ICC2 0.881919595874553 [0.166612221935124, 0.991707464145106]
 * # ICC3 0.997856632531555 [0.985968603731018, 0.999854342238264]
 * </pre>
 */
class CalibrationIT {

    @TempDir
    static Path dir;

    static Path folder;

    static final Instant MARCH = Instant.parse("2025-03-10T10:00:00Z");
    static final Instant APRIL = Instant.parse("2025-04-10T10:00:00Z");

    @BeforeAll
    static void run() throws IOException {
        folder = run("fixture", ratings(), new Calibration(new Calibration.Options(200, 11, 3, 2)));
    }

    @SuppressWarnings("unchecked")
    static Path run(String name, List<Map<String, Object>> ratings, Calibration job) throws IOException {
        Path input = dir.resolve(name).resolve("input");
        List<Map<String, Object>> interactions = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            interactions.add(interaction("i" + i, "started_at", i <= 4 ? MARCH : APRIL));
        }
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.QA_RATINGS, ratings.toArray(Map[]::new));
        Path out = dir.resolve(name).resolve("run");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("calibration", input, out, "2026-01-31",
                Map.of()), Jobs.plan(List.of(job)), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest.at("/jobs/0/status").asText(), manifest.toPrettyString());
        return out.resolve("calibration");
    }

    private static List<Map<String, Object>> ratings() {
        List<Map<String, Object>> r = new ArrayList<>();
        String c1 = "rater-cat";
        String c2 = "rater-cy";
        String a1 = "rater-ali";
        String a2 = "rater-ann";
        String o1 = "rater-ola";
        String o2 = "rater-oz";
        add(r, "i1", c1, 60, a1, 62, o1, 68);
        add(r, "i2", c1, 50, c2, 54, a2, 51, o1, 57);
        add(r, "i3", c2, 70, a1, 71, o2, 78);
        add(r, "i4", c1, 40, o1, 45, o2, 47);
        add(r, "i5", c1, 80, c2, 78, a1, 80, a2, 84);
        add(r, "i6", c2, 65, o2, 72);
        add(r, "i7", a1, 54, a1, 58, a2, 57);
        add(r, "i8", o1, 90);
        add(r, "i9", c1, 64, a1, 66, o1, 71);
        add(r, "i10", c1, 47, a1, 48, o1, 55);
        add(r, "i11", c1, 73, a1, 75, o1, 80);
        add(r, "i99", c1, 70);
        return r;
    }

    private static void add(List<Map<String, Object>> rows, String id, Object... raterScore) {
        for (int i = 0; i < raterScore.length; i += 2) {
            String rater = (String) raterScore[i];
            String team = rater.equals("rater-cat") || rater.equals("rater-cy") ? "calibration"
                    : rater.startsWith("rater-a") ? "in_house" : "outsourced";
            rows.add(Fixtures.row(Contract.QA_RATINGS, "interaction_id", id, "rater_id", rater, "rater_team", team,
                    "empathy_score", ((Number) raterScore[i + 1]).doubleValue(), "rated_at", APRIL));
        }
    }

    /** Rows of a CSV of {@code folder} by the cells of {@code key}, each row by column name. */
    static Map<String, Map<String, String>> csv(Path folder, String file, String... key) throws IOException {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(folder.resolve(file))) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                List<String> k = new ArrayList<>();
                for (String c : key) {
                    k.add(r.get(c));
                }
                rows.put(String.join("|", k), r.toMap());
            }
        }
        return rows;
    }

    private static double d(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    @Test
    void alphaOverallPerTeamAndPerMonthMatchThePairwiseDefinition() throws IOException {
        Map<String, Map<String, String>> a = csv(folder, "agreement.csv", "rater_team", "statistic");
        assertEquals(List.of("all|alpha_interval", "all|icc2_1", "all|icc3_1", "in_house|alpha_interval",
                "in_house|icc2_1", "in_house|icc3_1", "outsourced|alpha_interval", "outsourced|icc2_1",
                "outsourced|icc3_1", "calibration|alpha_interval", "calibration|icc2_1", "calibration|icc3_1"),
                List.copyOf(a.keySet()));
        Map<String, String> all = a.get("all|alpha_interval");
        assertEquals(0.913886072678117, d(all, "estimate"), 1e-12);
        assertEquals("10", all.get("units"));
        assertEquals("30", all.get("ratings"));
        assertEquals("6", all.get("raters"));
        assertTrue(d(all, "ci_low") <= 0.913886 && 0.913886 <= d(all, "ci_high"), all.toString());
        assertEquals(0.980645161290323, d(a.get("in_house|alpha_interval"), "estimate"), 1e-12);
        assertEquals(0, d(a.get("outsourced|alpha_interval"), "estimate"), 1e-12);
        assertEquals(0.979702300405954, d(a.get("calibration|alpha_interval"), "estimate"), 1e-12);
        Map<String, Map<String, String>> drift = csv(folder, "drift.csv", "month", "rater_team", "statistic");
        assertEquals(0.889951219512195, d(drift.get("2025-03|all|alpha_interval"), "estimate"), 1e-12);
        assertEquals("4", drift.get("2025-03|all|alpha_interval").get("units"));
    }

    @Test
    void iccsOnTheOneCompleteBlockAndNotedRowsWithout() throws IOException {
        Map<String, Map<String, String>> a = csv(folder, "agreement.csv", "rater_team", "statistic");
        Map<String, String> two = a.get("all|icc2_1");
        assertEquals(0.881919595874553, d(two, "estimate"), 1e-12);
        assertEquals(0.166612221935124, d(two, "ci_low"), 1e-9);
        assertEquals(0.991707464145106, d(two, "ci_high"), 1e-9);
        assertEquals("4", two.get("units"));
        assertEquals("12", two.get("ratings"));
        Map<String, String> three = a.get("all|icc3_1");
        assertEquals(0.997856632531555, d(three, "estimate"), 1e-12);
        assertEquals(0.985968603731018, d(three, "ci_low"), 1e-9);
        assertTrue(three.get("note").contains("4 interactions rated by the same 3 raters"), three.get("note"));
        // No team has 3 interactions rated by the same two of its raters (and only them).
        for (String team : Calibration.TEAMS) {
            Map<String, String> row = a.get(team + "|icc2_1");
            assertEquals("", row.get("estimate"));
            assertTrue(row.get("note").startsWith("no complete block"), row.get("note"));
        }
        Map<String, Map<String, String>> blocks = csv(folder, "blocks.csv", "rater_team", "block");
        assertEquals(List.of("all|1"), List.copyOf(blocks.keySet()));
        assertEquals("rater-cat rater-ali rater-ola", blocks.get("all|1").get("rater_ids"));
        assertEquals("yes", blocks.get("all|1").get("used"));
    }

    @Test
    void teamAndRaterDifferencesFromTheCalibrationTeam() throws IOException {
        Map<String, Map<String, String>> b = csv(folder, "bias.csv", "scope", "rater_team", "rater_id");
        assertEquals(List.of("team|in_house|", "team|outsourced|", "rater|in_house|rater-ali",
                "rater|in_house|rater-ann", "rater|outsourced|rater-ola", "rater|outsourced|rater-oz",
                "rater|calibration|rater-cat", "rater|calibration|rater-cy"), List.copyOf(b.keySet()));
        Map<String, String> in = b.get("team|in_house|");
        assertEquals(1.428571428571429, d(in, "difference"), 1e-12);
        assertEquals(0.251781032172605, d(in, "ci_low"), 1e-9);
        assertEquals(2.605361824970253, d(in, "ci_high"), 1e-9);
        assertEquals("7", in.get("interactions"));
        Map<String, String> out = b.get("team|outsourced|");
        assertEquals(7, d(out, "difference"), 1e-12);
        assertEquals(6.1062560408819, d(out, "ci_low"), 1e-9);
        assertEquals(7.8937439591181, d(out, "ci_high"), 1e-9);
        assertEquals(1.0690449676497, d(out, "sd_difference"), 1e-9);
        Map<String, String> ali = b.get("rater|in_house|rater-ali");
        assertEquals(1.5, d(ali, "difference"), 1e-12);
        assertEquals(0.925200427379101, d(ali, "ci_low"), 1e-9);
        assertEquals("6", ali.get("interactions"));
        assertEquals("strictest", ali.get("mark"));
        assertEquals(2, d(b.get("rater|in_house|rater-ann"), "difference"), 1e-12);
        assertEquals(40.0 / 6, d(b.get("rater|outsourced|rater-ola"), "difference"), 1e-12);
        assertEquals(22.0 / 3, d(b.get("rater|outsourced|rater-oz"), "difference"), 1e-12);
        assertEquals("most_lenient", b.get("rater|outsourced|rater-oz").get("mark"));
        assertEquals(-1, d(b.get("rater|calibration|rater-cat"), "difference"), 1e-12);
        assertEquals(1, d(b.get("rater|calibration|rater-cy"), "difference"), 1e-12);
        Map<String, Map<String, String>> gap = csv(folder, "gap.csv", "measure");
        Map<String, String> g = gap.get("difference_from_calibration");
        assertEquals(7 - 10.0 / 7, d(g, "gap"), 1e-12);
        assertEquals(4.23659309234527, d(g, "ci_low"), 1e-9);
        assertEquals(6.90626405051188, d(g, "ci_high"), 1e-9);
        assertEquals("9", g.get("interactions"));
        Map<String, String> alpha = gap.get("alpha_interval");
        assertEquals(0 - 0.980645161290323, d(alpha, "gap"), 1e-12);
        Map<String, Map<String, String>> drift = csv(folder, "drift.csv", "month", "rater_team", "statistic");
        Map<String, String> march = drift.get("2025-03|outsourced|difference");
        assertEquals(6.75, d(march, "estimate"), 1e-12);
        assertEquals(4.36316527103722, d(march, "ci_low"), 1e-9);
        assertEquals("4", march.get("units"));
        assertEquals("5", march.get("ratings"));
        assertEquals(2, d(drift.get("2025-04|in_house|difference"), "estimate"), 1e-12);
        // The trend: R 4.2.2, confint(lm(y ~ x)) with x the month (0 March, 1 April):
        // outsourced y = c(8, 5, 8, 6, 7, 7, 8, 7), x = c(0, 0, 0, 0, 1, 1, 1, 1): 0.5, -1.43445367081924 to 2.43445367081925;
        // in-house y = c(2, -1, 1, 3, 2, 1, 2), x = c(0, 0, 0, 1, 1, 1, 1): 1.333333333333333, -0.933706753944533 to 3.60037342061120.
        Map<String, String> trend = drift.get("all|outsourced|difference_per_month");
        assertEquals(0.5, d(trend, "estimate"), 1e-12);
        assertEquals(-1.43445367081924, d(trend, "ci_low"), 1e-9);
        assertEquals(2.43445367081925, d(trend, "ci_high"), 1e-9);
        assertEquals("8", trend.get("units"));
        Map<String, String> inTrend = drift.get("all|in_house|difference_per_month");
        assertEquals(4.0 / 3, d(inTrend, "estimate"), 1e-12);
        assertEquals(3.60037342061120, d(inTrend, "ci_high"), 1e-9);
    }

    @Test
    void populationCountsTheUnknownInteractionAndTheRepeatedRating() throws IOException {
        Map<String, Map<String, String>> p = csv(folder, "population.csv", "step");
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("ratings_read", 33L);
        expected.put("ratings_rejected_unknown_interaction", 1L);
        expected.put("ratings_rejected_other_rules", 0L);
        expected.put("ratings_used", 32L);
        expected.put("repeated_ratings_averaged", 1L);
        expected.put("interactions_rated", 11L);
        expected.put("interactions_rated_once", 1L);
        expected.put("interactions_rated_by_two_or_more", 10L);
        expected.put("ratings_of_those_interactions", 30L);
        expected.put("interactions_rated_by_calibration_and_another_team", 9L);
        Map<String, Long> found = new LinkedHashMap<>();
        p.forEach((k, v) -> found.put(k, Long.parseLong(v.get("count"))));
        assertEquals(expected, found);
    }

    @Test
    void theSummaryNamesNoRaterAndSaysTheGapInWords() throws IOException {
        String summary = Files.readString(folder.resolve("summary.md"));
        assertTrue(summary.contains("1 were rejected because their interaction is not in the interactions table"),
                summary);
        assertTrue(summary.contains("outsourced raters score 5.6 points higher than in-house raters "
                + "(95% interval +4.2 to +6.9)"), summary);
        assertTrue(summary.contains("0.914"), summary);
        for (String noise : List.of("NaN", "Infinity", "rater-", "i99")) {
            assertFalse(summary.contains(noise), noise + " in " + summary);
        }
        assertTrue(Files.size(folder.resolve("drift.png")) > 0);
        assertTrue(Files.size(folder.resolve("agreement.png")) > 0);
    }

    /** No interaction rated twice: nothing is pairable, every file is still written and the summary says why. */
    @Test
    void noInteractionRatedTwiceWritesEveryFileAndSaysNothingWasFitted() throws IOException {
        List<Map<String, Object>> ratings = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ratings.add(Fixtures.row(Contract.QA_RATINGS, "interaction_id", "i" + i, "rater_id", "rater-cat",
                    "rater_team", "calibration", "empathy_score", 60.0 + i, "rated_at", APRIL));
        }
        Path single = run("single", ratings, new Calibration());
        for (String file : List.of("population.csv", "agreement.csv", "blocks.csv", "bias.csv", "drift.csv", "gap.csv",
                "drift.png", "agreement.png", "summary.md")) {
            assertTrue(Files.isRegularFile(single.resolve(file)), file);
        }
        assertEquals("0", csv(single, "population.csv", "step").get("interactions_rated_by_two_or_more").get("count"));
        assertEquals(12, csv(single, "agreement.csv", "rater_team", "statistic").size());
        String summary = Files.readString(single.resolve("summary.md"));
        assertTrue(summary.contains("No interaction was rated by two raters"), summary);
    }

    /**
     * One team, every rating equal: alpha and the ICCs have nothing to measure (D_e = 0), there is
     * no calibration team to compare with; every file is still written, with noted rows.
     */
    @Test
    void oneTeamOfEqualRatingsGivesNotedRowsNotAnException() throws IOException {
        List<Map<String, Object>> ratings = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            for (String rater : List.of("rater-ali", "rater-ann")) {
                ratings.add(Fixtures.row(Contract.QA_RATINGS, "interaction_id", "i" + i, "rater_id", rater,
                        "rater_team", "in_house", "empathy_score", 70.0, "rated_at", APRIL));
            }
        }
        Path equal = run("equal", ratings, new Calibration());
        Map<String, Map<String, String>> a = csv(equal, "agreement.csv", "rater_team", "statistic");
        assertEquals(12, a.size());
        assertEquals("", a.get("all|alpha_interval").get("estimate"));
        assertTrue(a.get("all|alpha_interval").get("note").contains("the same"), a.get("all|alpha_interval").toString());
        assertEquals("", a.get("all|icc2_1").get("estimate"));
        assertTrue(a.get("all|icc2_1").get("note").contains("every rating of the block is the same"),
                a.get("all|icc2_1").toString());
        Map<String, Map<String, String>> b = csv(equal, "bias.csv", "scope", "rater_team", "rater_id");
        assertEquals("", b.get("team|outsourced|").get("difference"));
        String summary = Files.readString(equal.resolve("summary.md"));
        for (String noise : List.of("NaN", "Infinity", "rater-")) {
            assertFalse(summary.contains(noise), noise + " in " + summary);
        }
        assertTrue(summary.contains("not fitted"), summary);
        for (String file : List.of("drift.csv", "gap.csv", "blocks.csv", "drift.png", "agreement.png")) {
            assertTrue(Files.isRegularFile(equal.resolve(file)), file);
        }
    }

    /**
     * Per-rater means, sums of doubles in any order: on i1 the calibration rater C1 scores 20 and
     * A1 scores 2.9, 4.9, 12.9 and 70.4, which are averaged into one value. 2.9 + 4.9 + 12.9 + 70.4
     * = 91.1 exactly in decimal, and the double nearest it prints as 91.1; added as doubles they
     * never give that double: 12 of the 24 orders give 91.10000000000001 (left to right among
     * them), the other 12 91.10000000000002 (2.9 + 70.4 first, say), and (2.9 + 4.9) + (12.9 +
     * 70.4) gives 91.10000000000001. A1's mean is 91.1 / 4 (22.775) and its difference from
     * calibration, alone and as the in-house team's, 91.1 / 4 - 20 (2.7749999999999986; a plain
     * mean gives 2.775000000000002 or 2.7750000000000057), whatever the shuffle's partitions.
     */
    @Test
    @SuppressWarnings("unchecked")
    void perRaterMeansDoNotDependOnTheOrderSparkAddsIn() throws IOException {
        Path input = dir.resolve("order/input");
        Fixtures.write(input, Contract.INTERACTIONS, interaction("i1", "started_at", APRIL));
        List<Map<String, Object>> ratings = new ArrayList<>();
        add(ratings, "i1", "rater-cat", 20, "rater-ali", 2.9, "rater-ali", 4.9, "rater-ali", 12.9, "rater-ali", 70.4);
        Fixtures.write(input, Contract.QA_RATINGS, ratings.toArray(Map[]::new));
        var spark = SharedSpark.session();
        ValidatedInput validated = new InputValidator(spark, dir.resolve("order/work"), Progress.silent())
                .validate(input, dir.resolve("order/rejects"));
        Calibration calibration = new Calibration(new Calibration.Options(0, 11, 3, 2));
        SharedSpark.underShufflePartitions(List.of("1", "2", "3", "5"), parts -> {
            Calibration.Result result = calibration.compute(new JobContext(spark, validated, Progress.silent()));
            assertEquals(3L, result.steps().get("repeated_ratings_averaged"), parts + " partitions");
            Calibration.Bias ali = result.bias().stream().filter(b -> "rater-ali".equals(b.raterId()))
                    .findFirst().orElseThrow();
            assertEquals(Double.toString(91.1 / 4 - 20), Double.toString(ali.difference()), parts + " partitions");
            assertEquals(Double.toString(91.1 / 4 - 20),
                    Double.toString(result.team("in_house").orElseThrow().difference()), parts + " partitions");
        });
    }
}
