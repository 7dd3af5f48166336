package dev.empathy.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit's plants in the shipped sample ({@code data/}, which {@link ShippedSampleTest} holds
 * to the generator): every figure of truth.json's {@code audit} that the tables can show is
 * counted again here from the rows written, independently of {@link AuditTruth}, and the plants
 * have the sizes the audit needs (a cell 8 points down, a region too small to compare, stock
 * phrases the en codebook reads as empathy, fewer empathy lines for opted-out customers).
 */
class AuditPlantsTest {

    private static final Path SHIPPED = Path.of("data");

    static JsonNode audit;
    static JsonNode text;
    static List<Map<String, Object>> interactions;
    static Map<String, Map<String, Object>> interactionsById = new HashMap<>();
    static Map<String, Boolean> optOut = new HashMap<>();
    static Map<String, String> country = new HashMap<>();
    /** Agent turns per interaction, in turn order. */
    static Map<String, TreeMap<Integer, String>> agentTurns = new HashMap<>();

    @BeforeAll
    static void read() throws IOException {
        JsonNode truth = new ObjectMapper().readTree(SHIPPED.resolve("truth.json").toFile());
        audit = truth.get("audit");
        text = truth.get("text");
        interactions = ParquetRows.read(SHIPPED.resolve("interactions"));
        for (Map<String, Object> i : interactions) {
            interactionsById.put((String) i.get("interaction_id"), i);
        }
        for (Map<String, Object> c : ParquetRows.read(SHIPPED.resolve("customers"))) {
            optOut.put((String) c.get("customer_id"), Boolean.TRUE.equals(c.get("emotional_opt_out")));
            country.put((String) c.get("customer_id"), (String) c.get("country"));
        }
        for (Map<String, Object> t : ParquetRows.read(SHIPPED.resolve("turns"))) {
            if ("agent".equals(t.get("speaker"))) {
                agentTurns.computeIfAbsent((String) t.get("interaction_id"), k -> new TreeMap<>())
                        .put((Integer) t.get("turn_index"), (String) t.get("text"));
            }
        }
    }

    private static String quarter(Instant t) {
        var z = t.atZone(ZoneOffset.UTC);
        return z.getYear() + "Q" + ((z.getMonthValue() - 1) / 3 + 1);
    }

    @Test
    void theDroppedCellIsEightPointsDownAndItsFiguresAreThoseOfTheRows() {
        JsonNode cell = audit.get("dropped_cell");
        assertEquals("2025Q4", cell.get("quarter").asText(), "the last complete quarter of the period");
        double[] sums = new double[4];   // cell n, cell sum, rest n, rest sum (audited quarter)
        double[] before = new double[2]; // cell n, cell sum (quarter before)
        for (Map<String, Object> i : interactions) {
            Double score = (Double) i.get("empathy_score");
            if (score == null) {
                continue;
            }
            String q = quarter((Instant) i.get("started_at"));
            boolean inCell = "latam".equals(i.get("region")) && "chat".equals(i.get("channel"));
            if (q.equals("2025Q4")) {
                sums[inCell ? 0 : 2]++;
                sums[inCell ? 1 : 3] += score;
            } else if (q.equals("2025Q3") && inCell) {
                before[0]++;
                before[1] += score;
            }
        }
        assertEquals(sums[0], cell.get("scored_contacts").asDouble());
        assertEquals(sums[1] / sums[0], cell.get("mean_score").asDouble(), 1e-9);
        assertEquals(sums[2], cell.at("/rest_of_organisation/scored_contacts").asDouble());
        assertEquals(sums[1] / sums[0] - sums[3] / sums[2], cell.get("difference_vs_rest").asDouble(), 1e-9);
        assertEquals(before[1] / before[0], cell.at("/previous_quarter/mean_score").asDouble(), 1e-9);
        // No score of the cell was clamped at 0, so the realised drop is the planted one.
        assertEquals(-8.0, cell.get("realised_drop").asDouble(), 1e-9);
        assertEquals(-8.0, cell.get("planted_drop_points").asDouble());
        assertTrue(sums[0] >= 100, "enough scored contacts to find the drop: " + sums[0]);
        assertTrue(cell.get("difference_vs_rest").asDouble() < -6, cell.toString());
        // The expected difference holds the drop and differs from the realised one by the contact
        // noise alone (sd 9 points per contact): within four of its standard errors.
        double expected = cell.get("expected_difference_vs_rest").asDouble();
        double noise = 9.0 * Math.sqrt(1 / sums[0] + 1 / sums[2]);
        assertEquals(cell.get("difference_vs_rest").asDouble(), expected, 4 * noise, cell.toString());
        assertTrue(expected < -6, cell.toString());
    }

    @Test
    void theSmallRegionHasNoCellTheAuditCanCompare() {
        JsonNode small = audit.get("small_region");
        assertEquals("oceania", small.get("region").asText());
        long nz = country.values().stream().filter("NZ"::equals).count();
        assertEquals(nz, small.get("customers").asLong());
        Map<String, long[]> byQuarter = new TreeMap<>();
        Map<String, long[]> byCell = new TreeMap<>();
        for (Map<String, Object> i : interactions) {
            if (!"oceania".equals(i.get("region"))) {
                continue;
            }
            assertEquals("NZ", country.get((String) i.get("customer_id")));
            String q = quarter((Instant) i.get("started_at"));
            long scored = i.get("empathy_score") == null ? 0 : 1;
            long[] r = byQuarter.computeIfAbsent(q, k -> new long[2]);
            r[0]++;
            r[1] += scored;
            long[] c = byCell.computeIfAbsent(q + "/" + i.get("channel"), k -> new long[2]);
            c[0]++;
            c[1] += scored;
        }
        assertEquals(4, byQuarter.size());
        byQuarter.forEach((q, r) -> {
            assertEquals(r[0], small.at("/by_quarter/" + q + "/contacts").asLong(), q);
            assertEquals(r[1], small.at("/by_quarter/" + q + "/scored").asLong(), q);
            assertTrue(r[1] < 30, q + ": even the region's margin is below the audit's minimum of 30: " + r[1]);
        });
        byCell.forEach((cell, c) -> assertEquals(c[1],
                small.at("/by_quarter/" + cell.replace("/", "/by_channel/") + "/scored").asLong(), cell));
    }

    @Test
    void publicPostsAreThoseOfTheRowsAndApacAnswersSlower() {
        Map<String, double[]> byRegion = new TreeMap<>();
        for (Map<String, Object> i : interactions) {
            if (Boolean.TRUE.equals(i.get("is_public"))) {
                double[] r = byRegion.computeIfAbsent((String) i.get("region"), k -> new double[3]);
                double minutes = (Double) i.get("first_response_minutes");
                r[0]++;
                r[1] += minutes;
                r[2] += minutes <= 60 ? 1 : 0;
                assertNotNull(i.get("audience_reach"));
            }
        }
        JsonNode truth = audit.at("/public_posts/by_region");
        assertEquals(byRegion.size(), truth.size());
        byRegion.forEach((region, r) -> {
            assertEquals(r[0], truth.at("/" + region + "/posts").asDouble(), region);
            assertEquals(r[1] / r[0], truth.at("/" + region + "/mean_first_response_minutes").asDouble(), 1e-9);
            assertEquals(r[2] / r[0], truth.at("/" + region + "/answered_within_minutes/60/share").asDouble(), 1e-12);
        });
        // Exponential first responses: P(within 60) = 1 - exp(-60 / mean); in-house apac's mean is 80
        // minutes (40 x 2), the other big regions' 40 in house, 56 outsourced.
        double apac = truth.at("/apac/answered_within_minutes/60/share").asDouble();
        for (String region : List.of("emea", "latam", "north_america")) {
            assertTrue(apac + 0.1 < truth.at("/" + region + "/answered_within_minutes/60/share").asDouble(), region);
        }
    }

    /** The en codebook's empathy_phrase patterns, read from the lib's resource. */
    private static List<String> empathyPatterns() throws IOException {
        List<String> patterns = new ArrayList<>();
        try (InputStream in = AuditPlantsTest.class.getResourceAsStream("/dev/empathy/lib/text/codebooks/en.csv")) {
            assertNotNull(in, "the en codebook is on the class path");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("empathy_phrase,")) {
                    patterns.add(line.split(",", -1)[1]);
                }
            }
        }
        assertFalse(patterns.isEmpty());
        return patterns;
    }

    @Test
    void stockPhraseAgentsOpenMostEnglishConversationsWithOneCodebookPhrase() throws IOException {
        List<String> patterns = empathyPatterns();
        for (String phrase : PlantedModel.STOCK_PHRASES) {
            String lower = phrase.toLowerCase(Locale.ROOT);
            assertTrue(patterns.stream().anyMatch(lower::contains), phrase + " holds an en codebook empathy phrase");
        }
        JsonNode stock = audit.get("stock_phrases");
        assertEquals(3, stock.get("count").asInt(), "5% of 50 agents, at least 3");
        Set<String> phrases = new HashSet<>();
        long stockTurns = 0;
        for (JsonNode id : stock.get("agent_ids")) {
            String agent = id.asText();
            String phrase = stock.at("/agents/" + agent + "/phrase").asText();
            phrases.add(phrase);
            long english = 0;
            long opened = 0;
            for (Map.Entry<String, TreeMap<Integer, String>> c : agentTurns.entrySet()) {
                Map<String, Object> i = interactionsById.get(c.getKey());
                if (!agent.equals(i.get("agent_id")) || !"en".equals(i.get("language"))) {
                    continue;
                }
                english++;
                opened += phrase.equals(c.getValue().firstEntry().getValue()) ? 1 : 0;
            }
            assertEquals(english, stock.at("/agents/" + agent + "/english_conversations").asLong(), agent);
            assertEquals(opened, stock.at("/agents/" + agent + "/conversations_with_the_phrase").asLong(), agent);
            assertTrue(opened >= 0.75 * english, agent + ": " + opened + " of " + english);
            stockTurns += opened;
        }
        assertEquals(3, phrases.size(), "each agent has a phrase of their own");
        long written = 0;
        for (TreeMap<Integer, String> c : agentTurns.values()) {
            written += c.values().stream().filter(PlantedModel.STOCK_PHRASES::contains).count();
        }
        assertEquals(written, stockTurns, "no one else writes a stock phrase");
        assertEquals(written, text.at("/agent_turns_by_style/stock").asLong());
    }

    @Test
    void optedOutCustomersMeetFewerEmpathyLines() {
        Set<String> empathyLines = new HashSet<>(PlantedModel.STOCK_PHRASES);
        for (Phrases.Bank bank : Phrases.banks().values()) {
            empathyLines.addAll(bank.agentLines(Phrases.AgentStyle.EMPATHETIC));
            empathyLines.addAll(bank.agentLines(Phrases.AgentStyle.SCRIPTED));
        }
        long[][] counts = new long[2][2]; // [opted out][conversations, with an empathy line]
        for (Map.Entry<String, TreeMap<Integer, String>> c : agentTurns.entrySet()) {
            String customer = (String) interactionsById.get(c.getKey()).get("customer_id");
            long[] g = counts[optOut.get(customer) ? 1 : 0];
            g[0]++;
            g[1] += c.getValue().values().stream().anyMatch(empathyLines::contains) ? 1 : 0;
        }
        JsonNode truth = audit.get("opt_out");
        assertEquals(counts[1][0], truth.at("/opted_out/conversations").asLong());
        assertEquals(counts[1][1], truth.at("/opted_out/conversations_with_an_empathy_line").asLong());
        assertEquals(counts[0][1], truth.at("/others/conversations_with_an_empathy_line").asLong());
        double out = (double) counts[1][1] / counts[1][0];
        double others = (double) counts[0][1] / counts[0][0];
        assertTrue(out < others - 0.2, out + " vs " + others);
    }
}
