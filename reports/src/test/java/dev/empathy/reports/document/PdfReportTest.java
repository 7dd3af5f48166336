package dev.empathy.reports.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.empathy.reports.chart.AuditCharts;
import dev.empathy.reports.chart.Charts;
import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfReportTest {

    /** The same report, twice, through files: the same bytes. */
    @Test
    void theSameReportGivesTheSameBytes(@TempDir Path dir) throws IOException {
        PdfReport.write(ReportFolder.local(dir), "a/report.pdf", SampleReport.build());
        PdfReport.write(ReportFolder.local(dir), "b/report.pdf", SampleReport.build());
        byte[] a = Files.readAllBytes(dir.resolve("a/report.pdf"));
        assertTrue(a.length > 10_000, a.length + " bytes");
        assertEquals(-1, java.util.Arrays.mismatch(a, Files.readAllBytes(dir.resolve("b/report.pdf"))));
    }

    /** Another machine's locale and time zone (a German JVM on Kiritimati, UTC+14) write the same bytes. */
    @Test
    void theBytesDoNotDependOnTheLocaleOrTimeZone() {
        byte[] pdf = PdfReport.render(SampleReport.build());
        String html = HtmlReport.render(SampleReport.build());
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
            assertEquals(-1, java.util.Arrays.mismatch(pdf, PdfReport.render(SampleReport.build())));
            assertEquals(html, HtmlReport.render(SampleReport.build()));
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
    }

    /**
     * The dates are the run date and the id comes from the report, never from the clock: no
     * other JVM on another day writes other bytes. The id is the MD5 of "Audit\n2026Q3\n2026-10-01",
     * from Python: {@code python3 -c 'import hashlib; print(hashlib.md5(b"Audit\n2026Q3\n2026-10-01").hexdigest())'}.
     */
    @Test
    void theDatesAndIdComeFromTheRunDate() {
        Report report = new Report("Audit", "2026Q3", LocalDate.of(2026, 10, 1),
                List.of(Report.Section.of("Findings", new Block.Paragraph("None."))), List.of());
        String pdf = new String(PdfReport.render(report), StandardCharsets.ISO_8859_1);
        assertTrue(pdf.contains("/CreationDate(D:20261001000000Z)"), pdf);
        assertTrue(pdf.contains("/ModDate(D:20261001000000Z)"), pdf);
        String id = "1e0430a46bc52dd67f64671d2a5ef65c";
        assertTrue(pdf.contains("/ID [<" + id + "><" + id + ">]"), pdf.substring(pdf.lastIndexOf("trailer")));
        String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        if (!today.equals("20261001")) {
            assertFalse(pdf.contains("D:" + today), "today's date in the PDF");
        }
        // The date's day: the same in every time zone, as the run date is.
        assertEquals(1, count(pdf, "/CreationDate("));
    }

    /** The title (with the characters HTML reads), a table cell, a formula and a chart's labels read back as text. */
    @Test
    void theTextReadsBack() throws IOException {
        byte[] pdf = PdfReport.render(SampleReport.build());
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            StringBuilder text = new StringBuilder();
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(extractor.getTextFromPage(page)).append('\n');
            }
            String all = text.toString();
            assertTrue(all.contains(SampleReport.TITLE), all);
            assertTrue(all.contains("1,204"), all);
            assertTrue(all.contains(SampleReport.CELL), all);
            assertTrue(all.contains(SampleReport.FORMULA), all);
            // Drawn as vectors: the charts' words are text, and no image is in the file.
            assertTrue(all.contains("region and channel"), all);
            assertTrue(all.contains("below"), all);
            assertTrue(all.contains("n<30"), all);
            // U+2212 printed as a hyphen by the standard fonts.
            assertTrue(all.contains("2026Q3 against 2026Q2 - 41,220"), all);
            assertTrue(reader.getNumberOfPages() >= 3, reader.getNumberOfPages() + " pages");
        } finally {
            reader.close();
        }
        String raw = new String(pdf, StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("/Subtype/Image"), "a raster image in the PDF");
        assertFalse(raw.contains("/Subtype /Image"), "a raster image in the PDF");
    }

    /** Nothing to show is drawn as nothing, never an exception: empty charts, a section without blocks, a table without rows. */
    @Test
    void emptyPartsStillRender() throws IOException {
        Charts.Drawing heat = AuditCharts.heatmap("Empathy", "", "region", "channel", "score", List.of(), List.of(),
                List.of(), 30, 1);
        Charts.Drawing changes = AuditCharts.changes("Changes", "", "points", List.of(), 1);
        Charts.Drawing sla = AuditCharts.compliance("SLA", "", "region", "share", List.of(), List.of(), Double.NaN);
        Charts.Drawing gap = AuditCharts.gap("Gap", "", "score", "in-house", "outsourced", List.of(), 1);
        Report report = new Report("Empty", "", LocalDate.of(2026, 1, 1), List.of(Report.Section.of("Nothing"),
                Report.Section.of("Charts", chart(heat), chart(changes), chart(sla), chart(gap)),
                Report.Section.of("Table", Block.Table.of("No rows", List.of("region", "n"), List.of()),
                        new Block.Findings(List.of()))), List.of());
        assertTrue(HtmlReport.render(report).contains("<th>region</th>"));
        PdfReader reader = new PdfReader(PdfReport.render(report));
        try {
            String last = new PdfTextExtractor(reader).getTextFromPage(reader.getNumberOfPages());
            assertTrue(last.contains("No rows") && last.contains("region"), last);
        } finally {
            reader.close();
        }
    }

    private static Block.Chart chart(Charts.Drawing d) {
        return new Block.Chart(d.chart(), d.width(), d.height(), "");
    }

    @Test
    void textOutsideTheStandardFontsIsMarked() {
        assertEquals("caf\u00e9 - \u20ac ? ?", PdfReport.text("caf\u00e9 \u2212 \u20ac \u4e2d \ud83d\ude00"));
        assertEquals("<b>&\"'", PdfReport.text("<b>&\"'"));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
