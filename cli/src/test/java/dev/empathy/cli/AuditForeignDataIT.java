package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.reports.document.Viewers;
import dev.empathy.reports.document.Viewers.Pixels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit and the watchlist on a contact centre our generator did not make: written by DuckDB
 * SQL, with region, channel and segment names that hold HTML and spreadsheet-formula characters.
 *
 * <ul>
 *   <li>60 agents ({@code agent-01}..{@code agent-60}; odd ones in-house, even ones outsourced),
 *       each with a level uniform on -6..6; 7,200 contacts spread evenly over 2025-01-01 to
 *       2025-06-30 (so 2025Q2 is the last complete quarter), 900 customers.</li>
 *   <li>Regions {@code <b>North & "co"</b>}, {@code =HYPERLINK("http://x.test","y")} and
 *       {@code South} (a third each, less the small region), and {@code Tiny} (one contact in
 *       150, some 24 a quarter: every cell of it falls under 30 scored contacts); channels
 *       {@code voice}, {@code chat} and {@code +email}.</li>
 *   <li>Four contacts in five are scored: 70 + the agent's level + noise (5 x the sum of three
 *       uniforms on -1..1) <b>- 10 for the chat contacts of {@code <b>North & "co"</b>} in
 *       2025Q2</b>, the planted fall.</li>
 *   <li>Customers' segments {@code <i>vip</i>} and {@code =SUM(A1:A9)}; one in six opted out of
 *       emotional language, one in twenty churned in March. Every contact has one customer turn:
 *       hostile ("This is ridiculous.") for one customer in three, cooperative otherwise, so many
 *       opted-out customers' last contacts were hostile: they must never be listed.</li>
 * </ul>
 * Values are drawn from DuckDB's {@code hash} of a label, so the data are the same on every run.
 */
class AuditForeignDataIT {

    @TempDir
    static Path dir;

    static Path run;
    static Set<String> optedOut = new HashSet<>();
    static Set<String> churned = new HashSet<>();
    static Set<String> customerIds = new HashSet<>();
    static Set<String> agentIds = new HashSet<>();

    static final String NORTH = "<b>North & \"co\"</b>";
    static final String FORMULA = "=HYPERLINK(\"http://x.test\",\"y\")";

    static final List<String> BUILD = List.of(
            "SET TimeZone = 'UTC'",
            """
            CREATE TABLE agents AS SELECT 'agent-' || lpad(i::VARCHAR, 2, '0') AS agent_id,
                CASE WHEN i % 2 = 1 THEN 'in_house' ELSE 'outsourced' END AS team_type,
                ((hash('level-' || i) % 1000) / 1000.0 - 0.5) * 12 AS level
            FROM range(1, 61) t(i)""",
            """
            CREATE TABLE customers AS SELECT 'cust-' || lpad(i::VARCHAR, 4, '0') AS customer_id,
                CASE WHEN i % 2 = 0 THEN '<i>vip</i>' ELSE '=SUM(A1:A9)' END AS segment,
                TIMESTAMPTZ '2024-06-01 00:00:00+00' AS signup_at,
                CASE WHEN i % 20 = 7 THEN TIMESTAMPTZ '2025-03-15 00:00:00+00' END AS churned_at,
                i % 6 = 1 AS emotional_opt_out, 'XX' AS country
            FROM range(0, 900) t(i)""",
            """
            CREATE TABLE contacts AS SELECT 'ix-' || lpad(k::VARCHAR, 5, '0') AS interaction_id,
                'cust-' || lpad((hash('who-' || k) % 900)::VARCHAR, 4, '0') AS customer_id,
                'agent-' || lpad((1 + hash('agent-' || k) % 60)::VARCHAR, 2, '0') AS agent_id,
                TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds((k * 2170)::BIGINT) AS started_at,
                CASE WHEN hash('tiny-' || k) % 150 = 0 THEN 'Tiny'
                     ELSE ['<b>North & "co"</b>', '=HYPERLINK("http://x.test","y")', 'South'][(1 + hash('region-' || k) % 3)::BIGINT]
                END AS region,
                ['voice', 'chat', '+email'][(1 + hash('channel-' || k) % 3)::BIGINT] AS channel,
                hash('scored-' || k) % 5 < 4 AS scored
            FROM range(0, 7200) t(k)""",
            """
            CREATE TABLE interactions AS SELECT c.interaction_id, c.customer_id, c.agent_id, c.started_at,
                c.channel, c.region, a.team_type, 'billing' AS contact_reason, 300.0 AS handle_seconds,
                true AS resolved, 2.0 AS resolution_hours,
                CASE WHEN c.scored THEN round(70 + a.level
                    + CASE WHEN c.region = '<b>North & "co"</b>' AND c.channel = 'chat'
                           AND c.started_at >= TIMESTAMPTZ '2025-04-01 00:00:00+00' THEN -10 ELSE 0 END
                    + 5 * ((hash('e1-' || c.interaction_id) % 1000) / 500.0 - 1
                        + (hash('e2-' || c.interaction_id) % 1000) / 500.0 - 1
                        + (hash('e3-' || c.interaction_id) % 1000) / 500.0 - 1), 1) END AS empathy_score,
                hash('doc-' || c.interaction_id) % 2 = 0 AS empathy_documented, 'en' AS language
            FROM contacts c JOIN agents a USING (agent_id)""",
            """
            CREATE TABLE turns AS SELECT interaction_id, 0::INTEGER AS turn_index, 'customer' AS speaker,
                CASE WHEN hash('mood-' || customer_id) % 3 = 0 THEN 'This is ridiculous.'
                     ELSE 'Thanks for your help.' END AS text
            FROM contacts""");

    @BeforeAll
    static void build() throws SQLException, IOException {
        MainIT.session();
        Path input = dir.resolve("input");
        Files.createDirectories(input);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
            for (String sql : BUILD) {
                s.execute(sql);
            }
            ForeignTables.copy(s, input, "interactions", "customers", "turns");
            s.execute("COPY (SELECT agent_id, team_type FROM agents ORDER BY ALL) TO '"
                    + input.resolve("agents.parquet").toString().replace("'", "''") + "' (FORMAT PARQUET)");
            collect(s, "SELECT customer_id FROM customers WHERE emotional_opt_out", optedOut);
            collect(s, "SELECT customer_id FROM customers WHERE churned_at IS NOT NULL", churned);
            collect(s, "SELECT customer_id FROM customers", customerIds);
            collect(s, "SELECT agent_id FROM agents", agentIds);
        }
        Path out = dir.resolve("out");
        MainIT.Outcome o = MainIT.run("nightly", "--input", input.toString(), "--output", out.toString(),
                "--run-date", "2025-07-01");
        assertEquals(0, o.code(), o.err());
        run = out.resolve("2025-07-01");
    }

    private static void collect(Statement s, String sql, Set<String> into) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                into.add(r.getString(1));
            }
        }
    }

    private static List<CSVRecord> csv(String job, String file) throws IOException {
        return ForeignTables.csv(run.resolve(job).resolve(file));
    }

    private static CSVRecord cell(List<CSVRecord> rows, String quarter, String region, String channel, String team) {
        return rows.stream().filter(r -> r.get("quarter").equals(quarter) && r.get("region").equals(region)
                        && r.get("channel").equals(channel) && r.get("team_type").equals(team))
                .findFirst().orElseThrow(() -> new AssertionError("no cell " + quarter + " " + region + " "
                        + channel + " " + team));
    }

    /** A cell written to CSV: the guard puts a quote before a leading =, + or - of text. */
    private static String guarded(String text) {
        return "=+-@".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    @Test
    void thePlantedFallIsFlaggedBelowWithItsDropInsideTheInterval() throws IOException {
        List<CSVRecord> cube = csv("audit", "cube.csv");
        CSVRecord fell = cell(cube, "2025Q2", NORTH, "chat", "all");
        assertEquals("below", fell.get("flag"), fell.toString());
        assertEquals("no", fell.get("suppressed"));
        assertTrue(Double.parseDouble(fell.get("q_value")) < 0.05, fell.toString());
        // Against the rest of the organisation: only the cell carries the -10, and each contact's
        // agent is drawn at random whatever its region and channel, so the data are drawn with a
        // difference of -10 from the rest.
        double diffLow = Double.parseDouble(fell.get("diff_ci_low"));
        double diffHigh = Double.parseDouble(fell.get("diff_ci_high"));
        assertTrue(diffLow <= -10 && -10 <= diffHigh, "planted -10 outside diff_vs_rest's interval: " + fell);
        CSVRecord before = cell(cube, "2025Q1", NORTH, "chat", "all");
        assertEquals("", before.get("flag"), "no fall planted in 2025Q1: " + before);

        CSVRecord change = csv("audit", "qoq.csv").stream().filter(r -> r.get("region").equals(NORTH)
                && r.get("channel").equals("chat") && r.get("team_type").equals("all")).findFirst().orElseThrow();
        double low = Double.parseDouble(change.get("ci_low"));
        double high = Double.parseDouble(change.get("ci_high"));
        assertTrue(low <= -10 && -10 <= high, "planted -10 outside " + change);
    }

    @Test
    void theSmallRegionIsSuppressedAndNamesKeepTheirCharactersWithoutStartingAFormula() throws IOException {
        List<CSVRecord> cube = csv("audit", "cube.csv");
        List<CSVRecord> tiny = cube.stream().filter(r -> r.get("region").equals("Tiny")).toList();
        assertFalse(tiny.isEmpty());
        for (CSVRecord r : tiny) {
            assertEquals("yes", r.get("suppressed"), r.toString());
            assertTrue(Integer.parseInt(r.get("scored")) < 30, r.toString());
            assertEquals("", r.get("empathy_mean"), r.toString());
            assertEquals("", r.get("flag"), r.toString());
        }
        Set<String> regions = new HashSet<>();
        Set<String> channels = new HashSet<>();
        cube.forEach(r -> {
            regions.add(r.get("region"));
            channels.add(r.get("channel"));
        });
        assertTrue(regions.contains(NORTH), regions.toString());
        assertTrue(regions.contains(guarded(FORMULA)), regions.toString());
        assertTrue(channels.contains(guarded("+email")), channels.toString());
        assertFalse(regions.contains(FORMULA), "a region name must not start a formula");
    }

    @Test
    void theWatchlistNeverListsAnOptedOutOrChurnedCustomer() throws IOException {
        List<CSVRecord> listed = csv("watchlist", "watchlist.csv");
        assertFalse(listed.isEmpty(), "hostile customers who did not opt out are listed");
        List<String> wrong = new ArrayList<>();
        for (CSVRecord r : listed) {
            String id = r.get("customer_id");
            assertTrue(customerIds.contains(id), id);
            if (optedOut.contains(id) || churned.contains(id)) {
                wrong.add(id);
            }
        }
        assertEquals(List.of(), wrong);
        String summary = Files.readString(run.resolve("watchlist/watchlist_summary.csv"));
        assertTrue(summary.contains("'=SUM(A1:A9)") && !summary.contains(",=SUM"), summary);
    }

    @Test
    void noAuditFileForExecutivesNamesACustomerOrAnAgentOrQuotesAVerbatim() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(run.resolve("audit"))) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("performative_agents.csv"))
                    .filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".md")
                            || p.toString().endsWith(".html"))
                    .toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            String text = Files.readString(f);
            assertFalse(text.contains("cust-"), f + " names a customer");
            assertFalse(text.contains("agent-"), f + " names an agent");
            assertFalse(text.contains("ridiculous") || text.contains("Thanks for your help"), f + " quotes a verbatim");
        }
    }

    /**
     * The executives' report.html: the names print as their characters (escaped, never markup),
     * the planted fall is the first finding, the small region is too small to compare, and no
     * customer or agent id, contact id or verbatim is anywhere in it; the PDF's text (OpenPDF's
     * extractor) likewise.
     */
    @Test
    void theReportEscapesTheNamesStatesThePlantedFallAndHoldsNoPersonalData() throws IOException {
        String html = Files.readString(run.resolve("audit/report.html"));
        assertTrue(html.contains("&lt;b&gt;North &amp; &quot;co&quot;&lt;/b&gt;"), "the region's name, escaped");
        assertTrue(html.contains("=HYPERLINK(&quot;http://x.test&quot;,&quot;y&quot;)"), "the formula as text");
        assertFalse(html.contains("<b>North"), "a region name ran as markup");
        assertTrue(html.contains("Region &lt;b&gt;North &amp; &quot;co&quot;&lt;/b&gt;, channel chat: empathy fell by"),
                "the planted fall is a finding");
        assertTrue(html.contains("<td>Tiny</td>") || html.contains(">Tiny<"), "the small region is listed");
        String pdf = Viewers.pdfText(run.resolve("audit/report.pdf"));
        assertTrue(pdf.contains("Region <b>North & \"co\"</b>, channel chat: empathy fell by"), pdf);
        assertTrue(pdf.contains("Quarterly empathy audit, 2025Q2"), pdf);
        // The embedded PNGs' base64 may spell anything ("NaN"): scan the HTML without them.
        String words = Viewers.withoutImages(html);
        assertTrue(words.length() < html.length(), "the charts are embedded");
        for (String text : List.of(words, pdf)) {
            assertFalse(text.contains("cust-"), "the report names a customer");
            assertFalse(text.contains("agent-"), "the report names an agent");
            assertFalse(text.contains("ix-0"), "the report names a contact");
            assertFalse(text.contains("ridiculous") || text.contains("Thanks for your help"), "a verbatim");
            assertFalse(text.contains("NaN"), "NaN in the report");
        }
    }

    /**
     * The audit's real report through the viewers: report.html in headless Chromium (the first
     * screen, and a print to A4) and report.pdf through pdftoppm; every page is A4 and not blank,
     * the first of each shows the heat map's colour. The pages are kept in
     * {@code target/audit-report-pages/} to be looked at.
     */
    @Test
    void theReportRendersInChromiumAndThroughPdftoppm() throws Exception {
        Path work = Files.createDirectories(dir.resolve("viewers"));
        Path kept = Path.of("target", "audit-report-pages");
        Path html = run.resolve("audit/report.html");
        Files.createDirectories(kept);
        Path shot = kept.resolve("html-screen.png");
        Viewers.screenshot(work, html, shot, 1240, 1754);
        BufferedImage screen = ImageIO.read(shot.toFile());
        assertTrue(Pixels.of(screen, 0, 250, screen.getWidth(), 1200).coloured() > 0.05, "no heat map on screen");
        Path printed = work.resolve("chromium.pdf");
        Viewers.print(work, html, printed);
        for (Path pdf : List.of(printed, run.resolve("audit/report.pdf"))) {
            String name = pdf.equals(printed) ? "html-print" : "pdf";
            List<Path> pages = Viewers.pages(work, pdf, kept, name);
            assertTrue(pages.size() >= 3 && pages.size() <= 10, name + ": " + pages.size() + " pages");
            for (Path page : pages) {
                BufferedImage image = ImageIO.read(page.toFile());
                assertEquals(496, image.getWidth(), page.toString());
                assertEquals(702, image.getHeight(), page.toString());
                Pixels p = Pixels.of(image, 0, 0, image.getWidth(), image.getHeight());
                System.err.printf(Locale.ROOT, "[AuditForeignDataIT] %s: %s%n", page.getFileName(), p);
                assertFalse(p.blank(), page + " is blank: " + p);
            }
            BufferedImage first = ImageIO.read(pages.get(0).toFile());
            assertTrue(Pixels.of(first, 0, 0, first.getWidth(), first.getHeight()).coloured() > 0.05,
                    name + ": the first page has no heat map");
            String text = Viewers.text(work, pdf);
            assertTrue(text.contains("<b>North & \"co\"</b>"), name + ": " + text);
            assertFalse(text.contains("cust-") || text.contains("agent-"), name + ": an id");
        }
    }
}
