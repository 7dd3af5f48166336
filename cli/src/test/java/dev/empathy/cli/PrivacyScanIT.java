package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.lib.text.Redactor;
import dev.empathy.reports.document.Viewers;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal data never reaches an output: a nightly on generated data whose customers write
 * e-mail addresses, phone numbers, card numbers and IBANs into their turns (truth.json counts
 * them), and every file of the run outside {@code rejects/} read as what it is: CSV cells,
 * Markdown and JSON text, the cells of the model frames' gzip CSV parts, every string value of every Parquet table (decoded by Spark, not
 * grepped as bytes), the text of the audit's report.html and report.pdf, and the run's own progress output. A value holds personal data when the
 * {@link Redactor} would change it; the planted items themselves are also looked for verbatim.
 * PNG charts are drawn from figures and level names only and are not decoded.
 */
class PrivacyScanIT {

    @TempDir
    static Path dir;

    static Path run;
    static MainIT.Outcome nightly;
    static List<String> planted = new ArrayList<>();

    @BeforeAll
    static void nightly() throws IOException {
        MainIT.session();
        MainIT.Outcome g = MainIT.run("generate", "--interactions", "20000", "--output", dir.resolve("data").toString());
        assertEquals(0, g.code(), g.err());
        JsonNode truth = new ObjectMapper().readTree(dir.resolve("data/truth.json").toFile());
        assertTrue(truth.at("/text/personal_data/customer_turns_with_personal_data").asLong() > 20,
                "the generated turns hold personal data to find");
        // The planted items, as the customers wrote them: what the redactor takes out of their turns.
        for (Row r : MainIT.spark.read().parquet(dir.resolve("data/turns").toString())
                .filter("speaker = 'customer'").select("text").collectAsList()) {
            String text = r.getString(0);
            if (text != null && Redactor.redact(text).changed()) {
                planted.add(text);
            }
        }
        nightly = MainIT.run("nightly", "--input", dir.resolve("data").toString(), "--output",
                dir.resolve("runs").toString(), "--run-date", "2026-01-31");
        assertTrue(nightly.code() == 0 || nightly.code() == 4, nightly.err());
        // the run folder is a link to the published folder: scan what it leads to
        run = dir.resolve("runs/2026-01-31").toRealPath();
    }

    @Test
    void noFileOutsideRejectsHoldsPersonalData() throws IOException {
        assertTrue(planted.size() > 20, "turns with personal data: " + planted.size());
        List<String> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(run)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !run.relativize(p).startsWith("rejects")).sorted()
                    .toList();
        }
        int scanned = 0;
        int frames = 0;
        int documents = 0;
        java.util.Set<Path> tables = new java.util.TreeSet<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String rel = run.relativize(f).toString();
            if (name.endsWith(".csv")) {
                try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    for (CSVRecord record : CSVFormat.RFC4180.parse(in)) {
                        for (String cell : record) {
                            check(rel, cell, found);
                        }
                    }
                }
                scanned++;
            } else if (name.endsWith(".csv.gz")) {
                // Model frames (docs/notebooks.md): gzip CSV part files.
                try (Reader in = new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
                        Files.newInputStream(f)), StandardCharsets.UTF_8)) {
                    for (CSVRecord record : CSVFormat.RFC4180.parse(in)) {
                        for (String cell : record) {
                            check(rel, cell, found);
                        }
                    }
                }
                scanned++;
                frames++;
            } else if (name.endsWith(".md") || name.endsWith(".json")) {
                for (String line : Files.readAllLines(f)) {
                    check(rel, line, found);
                }
                scanned++;
            } else if (name.endsWith(".html")) {
                // The audit's report: the text a reader sees, line by line.
                for (String line : Viewers.htmlText(Files.readString(f)).split("\n")) {
                    check(rel, line, found);
                }
                scanned++;
                documents++;
            } else if (name.endsWith(".pdf")) {
                // Its PDF: the text of every page as OpenPDF extracts it, sentence by sentence.
                for (String sentence : Viewers.pdfText(f).split("(?<=[.:;]) ")) {
                    check(rel, sentence, found);
                }
                scanned++;
                documents++;
            } else if (name.endsWith(".parquet")) {
                tables.add(f.getParent());
            }
        }
        for (Path table : tables) {
            Dataset<Row> rows = MainIT.spark.read().parquet(table.toString());
            for (StructField field : rows.schema().fields()) {
                if (field.dataType().equals(DataTypes.StringType)) {
                    for (Row r : rows.select(field.name()).distinct().collectAsList()) {
                        check(run.relativize(table) + "." + field.name(), r.getString(0), found);
                    }
                }
            }
            scanned++;
        }
        for (String line : (nightly.out() + "\n" + nightly.err()).split("\n")) {
            check("progress output", line, found);
        }
        assertTrue(scanned >= 10, "files and tables scanned: " + scanned);
        assertTrue(frames >= 3, "model frame parts scanned: " + frames);
        assertEquals(2, documents, "the audit's report.html and report.pdf scanned");
        assertTrue(tables.stream().anyMatch(t -> t.endsWith("turn_scores")), "turn_scores was scanned: " + tables);
        assertTrue(found.isEmpty(), found.size() + " values with personal data:\n"
                + String.join("\n", found.subList(0, Math.min(20, found.size()))));
    }

    /**
     * The files the executives and the CRM's managers read name nobody and quote nobody: the
     * audit's report.html (its text), report.pdf (its text) and summary.md, and the watchlist's
     * summary.md and watchlist_summary.csv hold no customer, agent or interaction id of the data
     * and no turn of either speaker (every distinct turn text of 20 characters or more). The
     * operations files, {@code watchlist/watchlist.csv} and {@code audit/performative_agents.csv},
     * carry ids by design (docs/privacy.md) and are checked for personal data only, above; that
     * the id check finds their ids shows it would find one in a report.
     */
    @Test
    void theReportsAndSummariesNameNoIdAndQuoteNoTurn() throws IOException {
        Set<String> ids = new HashSet<>();
        Dataset<Row> interactions = MainIT.spark.read().parquet(dir.resolve("data/interactions").toString());
        for (String column : List.of("interaction_id", "customer_id", "agent_id")) {
            interactions.select(column).distinct().collectAsList().forEach(r -> ids.add(r.getString(0)));
        }
        List<String> turns = MainIT.spark.read().parquet(dir.resolve("data/turns").toString())
                .select("text").distinct().collectAsList().stream().map(r -> r.getString(0))
                .filter(t -> t != null && t.strip().length() >= 20).map(String::strip).sorted().toList();
        assertTrue(turns.size() > 100, "turn texts to look for: " + turns.size());

        Path audit = run.resolve("audit");
        Path watchlist = run.resolve("watchlist");
        java.util.Map<String, String> read = new java.util.TreeMap<>();
        read.put("audit/report.html", Viewers.htmlText(Files.readString(audit.resolve("report.html"))));
        read.put("audit/report.pdf", Viewers.pdfText(audit.resolve("report.pdf")));
        read.put("audit/summary.md", Files.readString(audit.resolve("summary.md")));
        read.put("watchlist/summary.md", Files.readString(watchlist.resolve("summary.md")));
        read.put("watchlist/watchlist_summary.csv", Files.readString(watchlist.resolve("watchlist_summary.csv")));
        List<String> found = new ArrayList<>();
        read.forEach((file, text) -> {
            assertTrue(text.length() > 200, file + " has text: " + text);
            found.addAll(namedIds(text, ids).stream().map(id -> file + ": the id " + id).toList());
            for (String turn : turns) {
                if (text.contains(turn)) {
                    found.add(file + ": a turn verbatim: " + turn);
                }
            }
        });
        assertTrue(found.isEmpty(), String.join("\n", found.subList(0, Math.min(20, found.size()))));

        // The operations files: ids by design, and the check above would have found them.
        assertFalse(namedIds(Files.readString(watchlist.resolve("watchlist.csv")), ids).isEmpty(),
                "watchlist.csv lists customers by id");
        assertFalse(namedIds(Files.readString(audit.resolve("performative_agents.csv")), ids).isEmpty(),
                "performative_agents.csv lists agents by id");
    }

    /** The words of {@code text} (runs of letters, digits, '_' and '-') that are ids of the data. */
    private static Set<String> namedIds(String text, Set<String> ids) {
        Set<String> named = new java.util.TreeSet<>();
        for (String word : text.split("[^A-Za-z0-9_-]+")) {
            if (ids.contains(word)) {
                named.add(word);
            }
        }
        return named;
    }

    /** The name a CI run failed on reads as a card number until its Spark id is set aside. */
    @Test
    void sparkPartIdsAreSetAsideNotTheRest() {
        String name = "model_frame/part-00000-53198437-6682-4cbd-ba90-c53cc4148995-c000.csv.gz";
        assertTrue(Redactor.redact(name).changed(), "the raw part-file name reads as personal data");
        List<String> found = new ArrayList<>();
        check("manifest.json", name, found);
        assertTrue(found.isEmpty(), found.toString());
        check("manifest.json", "see part-00000-53198437-6682-4cbd-ba90-c53cc4148995-c000 or call +44 20 7946 0958", found);
        assertEquals(1, found.size(), "a phone number beside a part-file name is still found: " + found);
    }

    private static final java.util.regex.Pattern SPARK_PART_ID = java.util.regex.Pattern.compile(
            "part-(\\d{5})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-");

    /** A value holds personal data when the redactor would change it, or it contains a planted turn. */
    private static void check(String where, String value, List<String> found) {
        if (value == null || value.isEmpty()) {
            return;
        }
        // The test's own folder is no data: its random name (junit-7367890248099535126) can read as
        // a Luhn-valid card number in the manifest's paths and the progress lines.
        value = value.replace(dir.toString(), "DIR");
        // Nor are the random ids in Spark's part-file names, which the manifest lists: in
        // part-00000-53198437-6682-4cbd-ba90-c53cc4148995-c000.csv.gz the digits
        // 00000-53198437-6682-4 read as a Luhn-valid card number (a CI run failed on that name).
        value = SPARK_PART_ID.matcher(value).replaceAll("part-$1-UUID-");
        if (Redactor.redact(value).changed()) {
            found.add(where + ": " + value);
            return;
        }
        for (String turn : planted) {
            if (value.contains(turn)) {
                found.add(where + ": a customer's turn verbatim: " + value);
                return;
            }
        }
    }
}
