package dev.empathy.reports.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Real viewers for the report documents' tests: headless Chromium (a screenshot, a print to PDF)
 * and poppler ({@code pdftoppm} pages as PNG, {@code pdftotext}), OpenPDF's text extraction
 * ({@link #pdfText}), and what a page image holds ({@link Pixels}). Shared through the reports'
 * test jar with the jobs' and the cli's tests ({@code AuditIT}, {@code AuditForeignDataIT},
 * {@code PrivacyScanIT}). A missing program fails the test with what to install.
 */
public final class Viewers {

    /** What to install when a program is missing. */
    public static final String INSTALL = "apt-get install -y --no-install-recommends chromium poppler-utils "
            + "fonts-liberation2 (.ci/run installs them when missing)";

    private Viewers() {
    }

    /** A program's exit code and its output (stdout and stderr together). */
    public record Result(int code, String output) {
    }

    /** Runs {@code command} in {@code work}, failing the test after {@code seconds}. */
    public static Result exec(Path work, List<String> command, int seconds) throws Exception {
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
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

    /** The path of a program on the PATH, or a failure saying what to install. */
    public static String tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail(name + " is not on the PATH; install Debian's packages: " + INSTALL);
    }

    /** Chromium's screenshot of {@code html}'s first screen, {@code width} x {@code height}, into {@code shot}. */
    public static void screenshot(Path work, Path html, Path shot, int width, int height) throws Exception {
        Result r = exec(work, List.of(tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + work.resolve("chromium-screen"), "--hide-scrollbars",
                "--screenshot=" + shot.toAbsolutePath(), "--window-size=" + width + "," + height,
                html.toUri().toString()), 180);
        assertEquals(0, r.code(), r.output());
    }

    /** Chromium's print of {@code html} to {@code pdf} (A4, as the page's CSS asks), without header or footer. */
    public static void print(Path work, Path html, Path pdf) throws Exception {
        Result r = exec(work, List.of(tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + work.resolve("chromium-print"), "--no-pdf-header-footer",
                "--print-to-pdf=" + pdf.toAbsolutePath(), html.toUri().toString()), 180);
        assertEquals(0, r.code(), r.output());
    }

    /**
     * The pages of {@code pdf} as PNG at 60 dpi (A4: 496 x 702), made in {@code work} and copied
     * to {@code kept} as {@code <name>-<n>.png}, in page order.
     */
    public static List<Path> pages(Path work, Path pdf, Path kept, String name) throws Exception {
        Path out = work.resolve(name + "-pages");
        Files.createDirectories(out);
        Files.createDirectories(kept);
        Result r = exec(work, List.of(tool("pdftoppm"), "-png", "-r", "60", pdf.toString(),
                out.resolve("page").toString()), 120);
        assertEquals(0, r.code(), r.output());
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
                Path copy = kept.resolve(name + "-" + p.getFileName().toString().replace("page-", ""));
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                pages.add(copy);
            }
        }
        return pages;
    }

    /** The text of {@code pdf} as {@code pdftotext} reads it (UTF-8). */
    public static String text(Path work, Path pdf) throws Exception {
        Path out = work.resolve(pdf.getFileName() + ".txt");
        Result r = exec(work, List.of(tool("pdftotext"), "-enc", "UTF-8", pdf.toString(), out.toString()), 60);
        assertEquals(0, r.code(), r.output());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /**
     * A report's HTML without its embedded PNG charts, whose base64 may spell anything ("NaN",
     * "cust-"): the markup and text to scan for what must not be there.
     */
    public static String withoutImages(String html) {
        return html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "");
    }

    /**
     * What a reader of a report's HTML sees: the text without images, style sheets and tags,
     * entities decoded, one line per text node (blank lines dropped).
     */
    public static String htmlText(String html) {
        return StringEscapeUtils.unescapeHtml4(withoutImages(html)
                .replaceAll("(?s)<style.*?</style>", "\n").replaceAll("<[^>]*>", "\n"))
                .replaceAll("[ \t]*\n[\s]*", "\n");
    }

    /**
     * The text of {@code pdf} as OpenPDF's extractor reads it, page by page, with every run of
     * white space (line ends included) made one space: what a reader of the pages sees, for
     * tests that look for a sentence or for what must not be there.
     */
    public static String pdfText(Path pdf) throws IOException {
        PdfReader reader = new PdfReader(Files.readAllBytes(pdf));
        try {
            StringBuilder text = new StringBuilder();
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(extractor.getTextFromPage(page)).append('\n');
            }
            return text.toString().replaceAll("\\s+", " ");
        } finally {
            reader.close();
        }
    }

    /**
     * What a region of an image holds: the share of pixels that are not white (ink), the share
     * that are coloured (channels apart by more than 60: the charts' blues, reds and oranges, not
     * black text or grey rules), and the variance of their brightness.
     *
     * @param inked    the share of pixels darker than 245 of 255
     * @param coloured the share of coloured pixels
     * @param variance the variance of the pixels' brightness
     */
    public record Pixels(double inked, double coloured, double variance) {

        /** The pixels of {@code image} from ({@code x0}, {@code y0}) to ({@code x1}, {@code y1}), exclusive. */
        public static Pixels of(BufferedImage image, int x0, int y0, int x1, int y1) {
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

        /** Whether the page is blank: almost no ink, or ink of one flat shade. */
        public boolean blank() {
            return !(inked > 0.002 && variance > 10);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f%% inked, %.1f%% coloured, brightness variance %.0f", 100 * inked,
                    100 * coloured, variance);
        }
    }
}
