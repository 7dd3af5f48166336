package dev.empathy.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {

    private static final String[] TABLES = {
        "interactions", "csat", "turns", "customers", "agents", "shifts", "qa_ratings", "agent_pulse"};

    @TempDir
    static Path dir;

    static Path data;
    static List<Map<String, Object>> interactions;

    @BeforeAll
    static void generate() throws IOException {
        data = dir.resolve("data");
        Generator.generate(data, new GeneratorParams(40_000, 7, 2), line -> { });
        interactions = ParquetRows.read(data.resolve("interactions"));
    }

    @Test
    void writesExactlyTheInteractionsAskedForAndEveryTable() throws IOException {
        assertEquals(40_000, interactions.size());
        for (String table : TABLES) {
            assertFalse(ParquetRows.read(data.resolve(table)).isEmpty(), table);
        }
        String truth = Files.readString(data.resolve("truth.json"));
        assertTrue(truth.contains("\"empathy_per_10_points\" : 0.25"), truth);
        assertTrue(truth.contains("\"interactions\" : 40000"), truth);
    }

    @Test
    void sameSeedGivesByteIdenticalFilesWhateverTheThreads() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        // 600k interactions would span three slices; 260k spans two, enough to mix slices and threads.
        Generator.generate(a, new GeneratorParams(260_000, 11, 1), line -> { });
        Generator.generate(b, new GeneratorParams(260_000, 11, 2), line -> { });
        Generator.generate(c, new GeneratorParams(260_000, 12, 2), line -> { });
        List<Path> filesA = files(a);
        assertEquals(filesA.stream().map(a::relativize).toList(), files(b).stream().map(b::relativize).toList());
        assertTrue(filesA.size() >= TABLES.length * 1 + 1);
        for (Path f : filesA) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f))), f.toString());
        }
        assertFalse(Arrays.equals(Files.readAllBytes(a.resolve("interactions/part-00000.parquet")),
                Files.readAllBytes(c.resolve("interactions/part-00000.parquet"))), "another seed, other data");
    }

    /**
     * Time order changes only the order of the interactions: the files, read in name order, hold
     * the customer-order rows sorted by started_at then interaction_id across the whole table,
     * each file as many rows as in customer order, and every other file has the same bytes. Two
     * slices (260k interactions), so the rows are merged across the slices' files; one thread and
     * two give the same bytes.
     */
    @Test
    void timeOrderSortsTheInteractionsAcrossFilesAndChangesNothingElse() throws IOException {
        Path customer = dir.resolve("a");
        if (!Files.isDirectory(customer)) {
            Generator.generate(customer, new GeneratorParams(260_000, 11, 1), line -> { });
        }
        Path time = dir.resolve("time-order");
        Path timeAgain = dir.resolve("time-order-one-thread");
        Generator.generate(time, new GeneratorParams(260_000, 11, 2, GeneratorParams.Order.TIME), line -> { });
        Generator.generate(timeAgain, new GeneratorParams(260_000, 11, 1, GeneratorParams.Order.TIME), line -> { });
        List<Path> files = files(customer);
        assertEquals(files.stream().map(customer::relativize).toList(), files(time).stream().map(time::relativize).toList());
        List<Map<String, Object>> asSimulated = new ArrayList<>();
        List<Map<String, Object>> byTime = new ArrayList<>();
        for (Path f : files) {
            Path same = time.resolve(customer.relativize(f));
            assertArrayEquals(Files.readAllBytes(same), Files.readAllBytes(timeAgain.resolve(customer.relativize(f))),
                    "threads: " + same);
            if (!customer.relativize(f).startsWith("interactions")) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(same), f.toString());
                continue;
            }
            List<Map<String, Object>> simulatedPart = ParquetRows.readFile(f);
            List<Map<String, Object>> timePart = ParquetRows.readFile(same);
            assertEquals(simulatedPart.size(), timePart.size(), "rows of " + same);
            asSimulated.addAll(simulatedPart);
            byTime.addAll(timePart);
        }
        List<Map<String, Object>> expected = new ArrayList<>(asSimulated);
        expected.sort(java.util.Comparator.comparing((Map<String, Object> r) -> (Instant) r.get("started_at"))
                .thenComparing(r -> (String) r.get("interaction_id")));
        assertEquals(260_000, byTime.size());
        // assertTrue, not assertEquals: a failure would print 260,000 rows twice.
        assertTrue(expected.equals(byTime), "not the customer-order rows sorted by started_at, interaction_id");
        assertFalse(expected.equals(asSimulated), "customer order is not time order");
        assertFalse(Files.exists(time.resolve("interactions.by-slice")), "the slices' files are removed");
    }

    @Test
    void everyInteractionFallsInAShiftOfItsAgent() throws IOException {
        Map<String, List<Instant[]>> shifts = new HashMap<>();
        for (Map<String, Object> s : ParquetRows.read(data.resolve("shifts"))) {
            shifts.computeIfAbsent((String) s.get("agent_id"), k -> new ArrayList<>())
                    .add(new Instant[] {(Instant) s.get("start_at"), (Instant) s.get("end_at")});
        }
        for (Map<String, Object> i : interactions.subList(0, 2000)) {
            Instant at = (Instant) i.get("started_at");
            boolean inShift = shifts.get((String) i.get("agent_id")).stream()
                    .anyMatch(s -> !at.isBefore(s[0]) && at.isBefore(s[1]));
            assertTrue(inShift, i.toString());
        }
    }

    /**
     * The slope of CSAT on empathy/10 among answered, resolved contacts. The other planted terms
     * are nearly independent of empathy, so a simple regression slope lands near the planted 0.25
     * (n about 8,000 here: standard error about 0.02).
     */
    @Test
    void csatRisesWithEmpathyByAboutThePlantedAmount() throws IOException {
        Map<String, Integer> csat = new HashMap<>();
        for (Map<String, Object> r : ParquetRows.read(data.resolve("csat"))) {
            csat.put((String) r.get("interaction_id"), (Integer) r.get("csat"));
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (Map<String, Object> i : interactions) {
            Integer y = csat.get((String) i.get("interaction_id"));
            Double e = (Double) i.get("empathy_score");
            if (y == null || e == null || !(Boolean) i.get("resolved")) {
                continue;
            }
            double x = e / 10;
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (sxy - sx * sy / n) / (sxx - sx * sx / n);
        assertTrue(n > 4000, "answered, scored, resolved contacts: " + n);
        assertEquals(PlantedModel.CSAT_PER_10_EMPATHY, slope, 0.08, "slope of csat on empathy/10");
    }

    @Test
    void documentedEmpathyBringsFewerRepeatContactsWithinSevenDays() {
        Map<String, List<Map<String, Object>>> byCustomer = new HashMap<>();
        interactions.forEach(i -> byCustomer.computeIfAbsent((String) i.get("customer_id"), k -> new ArrayList<>()).add(i));
        long[] contacts = new long[2];
        long[] repeats = new long[2];
        Instant lastUsable = PlantedModel.PERIOD_START.plus(Duration.ofDays(PlantedModel.PERIOD_DAYS - 7));
        for (List<Map<String, Object>> history : byCustomer.values()) {
            for (Map<String, Object> i : history) {
                Instant t = (Instant) i.get("started_at");
                if (t.isAfter(lastUsable)) {
                    continue;
                }
                int g = (Boolean) i.get("empathy_documented") ? 1 : 0;
                contacts[g]++;
                Instant end = t.plus(Duration.ofDays(7));
                if (history.stream().anyMatch(j -> ((Instant) j.get("started_at")).isAfter(t)
                        && !((Instant) j.get("started_at")).isAfter(end))) {
                    repeats[g]++;
                }
            }
        }
        double documented = (double) repeats[1] / contacts[1];
        double not = (double) repeats[0] / contacts[0];
        assertTrue(documented < not - 0.02, "repeat rate documented " + documented + " vs not " + not);
    }

    @Test
    void outsourcedRatersScoreHigherAndHighChurnSegmentsChurnMore() throws IOException {
        Map<String, Double> score = new HashMap<>();
        interactions.forEach(i -> {
            if (i.get("empathy_score") != null) {
                score.put((String) i.get("interaction_id"), (Double) i.get("empathy_score"));
            }
        });
        double[] diff = new double[3];
        int[] n = new int[3];
        List<String> teams = List.of("in_house", "outsourced", "calibration");
        for (Map<String, Object> r : ParquetRows.read(data.resolve("qa_ratings"))) {
            int t = teams.indexOf((String) r.get("rater_team"));
            diff[t] += (Double) r.get("empathy_score") - score.get((String) r.get("interaction_id"));
            n[t]++;
        }
        assertTrue(diff[1] / n[1] - diff[0] / n[0] > 4, "outsourced raters' bias over in-house: "
                + (diff[1] / n[1] - diff[0] / n[0]));

        Map<String, int[]> churn = new HashMap<>();
        for (Map<String, Object> c : ParquetRows.read(data.resolve("customers"))) {
            int[] counts = churn.computeIfAbsent((String) c.get("segment"), k -> new int[2]);
            counts[0]++;
            counts[1] += c.get("churned_at") == null ? 0 : 1;
        }
        double prepaid = (double) churn.get("prepaid")[1] / churn.get("prepaid")[0];
        double business = (double) churn.get("business")[1] / churn.get("business")[0];
        assertTrue(prepaid > 2 * business, "churn share prepaid " + prepaid + " vs business " + business);
    }

    @Test
    void customersOpenHostileAndDocumentedEmpathyLiftsTheirSentiment() throws IOException {
        Map<String, Boolean> documented = new HashMap<>();
        interactions.forEach(i -> documented.put((String) i.get("interaction_id"), (Boolean) i.get("empathy_documented")));
        Map<String, double[]> firstLast = new HashMap<>();
        boolean personalData = false;
        for (Map<String, Object> t : ParquetRows.read(data.resolve("turns"))) {
            personalData |= ((String) t.get("text")).contains("@example.com");
            if (!"customer".equals(t.get("speaker")) || t.get("sentiment") == null) {
                continue;
            }
            double[] fl = firstLast.computeIfAbsent((String) t.get("interaction_id"), k -> new double[] {Double.NaN, 0});
            if (Double.isNaN(fl[0])) {
                fl[0] = (Double) t.get("sentiment");
            }
            fl[1] = (Double) t.get("sentiment");
        }
        double[] shift = new double[2];
        int[] n = new int[2];
        firstLast.forEach((id, fl) -> {
            int g = documented.get(id) ? 1 : 0;
            shift[g] += fl[1] - fl[0];
            n[g]++;
        });
        assertTrue(shift[1] / n[1] > shift[0] / n[0] + 0.1,
                "first-to-last sentiment shift documented " + shift[1] / n[1] + " vs not " + shift[0] / n[0]);
        assertTrue(personalData, "some customer turns hold an e-mail address");
    }

    /**
     * The training truth counts the contacts the training job compares: those of agents trained
     * during the period, from the ISO week of {@code empathy_trained_at} on, recounted here from
     * the written tables (scored contacts, answered surveys, conversations whose sentiment column
     * is filled). Its empathy effect is the 5 planted points on every contact after the training
     * instant and 0 on those of the training week before it, so a little under 5 (clamping at 100
     * takes a few tenths from a rare contact).
     */
    @Test
    void theTrainingTruthCountsTheContactsFromTheTrainingWeekOn() throws IOException {
        Map<String, Integer> week = new HashMap<>();
        for (Map<String, Object> a : ParquetRows.read(data.resolve("agents"))) {
            Instant t = (Instant) a.get("empathy_trained_at");
            if (t != null && !t.isBefore(PlantedModel.PERIOD_START)) {
                week.put((String) a.get("agent_id"), isoWeek(t));
            }
        }
        java.util.Set<String> counted = new java.util.HashSet<>();
        long scored = 0;
        for (Map<String, Object> i : interactions) {
            Integer w = week.get((String) i.get("agent_id"));
            if (w != null && isoWeek((Instant) i.get("started_at")) >= w) {
                counted.add((String) i.get("interaction_id"));
                scored += i.get("empathy_score") == null ? 0 : 1;
            }
        }
        long answered = ParquetRows.read(data.resolve("csat")).stream()
                .filter(c -> counted.contains((String) c.get("interaction_id"))).count();
        long given = ParquetRows.read(data.resolve("turns")).stream()
                .filter(t -> t.get("sentiment") != null && counted.contains((String) t.get("interaction_id")))
                .map(t -> t.get("interaction_id")).distinct().count();
        com.fasterxml.jackson.databind.JsonNode truth = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(data.resolve("truth.json").toFile()).at("/training/effect_on_the_treated");
        assertEquals(counted.size(), truth.get("contacts").asLong());
        assertEquals(scored, truth.at("/empathy_score/scored_contacts").asLong());
        assertEquals(answered, truth.at("/csat/answered_contacts").asLong());
        assertEquals(given, truth.at("/sentiment_shift/sentiment_given/conversations").asLong());
        double empathy = truth.at("/empathy_score/effect").asDouble();
        assertTrue(empathy > 4.7 && empathy <= 5.0, "empathy effect " + empathy);
        assertTrue(truth.at("/csat/effect").asDouble() > 0, "CSAT rises with empathy");
        assertTrue(truth.at("/sentiment_shift/all_conversations/effect").asDouble() > 3.5 * 0.02,
                "the direct slope effect and more");
    }

    /** Weeks since Monday 1970-01-05, in UTC: the training job's index. */
    private static int isoWeek(Instant t) {
        return (int) Math.floorDiv(Math.floorDiv(t.getEpochSecond(), 86_400L) - 4, 7);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
