package dev.empathy.reports.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    /** The five characters HTML gives a meaning, each as its entity (HTML 4.01, section 5.3.2 and 24.2). */
    @Test
    void escapesTheCharactersMarkupReads() {
        assertEquals("&lt;b&gt;&amp;&quot;&#39;", HtmlReport.escape("<b>&\"'"));
        assertEquals("=HYPERLINK(&quot;x&quot;)", HtmlReport.escape("=HYPERLINK(\"x\")"));
        assertEquals("caf&eacute; &lt;/p&gt;&lt;script&gt;", HtmlReport.escape("café </p><script>"));
    }

    /** A small report without charts, written out by hand: every text from the data is escaped. */
    @Test
    void everyTextIsEscapedWhereItStands() {
        String hostile = "<b>&\"'";
        String formula = "=HYPERLINK(\"x\")";
        Report report = new Report(hostile, formula, LocalDate.of(2026, 10, 1), List.of(Report.Section.of(hostile,
                new Block.Paragraph(formula),
                new Block.Findings(List.of(new Block.Finding(hostile, formula))),
                Block.Table.of(hostile, List.of(hostile, "n"), List.of(List.of(formula, "1,204"))),
                new Block.Note(hostile))), List.of());
        String html = HtmlReport.render(report);
        String h = "&lt;b&gt;&amp;&quot;&#39;";
        String f = "=HYPERLINK(&quot;x&quot;)";
        assertTrue(html.contains("<title>" + h + "</title>"), html);
        String body = html.substring(html.indexOf("<body>"));
        assertEquals("<body>\n"
                + "<header>\n<h1>" + h + "</h1>\n<p class=\"subtitle\">" + f + "</p>\n<p class=\"run\">Run of 2026-10-01</p>\n"
                + "</header>\n"
                + "<section>\n<h2>" + h + "</h2>\n"
                + "<p>" + f + "</p>\n"
                + "<ol class=\"findings\">\n<li><strong>" + h + "</strong> " + f + "</li>\n</ol>\n"
                + "<table>\n<caption>" + h + "</caption>\n<thead>\n<tr><th>" + h + "</th><th class=\"num\">n</th></tr>\n"
                + "</thead>\n<tbody>\n<tr><td>" + f + "</td><td class=\"num\">1,204</td></tr>\n</tbody>\n</table>\n"
                + "<p class=\"note\">" + h + "</p>\n"
                + "</section>\n</body>\n</html>\n", body);
        assertFalse(html.contains(hostile));
        assertFalse(html.contains(formula));
    }

    @Test
    void theSampleHoldsNoScriptNoLinkAndNoRawName() {
        String html = HtmlReport.render(SampleReport.build());
        String lower = html.toLowerCase(Locale.ROOT);
        for (String forbidden : List.of("<script", "http://", "https://", "<link", "@import", "url(", "<iframe",
                "<object", "<embed", "//fonts.")) {
            assertFalse(lower.contains(forbidden), forbidden);
        }
        assertFalse(Pattern.compile("<[^>]*\\son[a-z]+\\s*=").matcher(lower).find(), "an event handler attribute");
        assertFalse(html.contains(SampleReport.HOSTILE), "a raw <b>&\"' in the HTML");
        assertFalse(html.contains(SampleReport.FORMULA), "a raw formula in the HTML");
        // Every image is one of the four charts, embedded.
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            assertTrue(src.group(1).startsWith("data:image/png;base64,"), src.group(1).substring(0, 40));
            images++;
        }
        assertEquals(4, images);
        assertTrue(html.contains("@page { size: A4;"));
        assertTrue(html.contains("figure { margin: 3mm 0 5mm; break-inside: avoid; page-break-inside: avoid; }"));
    }

    /** The same report, twice, through files: the same bytes. */
    @Test
    void theSameReportGivesTheSameBytes(@TempDir Path dir) throws IOException {
        HtmlReport.write(ReportFolder.local(dir), "a/report.html", SampleReport.build());
        HtmlReport.write(ReportFolder.local(dir), "b/report.html", SampleReport.build());
        byte[] a = Files.readAllBytes(dir.resolve("a/report.html"));
        assertTrue(a.length > 50_000, a.length + " bytes");
        assertEquals(-1, java.util.Arrays.mismatch(a, Files.readAllBytes(dir.resolve("b/report.html"))));
        String today = LocalDate.now(java.time.ZoneOffset.UTC).toString();
        if (!today.equals(SampleReport.RUN.toString())) {
            assertFalse(new String(a, java.nio.charset.StandardCharsets.UTF_8).contains(today), "today's date in the HTML");
        }
    }

    @Test
    void findsNumericColumnsFromTheirCells() {
        Block.Table t = Block.Table.of("", List.of("region", "n", "share", "change", "interval", "empty"), List.of(
                List.of("North", "1,204", "74.0%", "-8.4", "4.9 to 11.9", ""),
                List.of("12", "12", "", "\u22121.5", "", ""),
                List.of("South", "988", "100%", "+0.4", "", "")));
        assertEquals(List.of(false, true, true, true, false, false),
                t.columns().stream().map(Block.Column::numeric).toList());
    }

    @Test
    void aRowOfTheWrongLengthIsRefusedWithTheTableNamed() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Block.Table.of("SLA", List.of("a", "b"), List.of(List.of("1"))));
        assertEquals("table 'SLA': row 1 has 1 cells for 2 columns", e.getMessage());
    }
}
