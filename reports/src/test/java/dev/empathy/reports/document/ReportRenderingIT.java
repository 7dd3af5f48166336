package dev.empathy.reports.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.lowagie.text.pdf.PdfReader;
import dev.empathy.reports.io.ReportFolder;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
 * printed, not run. The images are kept in {@code target/report-pages/} to be looked at. A
 * missing program fails the test with what to install ({@code .ci/run} installs it).
 */
class ReportRenderingIT {

    static final String INSTALL = "apt-get install -y --no-install-recommends chromium poppler-utils fonts-liberation2 "
            + "(.ci/run installs them when missing)";

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
        Result r = exec(List.of(tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chromium-screen"), "--hide-scrollbars",
                "--screenshot=" + shot.toAbsolutePath(), "--window-size=1240,1754", html.toUri().toString()), 180);
        assertEquals(0, r.code(), r.output());
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
        Result r = exec(List.of(tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chromium-print"), "--no-pdf-header-footer",
                "--print-to-pdf=" + printed, html.toUri().toString()), 180);
        assertEquals(0, r.code(), r.output());
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
        Path out = dir.resolve(name + "-pages");
        Files.createDirectories(out);
        Result r = exec(List.of(tool("pdftoppm"), "-png", "-r", "60", file.toString(), out.resolve("page").toString()),
                120);
        assertEquals(0, r.code(), r.output());
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
                Path kept = KEPT.resolve(name + "-" + p.getFileName().toString().replace("page-", ""));
                Files.copy(p, kept);
                pages.add(kept);
            }
        }
        return pages;
    }

    static String text(Path file) throws Exception {
        Path out = dir.resolve(file.getFileName() + ".txt");
        Result r = exec(List.of(tool("pdftotext"), "-enc", "UTF-8", file.toString(), out.toString()), 60);
        assertEquals(0, r.code(), r.output());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    static void report(String what, Pixels p) {
        System.err.printf(Locale.ROOT, "[ReportRenderingIT] %s: %s%n", what, p);
    }

    /**
     * What a region of an image holds: the share of pixels that are not white (ink), the share
     * that are coloured (channels apart by more than 60: the charts' blues, reds and oranges, not
     * black text or grey rules), and the variance of their brightness.
     */
    record Pixels(double inked, double coloured, double variance) {

        static Pixels of(BufferedImage image, int x0, int y0, int x1, int y1) {
            long n = 0;
            long ink = 0;
            long colour = 0;
            double sum = 0;
            double squares = 0;
            for (int y = y0; y < Math.min(y1, image.getHeight()); y++) {
                for (int x = x0; x < Math.min(x1, image.getWidth()); x++) {
                    int rgb = image.getRGB(x, y);
                    int r = (rgb >> 16) & 0xff;
                    int g = (rgb >> 8) & 0xff;
                    int b = rgb & 0xff;
                    double light = (r + g + b) / 3.0;
                    n++;
                    sum += light;
                    squares += light * light;
                    if (light < 245) {
                        ink++;
                    }
                    if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                        colour++;
                    }
                }
            }
            double mean = sum / n;
            return new Pixels(ink / (double) n, colour / (double) n, squares / n - mean * mean);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f%% inked, %.1f%% coloured, brightness variance %.0f", 100 * inked,
                    100 * coloured, variance);
        }
    }

    /** The path of a program on the PATH, or a failure saying what to install. */
    static String tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail(name + " is not on the PATH; install Debian's packages: " + INSTALL);
    }

    record Result(int code, String output) {
    }

    static Result exec(List<String> command, int seconds) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                in.lines().forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append(e);
            }
        });
        reader.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " took more than " + seconds + " s");
        }
        reader.join();
        return new Result(p.exitValue(), out.toString());
    }
}
