package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.csat.CsatEffect;
import dev.empathy.jobs.csat.CsatPopulation;
import dev.empathy.jobs.input.InputValidator;
import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.run.Progress;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code empathy csat-effect} on the shipped sample (30,000 generated interactions, seed
 * 20250101): the planted CSAT effects of {@code truth.json} against the reported 95% intervals,
 * and the {@code main} model against {@code empathy fit} on the same joined data.
 */
class CsatEffectIT {

    static final Path SAMPLE = Path.of("../sample-data/data");

    @TempDir
    static Path dir;

    static Map<String, Map<String, CSVRecord>> coefficients;
    static JsonNode truth;
    static JsonNode empathyTruth;
    /** The population's mean resolution hours and mean empathy score / 10, and where it is written. */
    static double meanHours;
    static double meanEmpathy10;
    static Path population;

    @BeforeAll
    static void runTheJob() throws IOException {
        MainIT.session();
        MainIT.Outcome o = MainIT.run("csat-effect", "--input", SAMPLE.toString(), "--output",
                dir.resolve("run").toString());
        assertEquals(0, o.code(), o.err());
        coefficients = read(dir.resolve("run/csat-effect/coefficients.csv"));
        JsonNode job = new ObjectMapper().readTree(dir.resolve("run/manifest.json").toFile()).get("jobs").get(1);
        assertEquals("csat-effect", job.get("name").asText());
        assertEquals("agent_id", job.get("options").get("cluster").asText(), "the job's options reach the manifest");
        assertEquals(6, job.get("options").get("controls").size());
        JsonNode all = new ObjectMapper().readTree(SAMPLE.resolve("truth.json").toFile());
        truth = all.get("csat");
        empathyTruth = all.get("empathy");

        ValidatedInput input = new InputValidator(MainIT.spark, dir.resolve("work"), Progress.silent())
                .validate(SAMPLE, dir.resolve("rejects"));
        var rows = CsatPopulation.build(input, CsatEffect.Options.defaults().bandEdges()).rows();
        org.apache.spark.sql.Row means = rows.agg(org.apache.spark.sql.functions.avg("resolution_hours"),
                org.apache.spark.sql.functions.avg("empathy_10")).first();
        meanHours = means.getDouble(0);
        meanEmpathy10 = means.getDouble(1);
        population = dir.resolve("population");
        rows.write().parquet(population.toString());
        rows.unpersist();
    }

    static Map<String, Map<String, CSVRecord>> read(Path csv) throws IOException {
        Map<String, Map<String, CSVRecord>> byModel = new HashMap<>();
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                String model = r.isMapped("model") ? r.get("model") : "";
                byModel.computeIfAbsent(model, m -> new HashMap<>()).put(r.get("term"), r);
            }
        }
        return byModel;
    }

    private static boolean covers(String model, String term, double planted) {
        CSVRecord r = coefficients.get(model).get(term);
        return Double.parseDouble(r.get("ci_low")) <= planted && planted <= Double.parseDouble(r.get("ci_high"));
    }

    private static void assertCovers(String model, String term, double planted) {
        CSVRecord r = coefficients.get(model).get(term);
        assertTrue(covers(model, term, planted), String.format(Locale.ROOT, "%s %s: planted %.4f outside [%s, %s]",
                model, term, planted, r.get("ci_low"), r.get("ci_high")));
    }

    /**
     * CSAT is planted as {@code ... + a (E - 62)/10 + b H + c (E - 62)/10 (H - 5)}; a model without
     * the product term estimates the average effects {@code a + c (mean H - 5)} per 10 points and
     * {@code b + c (mean E/10 - 6.2)} per hour, over the modelled contacts.
     */
    @Test
    void thePlantedEmpathyAndSpeedEffectsLieInsideTheIntervals() {
        double perTen = truth.get("empathy_per_10_points").asDouble();
        double perHour = truth.get("resolution_per_hour").asDouble();
        double cross = truth.get("empathy_per_10_x_resolution_hour").asDouble();
        double centre = truth.get("interaction_centred_at_hours").asDouble();
        double averageEmpathy = perTen + cross * (meanHours - centre);
        double averageHour = perHour + cross * (meanEmpathy10 - empathyTruth.get("mean").asDouble() / 10);
        assertCovers("main", "empathy_10", averageEmpathy);
        assertCovers("main", "resolution_hours", averageHour);
        assertCovers("agent_fe", "empathy_10", averageEmpathy);
        assertCovers("agent_fe", "resolution_hours", averageHour);
        assertCovers("speed_log", "empathy_10", averageEmpathy);
        // With a raw empathy x hours term the coefficients are the effects at 0 hours and at empathy 0.
        assertCovers("interaction", "empathy_10", perTen - cross * centre);
        assertCovers("interaction", "empathy_10:resolution_hours", cross);
        assertCovers("interaction", "resolution_hours", perHour - cross * empathyTruth.get("mean").asDouble() / 10);
    }

    /**
     * The planted control effects as contrasts with each control's reference level. About 20
     * contrasts are checked at 95% each, so a miss or two is chance; the test allows one in ten.
     */
    @Test
    void thePlantedControlEffectsLieInsideTheirIntervalsAsOftenAsIntervalsShould() {
        int checked = 0;
        List<String> missed = new ArrayList<>();
        for (String control : List.of("channel", "region", "contact_reason", "segment")) {
            JsonNode levels = truth.get(control);
            List<String> names = new ArrayList<>();
            levels.fieldNames().forEachRemaining(names::add);
            String reference = names.stream().sorted().findFirst().orElseThrow();
            double base = levels.get(reference).asDouble();
            for (Iterator<String> it = levels.fieldNames(); it.hasNext(); ) {
                String level = it.next();
                String term = "C(" + control + ")[T." + level + "]";
                if (level.equals(reference) || !coefficients.get("main").containsKey(term)) {
                    continue;
                }
                checked++;
                if (!covers("main", term, levels.get(level).asDouble() - base)) {
                    missed.add(term);
                }
            }
        }
        assertTrue(checked >= 15, "contrasts checked: " + checked);
        assertTrue(missed.size() <= checked / 10, "outside their intervals: " + missed + " of " + checked);
    }

    @Test
    void theMainModelEqualsEmpathyFitOnTheSameJoinedData() throws IOException {
        String formula = "csat ~ empathy_10 + resolution_hours + C(channel) + C(region) + C(contact_reason) "
                + "+ C(segment) + C(month) + C(team_type)";
        MainIT.Outcome fit = MainIT.run("fit", "--data", population.toString(), "--formula", formula, "--se", "cluster",
                "--cluster", "agent_id", "--output", dir.resolve("fit").toString());
        assertEquals(0, fit.code(), fit.err());
        Map<String, CSVRecord> alone = read(dir.resolve("fit/coefficients.csv")).get("");
        Map<String, CSVRecord> main = coefficients.get("main");
        assertEquals(alone.keySet(), main.keySet());
        for (String term : alone.keySet()) {
            for (String column : List.of("estimate", "std_error", "ci_low", "ci_high")) {
                double a = Double.parseDouble(alone.get(term).get(column));
                double b = Double.parseDouble(main.get(term).get(column));
                assertEquals(a, b, 1e-10 * Math.max(1, Math.abs(a)), term + " " + column);
            }
        }
    }

    @Test
    void theStepsAddUpAndTheSummaryIsPlain() throws IOException {
        List<String> steps = Files.readAllLines(dir.resolve("run/csat-effect/population.csv"));
        long read = 0;
        long excluded = 0;
        long modelled = 0;
        for (String line : steps.subList(1, steps.size())) {
            String[] p = line.split(",");
            long n = Long.parseLong(p[1]);
            if (p[0].equals("interactions")) {
                read = n;
            } else if (p[0].equals("modelled")) {
                modelled = n;
            } else {
                excluded += n;
            }
        }
        assertEquals(30000, read);
        assertEquals(read, excluded + modelled);
        List<String> fit = Files.readAllLines(dir.resolve("run/csat-effect/fit.csv"));
        String[] mainFit = fit.stream().filter(l -> l.startsWith("main,")).findFirst().orElseThrow().split(",");
        assertEquals(modelled, Long.parseLong(mainFit[1]));
        // The Shapley parts add up to the main model's R².
        double parts = 0;
        for (String line : Files.readAllLines(dir.resolve("run/csat-effect/decomposition.csv")).subList(1, 4)) {
            parts += Double.parseDouble(line.split(",")[1]);
        }
        assertEquals(Double.parseDouble(mainFit[3]), parts, 1e-12);
        String summary = Files.readString(dir.resolve("run/csat-effect/summary.md"));
        assertTrue(summary.contains(String.format(Locale.ROOT, "%,d", modelled)), summary);
        String first = summary.substring(summary.indexOf("\n\n") + 2);
        first = first.substring(0, first.indexOf("\n\n"));
        String[] sentences = first.split("(?<=[.)])\\s+(?=[A-Z])");
        assertTrue(sentences.length >= 5 && sentences.length <= 8, sentences.length + " sentences: " + summary);
        for (String file : List.of("decomposition.csv", "effects.csv", "by_group.csv", "fit.csv")) {
            assertTrue(Files.size(dir.resolve("run/csat-effect").resolve(file)) > 50, file);
        }
        for (String chart : List.of("coefficients.png", "shapley.png", "predicted_csat.png", "empathy_by_channel.png")) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(dir.resolve("run/csat-effect")
                    .resolve(chart).toFile());
            assertEquals(1280, image.getWidth(), chart);
            assertTrue(image.getHeight() >= 360, chart);
        }
    }

    /**
     * The model-free check: boosted trees on the main model's features. Empathy's effect on CSAT is
     * planted as a straight line (0.025 points per empathy point at 5 hours, truth.json), and for a
     * straight line the SHAP value of a contact is slope x (its score - the mean score), so the mean
     * absolute SHAP value of {@code empathy} must be near 0.25 x the mean absolute deviation of
     * {@code empathy_10}, computed here from the population rows. Trees fitted on a few thousand
     * noisy answers shrink towards the mean, so the check allows 30%. Speed's slope is small
     * (0.015 per hour): its share must be below empathy's, as in the linear split.
     */
    @Test
    void theModelFreeCheckFindsEmpathysStraightLineAndRanksItAboveSpeed() throws IOException {
        Map<String, String[]> shap = new HashMap<>();
        List<String> lines = Files.readAllLines(dir.resolve("run/csat-effect/shap.csv"));
        assertEquals("feature_group,mean_abs_shap,share", lines.get(0));
        double shares = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(",");
            shap.put(p[0], p);
            shares += Double.parseDouble(p[2]);
        }
        assertEquals(java.util.Set.of("empathy", "speed", "channel", "region", "contact_reason", "segment", "month",
                "team_type"), shap.keySet());
        assertEquals(1.0, shares, 1e-9);
        org.apache.spark.sql.Row mad = MainIT.spark.read().parquet(population.toString())
                .selectExpr("avg(abs(empathy_10 - (select avg(empathy_10) from parquet.`" + population + "`)))")
                .first();
        double expected = truth.get("empathy_per_10_points").asDouble() * mad.getDouble(0);
        double found = Double.parseDouble(shap.get("empathy")[1]);
        assertEquals(expected, found, 0.3 * expected, "mean |SHAP| of empathy against the planted slope");
        assertTrue(Double.parseDouble(shap.get("speed")[2]) < Double.parseDouble(shap.get("empathy")[2]));
        JsonNode details = new ObjectMapper().readTree(dir.resolve("run/manifest.json").toFile())
                .at("/jobs/1/details/boosted_trees");
        assertEquals(200, details.get("trees").asInt(), details.toString());
        assertTrue(Files.size(dir.resolve("run/csat-effect/shap.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("run/csat-effect/summary.md")).contains("Model-free check:"));
    }

    /**
     * The ordinal model's effects on each answer's probability. Probabilities add up to one, so the
     * five changes add up to 0; the planted expected answer rises 0.25 per 10 points (truth.json),
     * so +10 points must make a 5 more likely and a 1 less likely, with intervals clear of 0; and
     * the implied change in the mean answer, sum of k x change in P(k), must be close to the
     * linear main model's empathy effect (a proportional-odds model is not the planted mechanism,
     * so "close" is within 0.05 points).
     */
    @Test
    void theOrdinalModelMovesEachAnswersProbability() throws IOException {
        Map<String, CSVRecord> effects = new HashMap<>();
        try (Reader in = Files.newBufferedReader(dir.resolve("run/csat-effect/effects.csv"))) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                effects.put(r.get("effect") + "|" + r.get("outcome"), r);
            }
        }
        double sum = 0;
        double mean = 0;
        for (int k = 1; k <= 5; k++) {
            double change = Double.parseDouble(effects.get("empathy_plus_10|p_csat_" + k).get("estimate"));
            sum += change;
            mean += k * change;
        }
        assertEquals(0, sum, 1e-9);
        CSVRecord top = effects.get("empathy_plus_10|p_csat_5");
        CSVRecord bottom = effects.get("empathy_plus_10|p_csat_1");
        assertTrue(Double.parseDouble(top.get("ci_low")) > 0, top.toString());
        assertTrue(Double.parseDouble(bottom.get("ci_high")) < 0, bottom.toString());
        double linear = Double.parseDouble(effects.get("empathy_plus_10|csat").get("estimate"));
        assertEquals(linear, mean, 0.05, "implied mean change " + mean + " vs linear " + linear);
        assertTrue(coefficients.get("ordinal").containsKey("4|5"), "the thresholds are in coefficients.csv");
        assertTrue(Files.readString(dir.resolve("run/csat-effect/summary.md")).contains("Answer by answer"));
    }
}
