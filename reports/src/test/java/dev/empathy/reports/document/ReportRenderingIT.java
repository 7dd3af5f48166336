package dev.empathy.reports.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lowagie.text.pdf.PdfReader;
import dev.empathy.reports.document.Viewers.Pixels;
import dev.empathy.reports.io.ReportFolder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample report through real viewers: the HTML in headless Chromium (a screenshot of the
 * first screen and a print to PDF on A4), the PDF through poppler ({@code pdftoppm} pages at 60
 * dpi, {@code pdftotext}). Every page must exist and not be blank, the first page's chart must
 * have colour, and the text a reader sees must be the text of the data, with its {@code <b>&"'}
 * printed, not run. The images are kept in {@code target/report-pages/} to be looked at. The
 * viewers are run by {@link Viewers}, which the cli's tests share; a missing program fails the
 * test with what to install ({@code .ci/run} installs it).
 */
class ReportRenderingIT {

    /** The pages OpenPDF lays the sample out on: three of body, one of appendix. */
    static final int PDF_PAGES = 4;

    @TempDir
    static Path dir;

    static Path html;
    static Path pdf;
    static final Path KEPT = Path.of("target", "report-pages");

    @BeforeAll
    static void render() throws IOException {
        Report report = SampleReport.build();
        HtmlReport.write(ReportFolder.local(dir), "report.html", report);
        PdfReport.write(ReportFolder.local(dir), "report.pdf", report);
        html = dir.resolve("report.html");
        pdf = dir.resolve("report.pdf");
        Files.createDirectories(KEPT);
        try (Stream<Path> old = Files.list(KEPT)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void chromiumShowsTheFirstScreenWithItsChart() throws Exception {
        Path shot = KEPT.resolve("html-screen.png");
        Viewers.screenshot(dir, html, shot, 1240, 1754);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(1240, image.getWidth());
        assertEquals(1754, image.getHeight());
        Pixels all = Pixels.of(image, 0, 0, image.getWidth(), image.getHeight());
        assertTrue(all.inked() > 0.05, "the screen is blank: " + all);
        // The heat map sits in the screen's upper half, under the title and the first paragraph.
        Pixels chart = Pixels.of(image, 0, 250, image.getWidth(), 800);
        assertTrue(chart.coloured() > 0.10, "the heat map has no colour: " + chart);
        report("html-screen", all);
    }

    @Test
    void chromiumPrintsTheHtmlOnA4PagesThatAreNotBlank() throws Exception {
        Path printed = dir.resolve("chromium.pdf");
        Viewers.print(dir, html, printed);
        List<Path> pages = pages(printed, "html-print");
        assertTrue(pages.size() >= 3 && pages.size() <= 6, pages.size() + " printed pages");
        for (Path page : pages) {
            BufferedImage image = ImageIO.read(page.toFile());
            // A4 at 60 dpi: 8.27 x 11.69 in.
            assertEquals(496, image.getWidth(), page.toString());
            assertEquals(702, image.getHeight(), page.toString());
            Pixels p = Pixels.of(image, 0, 0, image.getWidth(), image.getHeight());
            assertTrue(p.inked() > 0.002 && p.variance() > 10, page.getFileName() + " is blank: " + p);
            report(page.getFileName().toString(), p);
        }
        assertTrue(Pixels.of(ImageIO.read(pages.get(0).toFile()), 0, 0, 496, 702).coloured() > 0.05,
                "the first printed page has no chart");
        String text = text(printed);
        assertTrue(text.contains("Quarterly empathy audit <b>&\"'"), text);
        assertTrue(text.contains("=HYPERLINK(\"x\")"), text);
    }

    @Test
    void popplerShowsEveryPdfPage() throws Exception {
        List<Path> pages = pages(pdf, "pdf");
        PdfReader reader = new PdfReader(Files.readAllBytes(pdf));
        try {
            assertEquals(PDF_PAGES, reader.getNumberOfPages());
        } finally {
            reader.close();
        }
        assertEquals(PDF_PAGES, pages.size(), pages.toString());
        for (Path page : pages) {
            BufferedImage image = ImageIO.read(page.toFile());
            assertEquals(496, image.getWidth(), page.toString());
            assertEquals(702, image.getHeight(), page.toString());
            Pixels p = Pixels.of(image, 0, 0, image.getWidth(), image.getHeight());
            assertTrue(p.inked() > 0.002 && p.variance() > 10, page.getFileName() + " is blank: " + p);
            report(page.getFileName().toString(), p);
        }
        BufferedImage first = ImageIO.read(pages.get(0).toFile());
        Pixels chart = Pixels.of(first, 0, 200, first.getWidth(), 420);
        assertTrue(chart.coloured() > 0.10, "the first page's heat map has no colour: " + chart);
        String text = text(pdf);
        assertTrue(text.contains(SampleReport.TITLE), text);
        assertTrue(text.contains("1,204"), text);
        assertTrue(text.contains("=HYPERLINK(\"x\")"), text);
    }

    /** The PDF's pages as PNG at 60 dpi, copied to {@link #KEPT} as {@code <name>-<n>.png}. */
    static List<Path> pages(Path file, String name) throws Exception {
        return Viewers.pages(dir, file, KEPT, name);
    }

    static String text(Path file) throws Exception {
        return Viewers.text(dir, file);
    }

    static void report(String what, Pixels p) {
        System.err.printf(Locale.ROOT, "[ReportRenderingIT] %s: %s%n", what, p);
    }
}
