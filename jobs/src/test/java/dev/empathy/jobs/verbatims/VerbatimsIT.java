package dev.empathy.jobs.verbatims;

import static dev.empathy.jobs.Fixtures.interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import dev.empathy.lib.contract.Contract;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbatims job on thirteen hand-made conversations whose codes are obvious from the shipped
 * codebooks ({@link VerbatimsFixtureTest} checks each), every figure derived by hand below.
 *
 * <pre>
 * id       agent   documented language score  customer turns (turn_index code: text)   ends
 * conv-01  agent-1 yes        en       85     0 H, 2 U "ok", 4 C  (agent turns 1, 3)   H to C
 * conv-02  agent-2 yes        en       -      0 U "ok", 2 H, 4 C                        H to C
 * conv-03  agent-1 yes        de       70     0 H, 2 C                                  H to C
 * conv-04  agent-2 yes        de-DE    70     0 H, 2 N                                  H to N
 * conv-05  agent-1 yes        en       70     0 N (e-mail, card, phone), agent 1 (IBAN,
 *                                             e-mail), 2 C                              N to C
 * conv-06  agent-3 no         en       55     0 H, 2 H                                  H to H
 * conv-07  agent-4 no         de       70     0 H, 2 C                                  H to C
 * conv-08  agent-4 no         en-GB    -      0 H, 2 U "ok"                             H to H (one clear turn)
 * conv-09  agent-3 no         en       70     0 C                                       C to C
 * conv-10  agent-3 no         en       70     0 U "ok", 2 U "hm"                        no ends
 * conv-11  agent-4 no         (null)   70     0 "This is ridiculous."                   uncoded_language
 * conv-12  agent-3 no         it       70     0 "Questo è ridicolo."                    uncoded_language
 * conv-13  agent-1 no         en       70     no turns
 * </pre>
 *
 * Hostile openings: documented 4 (conv-01, 02, 03 end cooperative, conv-04 neutral): 3 of 4;
 * not documented 3 (conv-07 cooperative; conv-06, 08 hostile): 1 of 3. By band: 50-59 0 of 1
 * (conv-06), 70-79 2 of 3 (conv-03, 04, 07), 80-100 1 of 1 (conv-01), not scored 1 of 2 (conv-02,
 * 08). Customer turns: en hostile 5, unclear 5, cooperative 4, neutral 1; de hostile 3,
 * cooperative 2, neutral 1; uncoded 1 (no language) and 1 (it): 23 in all.
 */
class VerbatimsIT {

    static final String PII_TURN = "My email is anna.schmidt@example.com, card 4111 1111 1111 1111, call me on "
            + "+49 30 1234567.";
    static final String PII_TURN_REDACTED = "My email is [EMAIL], card [CARD], call me on [PHONE].";
    static final String PII_AGENT_TURN = "Your refund goes to DE89 3704 0044 0532 0130 00; write to help@example.com.";

    @TempDir
    static Path dir;

    static Path folder;
    static JsonNode job;

    @BeforeAll
    static void run() throws IOException {
        List<Map<String, Object>> interactions = List.of(
                conversation("conv-01", "agent-1", true, "en", 85.0),
                conversation("conv-02", "agent-2", true, "en", null),
                conversation("conv-03", "agent-1", true, "de", 70.0),
                conversation("conv-04", "agent-2", true, "de-DE", 70.0),
                conversation("conv-05", "agent-1", true, "en", 70.0),
                conversation("conv-06", "agent-3", false, "en", 55.0),
                conversation("conv-07", "agent-4", false, "de", 70.0),
                conversation("conv-08", "agent-4", false, "en-GB", null),
                conversation("conv-09", "agent-3", false, "en", 70.0),
                conversation("conv-10", "agent-3", false, "en", 70.0),
                conversation("conv-11", "agent-4", false, null, 70.0),
                conversation("conv-12", "agent-3", false, "it", 70.0),
                conversation("conv-13", "agent-1", false, "en", 70.0));
        List<Map<String, Object>> turns = new ArrayList<>();
        turns.add(turn("conv-01", 0, "customer", "This is ridiculous."));
        turns.add(turn("conv-01", 1, "agent", "I am so sorry to hear that."));
        turns.add(turn("conv-01", 2, "customer", "ok"));
        turns.add(turn("conv-01", 3, "agent", "It is fixed now."));
        turns.add(turn("conv-01", 4, "customer", "Thank you so much, that helps."));
        turns.add(turn("conv-02", 0, "customer", "ok"));
        turns.add(turn("conv-02", 2, "customer", "Your service is useless."));
        turns.add(turn("conv-02", 4, "customer", "Thanks, great."));
        turns.add(turn("conv-03", 0, "customer", "Das ist eine Frechheit."));
        turns.add(turn("conv-03", 2, "customer", "Vielen Dank, super."));
        turns.add(turn("conv-04", 0, "customer", "Das ist inakzeptabel."));
        turns.add(turn("conv-04", 2, "customer", "Ich warte noch auf die Rechnung."));
        turns.add(turn("conv-05", 0, "customer", PII_TURN));
        turns.add(turn("conv-05", 1, "agent", PII_AGENT_TURN));
        turns.add(turn("conv-05", 2, "customer", "Thank you."));
        turns.add(turn("conv-06", 0, "customer", "This is terrible."));
        turns.add(turn("conv-06", 2, "customer", "Still terrible, useless."));
        turns.add(turn("conv-07", 0, "customer", "Das ist lächerlich."));
        turns.add(turn("conv-07", 2, "customer", "Danke schön."));
        turns.add(turn("conv-08", 0, "customer", "This is awful."));
        turns.add(turn("conv-08", 2, "customer", "ok"));
        turns.add(turn("conv-09", 0, "customer", "Thanks for your help."));
        turns.add(turn("conv-10", 0, "customer", "ok"));
        turns.add(turn("conv-10", 2, "customer", "hm"));
        turns.add(turn("conv-11", 0, "customer", "This is ridiculous."));
        turns.add(turn("conv-12", 0, "customer", "Questo è ridicolo."));
        folder = run("fixture", interactions, turns);
        job = manifest(folder).at("/jobs/1");
    }

    static Map<String, Object> conversation(String id, String agent, boolean documented, String language,
                                            Double score) {
        return interaction(id, "agent_id", agent, "empathy_documented", documented, "language", language,
                "empathy_score", score);
    }

    static Map<String, Object> turn(String id, int index, String speaker, String text) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("interaction_id", id);
        row.put("turn_index", index);
        row.put("speaker", speaker);
        row.put("text", text);
        row.put("sentiment", null);
        row.put("at", null);
        return row;
    }

    @SuppressWarnings("unchecked")
    static Path run(String name, List<Map<String, Object>> interactions, List<Map<String, Object>> turns)
            throws IOException {
        Path input = dir.resolve(name + "-input");
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.TURNS, turns.toArray(Map[]::new));
        Path out = dir.resolve(name + "-run");
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("verbatims", input, out, "2026-01-31",
                Map.of()), Jobs.plan(List.of(new Verbatims())), Progress.to(System.err));
        JsonNode manifest = manifest(out.resolve("verbatims"));
        assertEquals("succeeded", manifest.at("/jobs/1/status").asText(), manifest.toPrettyString());
        return out.resolve("verbatims");
    }

    static JsonNode manifest(Path jobFolder) throws IOException {
        return new ObjectMapper().readTree(jobFolder.resolveSibling("manifest.json").toFile());
    }

    /** The rows of a CSV file by the key columns joined with {@code |}, in file order. */
    static Map<String, Map<String, String>> csv(Path folder, String file, String... key) throws IOException {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(folder.resolve(file))))) {
            List<String> k = new ArrayList<>();
            for (String c : key) {
                k.add(r.get(c));
            }
            rows.put(String.join("|", k), r.toMap());
        }
        return rows;
    }

    static double d(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    @Test
    void transitionsCountEveryConversationByItsClearEnds() throws IOException {
        Map<String, Map<String, String>> t = csv(folder, "transitions.csv", "documented", "first_code", "last_code");
        assertEquals(18, t.size(), "documented yes and no, three first codes by three last codes");
        assertEquals("documented,first_code,last_code,conversations,row_share",
                Files.readAllLines(folder.resolve("transitions.csv")).get(0));
        assertEquals("3", t.get("yes|hostile|cooperative").get("conversations"));
        assertEquals(0.75, d(t.get("yes|hostile|cooperative"), "row_share"), 1e-15);
        assertEquals("1", t.get("yes|hostile|neutral").get("conversations"));
        assertEquals(0.25, d(t.get("yes|hostile|neutral"), "row_share"), 1e-15);
        assertEquals("0", t.get("yes|hostile|hostile").get("conversations"));
        assertEquals(1.0, d(t.get("yes|neutral|cooperative"), "row_share"), 1e-15);
        assertEquals("", t.get("yes|cooperative|cooperative").get("row_share"), "no row: no share");
        assertEquals("2", t.get("no|hostile|hostile").get("conversations"), "conv-08's one clear turn is both ends");
        assertEquals(2.0 / 3, d(t.get("no|hostile|hostile"), "row_share"), 1e-15);
        assertEquals(1.0 / 3, d(t.get("no|hostile|cooperative"), "row_share"), 1e-15);
        assertEquals("1", t.get("no|cooperative|cooperative").get("conversations"));
        long all = t.values().stream().mapToLong(r -> Long.parseLong(r.get("conversations"))).sum();
        assertEquals(9, all, "conv-10 (all unclear), conv-11 and 12 (uncoded) and conv-13 (no turns) have no ends");
        assertTrue(Files.size(folder.resolve("transitions.png")) > 0);
    }

    @Test
    void shiftRatesWithWilsonIntervalsAndTheNewcombeDifferenceMatchR() throws IOException {
        Map<String, Map<String, String>> r = csv(folder, "shift_rates.csv", "grouping", "level");
        assertEquals("grouping,level,hostile_first,became_cooperative,rate,ci_low,ci_high",
                Files.readAllLines(folder.resolve("shift_rates.csv")).get(0));
        assertEquals(List.of("documented|yes", "documented|no", "documented|difference", "empathy_band|00-49",
                "empathy_band|50-59", "empathy_band|60-69", "empathy_band|70-79", "empathy_band|80-100",
                "empathy_band|not scored"), List.copyOf(r.keySet()));
        // R 4.2.2: prop.test(3, 4, correct = FALSE)$conf.int: 0.300641842582402 0.954412739190299
        check(r.get("documented|yes"), 4, 3, 0.75, 0.300641842582402, 0.954412739190299);
        // prop.test(1, 3, correct = FALSE)$conf.int: 0.0614919447203963 0.7923403991979523
        check(r.get("documented|no"), 3, 1, 1.0 / 3, 0.0614919447203963, 0.7923403991979523);
        // Newcombe's hybrid score from those limits, in R: a <- prop.test(3, 4, correct = FALSE)$conf.int;
        // b <- prop.test(1, 3, correct = FALSE)$conf.int; d <- 3/4 - 1/3;
        // c(d - sqrt((3/4 - a[1])^2 + (b[2] - 1/3)^2), d + sqrt((a[2] - 3/4)^2 + (1/3 - b[1])^2))
        // gives -0.225680778374866 0.756787687049546
        check(r.get("documented|difference"), 7, 4, 0.416666666666667, -0.225680778374866, 0.756787687049546);
        // prop.test(0, 1, correct = FALSE)$conf.int: 0 0.793450685622763
        check(r.get("empathy_band|50-59"), 1, 0, 0, 0, 0.793450685622763);
        // prop.test(2, 3, correct = FALSE)$conf.int: 0.207659600802048 0.938508055279604
        check(r.get("empathy_band|70-79"), 3, 2, 2.0 / 3, 0.207659600802048, 0.938508055279604);
        // prop.test(1, 1, correct = FALSE)$conf.int: 0.206549314377238 1
        check(r.get("empathy_band|80-100"), 1, 1, 1, 0.206549314377238, 1);
        // prop.test(1, 2, correct = FALSE)$conf.int: 0.0945312057342307 0.9054687942657692
        check(r.get("empathy_band|not scored"), 2, 1, 0.5, 0.0945312057342307, 0.9054687942657692);
        assertEquals("0", r.get("empathy_band|00-49").get("hostile_first"));
        assertEquals("", r.get("empathy_band|00-49").get("rate"), "no conversation: an empty cell, never NaN");
    }

    private static void check(Map<String, String> row, long n, long x, double rate, double low, double high) {
        assertEquals(Long.toString(n), row.get("hostile_first"));
        assertEquals(Long.toString(x), row.get("became_cooperative"));
        assertEquals(rate, d(row, "rate"), 1e-12);
        assertEquals(low, d(row, "ci_low"), 1e-12);
        assertEquals(high, d(row, "ci_high"), 1e-12);
    }

    @Test
    void theAdjustedLogitAmongHostileOpeningsMatchesR() throws IOException {
        Map<String, Map<String, String>> a = csv(folder, "adjusted.csv", "term");
        assertEquals("model,term,estimate,std_error,p_value,odds_ratio,or_ci_low,or_ci_high,n,clusters,note",
                Files.readAllLines(folder.resolve("adjusted.csv")).get(0));
        Map<String, String> documented = a.get("empathy_documented");
        // R 4.2.2: y <- c(1, 1, 1, 0, 0, 1, 0); dd <- c(1, 1, 1, 1, 0, 0, 0);
        // lang <- c("en", "en", "de", "de", "en", "de", "en"); coef(glm(y ~ dd + lang, family = binomial))
        // gives dd 1.733189543298149, langen -0.494658753454751 (channel and reason have one level).
        assertEquals(1.733189543298149, d(documented, "estimate"), 1e-6, documented.toString());
        assertEquals(-0.494658753454751, d(a.get("C(language)[T.en]"), "estimate"), 1e-6);
        assertEquals("7", documented.get("n"));
        assertEquals("4", documented.get("clusters"));
    }

    @Test
    void examplesAreRedactedDeterministicAndHoldNoIds() throws IOException {
        String file = Files.readString(folder.resolve("examples.csv"));
        for (String leak : List.of("anna.schmidt", "@", "4111", "1234567", "conv-", "agent-", "Questo")) {
            assertFalse(file.contains(leak), leak + " in examples.csv:\n" + file);
        }
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(file)).getRecords();
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (CSVRecord r : rows) {
            byGroup.computeIfAbsent(r.get("language") + "|" + r.get("code"), k -> new ArrayList<>()).add(r.get("text"));
        }
        assertEquals(List.of("de|cooperative", "de|hostile", "de|neutral", "en|cooperative", "en|hostile",
                "en|neutral", "en|unclear"), List.copyOf(byGroup.keySet()));
        assertEquals(List.of(PII_TURN_REDACTED), byGroup.get("en|neutral"));
        assertEquals(List.of("Ich warte noch auf die Rechnung."), byGroup.get("de|neutral"));
        assertEquals(Set.of("ok", "hm"), Set.copyOf(byGroup.get("en|unclear")), "repeated texts are shown once");
        assertEquals(3, byGroup.get("en|hostile").size(), "five hostile turns, three examples");
        assertTrue(Set.of("This is ridiculous.", "Your service is useless.", "This is terrible.",
                "Still terrible, useless.", "This is awful.").containsAll(byGroup.get("en|hostile")));
    }

    @Test
    void theManifestCountsPersonalDataPopulationAndCodes() throws IOException {
        JsonNode pii = job.at("/details/pii_redacted");
        assertEquals(2, pii.get("email").asLong(), "one in a customer turn, one in an agent turn");
        assertEquals(1, pii.get("phone").asLong());
        assertEquals(1, pii.get("card").asLong());
        assertEquals(1, pii.get("iban").asLong());
        JsonNode codes = job.at("/details/customer_turns_by_language_and_code");
        assertEquals(5, codes.at("/en/hostile").asLong());
        assertEquals(5, codes.at("/en/unclear").asLong());
        assertEquals(4, codes.at("/en/cooperative").asLong());
        assertEquals(1, codes.at("/en/neutral").asLong());
        assertEquals(3, codes.at("/de/hostile").asLong());
        assertEquals(2, codes.at("/de/cooperative").asLong());
        assertEquals(1, codes.at("/de/neutral").asLong());
        assertEquals(1, codes.at("/unknown/uncoded_language").asLong());
        assertEquals(1, codes.at("/it/uncoded_language").asLong());
        Map<String, Map<String, String>> population = csv(folder, "population.csv", "step");
        assertEquals(List.of("interactions", "with_customer_turns", "in_a_coded_language",
                "with_a_clear_customer_turn", "hostile_first"), List.copyOf(population.keySet()));
        assertEquals(List.of("13", "12", "10", "9", "7"), population.values().stream()
                .map(r -> r.get("conversations")).toList());
        assertEquals(7, job.at("/details/population/hostile_first").asLong());
    }

    @Test
    void theSummarySaysItInWordsWithoutTextIdsOrNoise() throws IOException {
        String summary = Files.readString(folder.resolve("summary.md"));
        assertTrue(summary.contains("3 of the 4 conversations that opened hostile ended cooperative (75.0%, 95% "
                + "interval 30.1% to 95.4%)"), summary);
        assertTrue(summary.contains("1 of the 3"), summary);
        assertTrue(summary.contains("+41.7 percentage points (Newcombe 95% interval -22.6 to +75.7), which the data "
                + "cannot tell from no difference"), summary);
        assertTrue(summary.contains("2 e-mail addresses, 1 phone number, 1 card number and 1 IBAN"), summary);
        assertTrue(summary.contains("(it 1, no language given 1)"), summary);
        for (String noise : List.of("NaN", "Infinity", "conv-", "agent-", "ridiculous", "[EMAIL]")) {
            assertFalse(summary.contains(noise), noise + " in\n" + summary);
        }
    }

    @Test
    void noTurnsIsSaidInWordsNotAnError() throws IOException {
        Path empty = run("empty", List.of(conversation("conv-01", "agent-1", true, "en", 70.0)), List.of());
        String summary = Files.readString(empty.resolve("summary.md"));
        assertTrue(summary.contains("nothing to analyse"), summary);
        assertFalse(summary.contains("NaN"), summary);
        Map<String, Map<String, String>> r = csv(empty, "shift_rates.csv", "grouping", "level");
        assertEquals("0", r.get("documented|yes").get("hostile_first"));
        assertEquals("", r.get("documented|difference").get("rate"));
        assertTrue(csv(empty, "adjusted.csv", "term").get("empathy_documented").get("note").startsWith("not fitted"));
        assertEquals(List.of("language,code,text"), Files.readAllLines(empty.resolve("examples.csv")));
        assertEquals(0, manifest(empty).at("/jobs/1/details/pii_redacted/email").asLong());
        assertTrue(Files.size(empty.resolve("transitions.png")) > 0);
    }

    @Test
    void oneAgentWhoAlwaysDocumentedIsANotedModelAndASentence() throws IOException {
        List<Map<String, Object>> interactions = List.of(conversation("conv-01", "agent-1", true, "en", 70.0),
                conversation("conv-02", "agent-1", true, "en", 70.0),
                conversation("conv-03", "agent-1", true, "de", 70.0));
        List<Map<String, Object>> turns = List.of(turn("conv-01", 0, "customer", "This is ridiculous."),
                turn("conv-01", 2, "customer", "Thank you."), turn("conv-02", 0, "customer", "This is awful."),
                turn("conv-03", 0, "customer", "Das ist eine Frechheit."),
                turn("conv-03", 2, "customer", "Danke schön."));
        Path one = run("one-agent", interactions, turns);
        String summary = Files.readString(one.resolve("summary.md"));
        assertTrue(summary.contains("2 of the 3 conversations that opened hostile ended cooperative"), summary);
        assertTrue(summary.contains("so the two cannot be compared"), summary);
        assertTrue(summary.contains("could not be estimated"), summary);
        assertFalse(summary.contains("NaN"), summary);
        for (Map<String, String> row : csv(one, "adjusted.csv", "term").values()) {
            assertFalse(row.get("note").isEmpty(), row.toString());
        }
        assertEquals("", csv(one, "shift_rates.csv", "grouping", "level").get("documented|no").get("rate"));
    }
}
