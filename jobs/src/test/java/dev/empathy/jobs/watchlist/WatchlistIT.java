package dev.empathy.jobs.watchlist;

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
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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
 * The watchlist on a hand-made fixture whose every row is derived by hand below. With
 * {@code --as-of 2025-03-15} the window is (2025-03-01T23:59:59.999999Z, 2025-03-15T23:59:59.999999Z]:
 *
 * <pre>
 * customer  contacts (UTC)                                    reasons                         score prio
 * m1        03-10 09:00 public complaint unresolved;          hostile, repeat, public           7    3
 *           03-12 09:00 chat ending hostile (2 days later),   (sentiment -0.3 then -0.6: a drop
 *           of 0.3, not deteriorating)
 * e2        03-15 23:59:59 public complaint unresolved         public (last second in)           3    7
 * h3        03-11 12:00 chat ending hostile                    hostile                           3    7
 * ch2       03-09 13:00 public complaint; churns 03-20         public (churns after as-of)       3    7
 * p1        03-08 15:00 public " Complaint " unresolved         public (segment =HYPERLINK(...))  3    7
 * e1        03-02 00:00:00 public complaint unresolved         public (first instant in)         3    7
 * d1        03-09 10:00 sentiment 0.3 then -0.4                deteriorating                     2    8
 * r1        03-05 10:00 and 03-12 10:00 (exactly 7 days)       repeat                            1    9
 * +t10, t2  03-06 12:00 and 03-07 12:00 each                   repeat (a tie: sorted by id)      1    9
 * h1        03-04 ends hostile, 03-14 ends cooperative         none: the last contact is not hostile
 * d2        03-02 12:00 0.5 then 0.0; 03-14 -0.1 then -0.55    none: last above -0.05; drop 0.45
 * r2        03-03 10:00 and 03-10 10:00:01 (7 days + 1 s)      none
 * p2, p3    public complaint resolved; private unresolved      none
 * o1        03-06, 03-07 public complaint (opted out)          never listed: excluded_opted_out
 * o2        03-06 billing (opted out)                          none, in the window
 * ch1       03-09 13:00 public complaint; churned 03-14        excluded_churned
 * u1        03-09 13:00 public complaint; not in customers     excluded_unknown_customer
 * e0        03-01 23:59:59 public complaint                    outside the window
 * e3        03-16 00:00:00 public complaint                    outside; the latest contact of the data
 * </pre>
 *
 * With the default as-of (latest: e3's 03-16 00:00:00) the window is (03-02 00:00:00, 03-16
 * 00:00:00]: e1, exactly 14 days before, falls out, e3 comes in.
 */
class WatchlistIT {

    @TempDir
    static Path dir;

    static Path input;

    static final String FORMULA = "=HYPERLINK(\"http://example.com\")";

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void write() {
        input = dir.resolve("input");
        List<Map<String, Object>> interactions = new ArrayList<>();
        List<Map<String, Object>> turns = new ArrayList<>();
        interactions.add(publicComplaint("m1a", "m1", "2025-03-10T09:00:00Z"));
        interactions.add(contact("m1b", "m1", "2025-03-12T09:00:00Z"));
        conversation(turns, "m1b", "I have a question about my bill.", -0.3, "This is ridiculous and unacceptable.",
                -0.6);
        interactions.add(publicComplaint("e2", "e2", "2025-03-15T23:59:59Z"));
        interactions.add(contact("h3a", "h3", "2025-03-11T12:00:00Z"));
        conversation(turns, "h3a", "This is terrible service.", -0.5, "Still awful and useless.", -0.6);
        interactions.add(publicComplaint("ch2", "ch2", "2025-03-09T13:00:00Z"));
        interactions.add(publicComplaint("p1", "p1", "2025-03-08T15:00:00Z", "contact_reason", " Complaint "));
        interactions.add(publicComplaint("e1", "e1", "2025-03-02T00:00:00Z"));
        interactions.add(contact("d1a", "d1", "2025-03-09T10:00:00Z"));
        conversation(turns, "d1a", "I have a question about my bill.", 0.3, "I have a question about the fee.", -0.4);
        interactions.add(contact("r1a", "r1", "2025-03-05T10:00:00Z"));
        interactions.add(contact("r1b", "r1", "2025-03-12T10:00:00Z"));
        interactions.add(contact("t10a", "+t10", "2025-03-06T12:00:00Z"));
        interactions.add(contact("t10b", "+t10", "2025-03-07T12:00:00Z"));
        interactions.add(contact("t2a", "t2", "2025-03-06T12:00:00Z"));
        interactions.add(contact("t2b", "t2", "2025-03-07T12:00:00Z"));
        interactions.add(contact("h1a", "h1", "2025-03-04T08:00:00Z"));
        conversation(turns, "h1a", "I have a question about my bill.", 0.0, "This is ridiculous.", -0.2);
        interactions.add(contact("h1b", "h1", "2025-03-14T08:00:00Z"));
        conversation(turns, "h1b", "This is terrible.", -0.3, "Thank you, that is perfect.", 0.4);
        interactions.add(contact("d2a", "d2", "2025-03-02T12:00:00Z"));
        conversation(turns, "d2a", "I have a question about my bill.", 0.5, "I have a question about the fee.", 0.0);
        interactions.add(contact("d2b", "d2", "2025-03-14T12:00:00Z"));
        conversation(turns, "d2b", "I have a question about my bill.", -0.1, "I have a question about the fee.",
                -0.55);
        interactions.add(contact("r2a", "r2", "2025-03-03T10:00:00Z"));
        interactions.add(contact("r2b", "r2", "2025-03-10T10:00:01Z"));
        interactions.add(publicComplaint("p2", "p2", "2025-03-08T15:00:00Z", "resolved", true));
        interactions.add(publicComplaint("p3", "p3", "2025-03-08T15:00:00Z", "is_public", false));
        interactions.add(publicComplaint("o1a", "o1", "2025-03-06T10:00:00Z"));
        interactions.add(publicComplaint("o1b", "o1", "2025-03-07T10:00:00Z"));
        interactions.add(contact("o2", "o2", "2025-03-06T10:00:00Z"));
        interactions.add(publicComplaint("ch1", "ch1", "2025-03-09T13:00:00Z"));
        interactions.add(publicComplaint("u1", "u1", "2025-03-09T13:00:00Z"));
        interactions.add(publicComplaint("e0", "e0", "2025-03-01T23:59:59Z"));
        interactions.add(publicComplaint("e3", "e3", "2025-03-16T00:00:00Z"));

        List<Map<String, Object>> customers = new ArrayList<>();
        for (String id : List.of("m1", "e2", "h3", "r1", "+t10", "t2", "h1", "d2", "r2", "p2", "p3", "e0", "e1",
                "e3")) {
            customers.add(customer(id, "standard"));
        }
        customers.add(customer("d1", "premium"));
        customers.add(customer("p1", FORMULA));
        Map<String, Object> churnsLater = customer("ch2", "standard");
        churnsLater.put("churned_at", Instant.parse("2025-03-20T00:00:00Z"));
        customers.add(churnsLater);
        Map<String, Object> churned = customer("ch1", "standard");
        churned.put("churned_at", Instant.parse("2025-03-14T00:00:00Z"));
        customers.add(churned);
        for (String id : List.of("o1", "o2")) {
            Map<String, Object> optedOut = customer(id, "standard");
            optedOut.put("emotional_opt_out", true);
            customers.add(optedOut);
        }
        Fixtures.write(input, Contract.INTERACTIONS, interactions.toArray(Map[]::new));
        Fixtures.write(input, Contract.TURNS, turns.toArray(Map[]::new));
        Fixtures.write(input, Contract.CUSTOMERS, customers.toArray(Map[]::new));
    }

    private static Map<String, Object> contact(String id, String customer, String at, Object... overrides) {
        Map<String, Object> row = interaction(id, "customer_id", customer, "started_at", Instant.parse(at));
        for (int i = 0; i < overrides.length; i += 2) {
            row.put((String) overrides[i], overrides[i + 1]);
        }
        return row;
    }

    private static Map<String, Object> publicComplaint(String id, String customer, String at, Object... overrides) {
        Map<String, Object> row = contact(id, customer, at, "channel", "social", "is_public", true,
                "audience_reach", 1200L, "contact_reason", "complaint", "resolved", false, "resolution_hours", null);
        for (int i = 0; i < overrides.length; i += 2) {
            row.put((String) overrides[i], overrides[i + 1]);
        }
        return row;
    }

    /** Two customer turns with their given sentiment, an agent turn between them. */
    private static void conversation(List<Map<String, Object>> turns, String id, String first, double firstSentiment,
                                     String last, double lastSentiment) {
        turns.add(Fixtures.turn(id, 0, "customer", first, firstSentiment));
        turns.add(Fixtures.turn(id, 1, "agent", "Let me look into that for you.", null));
        turns.add(Fixtures.turn(id, 2, "customer", last, lastSentiment));
    }


    private static Map<String, Object> customer(String id, String segment) {
        Map<String, Object> row = Fixtures.row(Contract.CUSTOMERS, "customer_id", id, "segment", segment,
                "signup_at", Instant.parse("2024-01-01T00:00:00Z"), "emotional_opt_out", false, "country", "GB");
        return row;
    }

    /** Runs the job on {@code from} (a copy of the input without the tables named) with the options given. */
    private static Path run(String name, Map<String, String> options, String... without) throws IOException {
        Path in = input;
        if (without.length > 0) {
            in = dir.resolve("input-" + name);
            for (String table : List.of("interactions", "turns", "customers")) {
                if (!List.of(without).contains(table)) {
                    copy(input.resolve(table), in.resolve(table));
                }
            }
        }
        Path out = dir.resolve("run-" + name);
        Map<String, String> values = new LinkedHashMap<>(Map.of("as-of", "latest", "days", "14",
                "deterioration", "0.5"));
        values.putAll(options);
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("watchlist", in, out, "2026-01-31", Map.of()),
                Jobs.plan(List.of(Watchlist.DEFINITION.factory().apply(values))), Progress.to(System.err));
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    private static JsonNode job(Path run) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
        for (JsonNode j : manifest.get("jobs")) {
            if (j.get("name").asText().equals("watchlist")) {
                return j;
            }
        }
        throw new AssertionError("no watchlist in " + manifest);
    }

    private static List<String> listed(Path run) throws IOException {
        List<String> rows = new ArrayList<>();
        for (CSVRecord r : csv(run.resolve("watchlist/watchlist.csv"))) {
            rows.add(String.join(" ", r.get("customer_id"), r.get("reasons"), r.get("last_contact_at"),
                    r.get("priority"), r.get("score")));
        }
        return rows;
    }

    @Test
    void eachReasonTheWindowsEdgesExclusionsAndTiesOnADate() throws IOException {
        Path run = run("date", Map.of("as-of", "2025-03-15"));
        assertEquals("succeeded", job(run).get("status").asText(), job(run).toString());
        assertEquals(List.of(
                "m1 hostile_last_contact;repeat_within_7d;unresolved_public_complaint 2025-03-12T09:00:00Z 3 7",
                "e2 unresolved_public_complaint 2025-03-15T23:59:59Z 7 3",
                "h3 hostile_last_contact 2025-03-11T12:00:00Z 7 3",
                "ch2 unresolved_public_complaint 2025-03-09T13:00:00Z 7 3",
                "p1 unresolved_public_complaint 2025-03-08T15:00:00Z 7 3",
                "e1 unresolved_public_complaint 2025-03-02T00:00:00Z 7 3",
                "d1 deteriorating_conversation 2025-03-09T10:00:00Z 8 2",
                "r1 repeat_within_7d 2025-03-12T10:00:00Z 9 1",
                "'+t10 repeat_within_7d 2025-03-07T12:00:00Z 9 1",
                "t2 repeat_within_7d 2025-03-07T12:00:00Z 9 1"), listed(run));
        List<String> header = List.of(Files.readAllLines(run.resolve("watchlist/watchlist.csv")).get(0).split(","));
        assertEquals(List.of("customer_id", "reasons", "last_contact_at", "priority", "score", "segment"), header);
        CSVRecord p1 = csv(run.resolve("watchlist/watchlist.csv")).get(4);
        assertEquals("'" + FORMULA, p1.get("segment"), "the segment does not start a formula");

        Map<String, String> counts = new LinkedHashMap<>();
        for (CSVRecord r : csv(run.resolve("watchlist/watchlist_summary.csv"))) {
            counts.put(r.get("status") + "|" + r.get("reason") + "|" + r.get("segment"), r.get("customers"));
            assertTrue(r.get("note").isEmpty(), r.toString());
            assertFalse(r.get("segment").startsWith("="), r.toString());
        }
        assertEquals("10", counts.get("listed|any|all"));
        assertEquals("2", counts.get("listed|hostile_last_contact|all"));
        assertEquals("1", counts.get("listed|deteriorating_conversation|all"));
        assertEquals("4", counts.get("listed|repeat_within_7d|all"));
        assertEquals("5", counts.get("listed|unresolved_public_complaint|all"));
        assertEquals("8", counts.get("listed|any|standard"));
        assertEquals("1", counts.get("listed|any|premium"));
        assertEquals("1", counts.get("listed|any|'" + FORMULA));
        assertEquals("2", counts.get("excluded_opted_out|in_window|all"));
        assertEquals("1", counts.get("excluded_opted_out|any|all"));
        assertEquals("1", counts.get("excluded_opted_out|repeat_within_7d|all"));
        assertEquals("1", counts.get("excluded_churned|any|all"));
        assertEquals("1", counts.get("excluded_unknown_customer|any|all"));
        assertEquals("0", counts.get("excluded_churned|hostile_last_contact|all"));

        Map<String, String> population = new LinkedHashMap<>();
        for (CSVRecord r : csv(run.resolve("watchlist/population.csv"))) {
            population.put(r.get("step"), r.get("count"));
        }
        assertEquals(Map.of("interactions", "29", "interactions_in_window", "27", "customers_in_window", "19",
                "customers_with_a_reason", "13", "not_listed_opted_out", "1", "not_listed_churned", "1",
                "not_listed_unknown_customer", "1", "listed", "10"), population);

        String summary = Files.readString(run.resolve("watchlist/summary.md"));
        for (String id : List.of("m1", "e2", "h3", "ch2", "p1", "o1", "u1", "t10", "HYPERLINK")) {
            assertFalse(summary.contains(id), "no id or segment in summary.md: " + id + "\n" + summary);
        }
        assertTrue(summary.contains("As of 2025-03-15T23:59:59.999999Z (as asked), looking back 14 days"), summary);
        assertTrue(summary.contains("Never listed: 2 customers who asked for emotion-free service (emotional_opt_out; "
                + "1 of them had a reason to be listed), 1 who churned"), summary);
    }

    @Test
    void theDefaultAsOfIsTheLatestContactAndItsWindowLeavesOutTheContactExactlyDaysBefore() throws IOException {
        Path run = run("latest", Map.of());
        assertEquals("2025-03-16T00:00:00Z", job(run).get("details").get("as_of").asText());
        List<String> listed = listed(run);
        assertEquals("e3 unresolved_public_complaint 2025-03-16T00:00:00Z 7 3", listed.get(1));
        assertTrue(listed.stream().noneMatch(l -> l.startsWith("e1 ")), listed.toString());
        assertEquals(10, listed.size());
        assertTrue(listed.stream().noneMatch(l -> l.startsWith("o1 ") || l.startsWith("ch1 ")), listed.toString());
    }

    @Test
    void withoutTurnsTheTextReasonsAreNotedAndTheOthersStillListed() throws IOException {
        Path run = run("no-turns", Map.of("as-of", "2025-03-15"), "turns");
        JsonNode job = job(run);
        assertEquals("succeeded", job.get("status").asText(), job.toString());
        assertEquals("there is no turns table",
                job.get("details").get("reasons_not_computed").get("hostile_last_contact").asText());
        List<String> listed = listed(run);
        assertEquals("m1 repeat_within_7d;unresolved_public_complaint 2025-03-12T09:00:00Z 6 4", listed.get(0));
        assertEquals(8, listed.size(), "h3 and d1 had only text reasons");
        for (CSVRecord r : csv(run.resolve("watchlist/watchlist_summary.csv"))) {
            boolean text = r.get("reason").equals("hostile_last_contact")
                    || r.get("reason").equals("deteriorating_conversation");
            assertEquals(text ? "not computed: there is no turns table" : "", r.get("note"), r.toString());
        }
        String summary = Files.readString(run.resolve("watchlist/summary.md"));
        assertTrue(summary.contains("The reason hostile_last_contact could not be computed: there is no turns table"),
                summary);
    }

    @Test
    void withoutTheCustomersTableNoOneIsListedTheJobIsSkipped() throws IOException {
        Path run = run("no-customers", Map.of(), "customers");
        JsonNode job = job(run);
        assertEquals("skipped", job.get("status").asText(), job.toString());
        assertTrue(job.toString().contains("customers"), job.toString());
        assertFalse(Files.exists(run.resolve("watchlist/watchlist.csv")));
    }

    @Test
    void optionsAreCheckedWithTheirNames() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Watchlist.DEFINITION.factory().apply(Map.of("as-of", "March", "days", "14",
                        "deterioration", "0.5")));
        assertTrue(e.getMessage().startsWith("--as-of: 'March' is not a date"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Watchlist.DEFINITION.factory().apply(Map.of("as-of", "latest", "days", "0",
                        "deterioration", "0.5")));
        assertEquals("--days: a window of 1 to 3650 days, got 0", e.getMessage());
    }
}
