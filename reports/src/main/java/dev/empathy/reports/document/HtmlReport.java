package dev.empathy.reports.document;

import dev.empathy.reports.io.ReportFolder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.commons.text.StringEscapeUtils;

/**
 * A {@link Report} as one self-contained HTML file: the charts embedded as PNG data URIs (drawn
 * at twice their size, so that they stay sharp on paper), the style inline, no script, no font,
 * style sheet or image fetched from anywhere. Every text is HTML-escaped, so that a region named
 * {@code <b>} prints as those three characters. The style prints on A4: figures, tables (unless
 * longer than a page, when they break between rows under a repeated header) and findings are
 * not split across pages, a heading stays with what follows it, and the appendix
 * starts on a page of its own.
 *
 * <p>The same report gives the same bytes: nothing in the file comes from the clock or the
 * machine but the chart's pixels, which come from the fonts installed (as with every chart PNG).
 */
public final class HtmlReport {

    /** Charts are drawn at this multiple of their size: 2,000 pixels across a page about 180 mm wide. */
    static final int SCALE = 2;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private HtmlReport() {
    }

    /** Writes {@code report} as the UTF-8 file {@code name} of {@code folder}. */
    public static void write(ReportFolder folder, String name, Report report) {
        try (OutputStream out = folder.create(name)) {
            out.write(render(report).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.location(name), e);
        }
    }

    /** The document's HTML. */
    public static String render(Report report) {
        StringBuilder html = new StringBuilder(1 << 16);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(report.title())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<header>\n<h1>").append(escape(report.title())).append("</h1>\n");
        if (!report.subtitle().isEmpty()) {
            html.append("<p class=\"subtitle\">").append(escape(report.subtitle())).append("</p>\n");
        }
        html.append("<p class=\"run\">Run of ").append(report.runDate()).append("</p>\n</header>\n");
        sections(html, report.sections());
        if (!report.appendix().isEmpty()) {
            html.append("<div class=\"appendix\">\n");
            sections(html, report.appendix());
            html.append("</div>\n");
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /**
     * {@code text} safe anywhere in HTML text or a quoted attribute: {@code & < > "} and every
     * character beyond ASCII that HTML 4 names become entities (commons-text's
     * {@code escapeHtml4}), and {@code '} becomes {@code &#39;}.
     */
    public static String escape(String text) {
        return StringEscapeUtils.escapeHtml4(text).replace("'", "&#39;");
    }

    private static void sections(StringBuilder html, List<Report.Section> sections) {
        for (Report.Section section : sections) {
            html.append("<section>\n<h2>").append(escape(section.heading())).append("</h2>\n");
            for (Block block : section.blocks()) {
                block(html, block);
            }
            html.append("</section>\n");
        }
    }

    private static void block(StringBuilder html, Block block) {
        // Java 17: instanceof in turn (a switch over the sealed types is a preview feature here).
        if (block instanceof Block.Paragraph p) {
            html.append("<p>").append(escape(p.text())).append("</p>\n");
        } else if (block instanceof Block.Note n) {
            html.append("<p class=\"note\">").append(escape(n.text())).append("</p>\n");
        } else if (block instanceof Block.Findings f) {
            html.append("<ol class=\"findings\">\n");
            for (Block.Finding item : f.items()) {
                html.append("<li><strong>").append(escape(item.headline())).append("</strong> ")
                        .append(escape(item.detail())).append("</li>\n");
            }
            html.append("</ol>\n");
        } else if (block instanceof Block.Chart c) {
            html.append("<figure>\n<img src=\"data:image/png;base64,").append(png(c))
                    .append("\" width=\"").append(c.width()).append("\" height=\"").append(c.height())
                    .append("\" alt=\"").append(escape(c.caption().isEmpty() ? titleOf(c) : c.caption()))
                    .append("\">\n");
            if (!c.caption().isEmpty()) {
                html.append("<figcaption>").append(escape(c.caption())).append("</figcaption>\n");
            }
            html.append("</figure>\n");
        } else if (block instanceof Block.Table t) {
            table(html, t);
        }
    }

    private static void table(StringBuilder html, Block.Table t) {
        html.append("<table>\n");
        if (!t.caption().isEmpty()) {
            html.append("<caption>").append(escape(t.caption())).append("</caption>\n");
        }
        html.append("<thead>\n<tr>");
        for (Block.Column column : t.columns()) {
            html.append(column.numeric() ? "<th class=\"num\">" : "<th>").append(escape(column.name())).append("</th>");
        }
        html.append("</tr>\n</thead>\n<tbody>\n");
        for (List<String> row : t.rows()) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                html.append(t.columns().get(i).numeric() ? "<td class=\"num\">" : "<td>").append(escape(row.get(i)))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static String titleOf(Block.Chart c) {
        return c.chart().getTitle() == null ? "chart" : c.chart().getTitle().getText();
    }

    /** The chart as base64 PNG, drawn at {@link #SCALE} times its size. */
    static String png(Block.Chart c) {
        BufferedImage image = c.chart().createBufferedImage(SCALE * c.width(), SCALE * c.height(), c.width(), c.height(),
                null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.format(Locale.ROOT, "cannot draw the chart '%s'", titleOf(c)), e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Plain CSS: local fonts only, A4 pages, nothing split that should stay whole. */
    static final String STYLE = """
            @page { size: A4; margin: 16mm 15mm 18mm 15mm; }
            html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
                   line-height: 1.4; color: #1a1a1a; background: #ffffff; }
            body { max-width: 180mm; margin: 0 auto; padding: 8mm 4mm; }
            @media print { body { max-width: none; padding: 0; } }
            header { border-bottom: 2px solid #1f4e79; margin-bottom: 5mm; }
            h1 { font-size: 20pt; line-height: 1.2; color: #1f4e79; margin: 0 0 2mm; }
            .subtitle { font-size: 12pt; margin: 0 0 1mm; }
            .run { font-size: 9pt; color: #555555; margin: 0 0 3mm; }
            h2 { font-size: 14pt; color: #1f4e79; margin: 7mm 0 2mm; break-after: avoid; page-break-after: avoid; }
            p { margin: 0 0 2.5mm; }
            figure { margin: 3mm 0 5mm; break-inside: avoid; page-break-inside: avoid; }
            figure img { display: block; width: 100%; height: auto; }
            figcaption { font-size: 9pt; color: #404040; margin-top: 1.5mm; }
            table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 2mm 0 5mm;
                    break-inside: avoid; page-break-inside: avoid; }
            caption { caption-side: top; text-align: left; font-weight: bold; margin-bottom: 1.5mm; }
            thead { display: table-header-group; }
            tr { break-inside: avoid; page-break-inside: avoid; }
            th, td { padding: 1.2mm 2mm; border-bottom: 0.5pt solid #bfbfbf; text-align: left; vertical-align: top;
                     overflow-wrap: anywhere; }
            th { border-bottom: 1pt solid #404040; }
            .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            ol.findings { padding-left: 6mm; }
            ol.findings li { margin-bottom: 2mm; break-inside: avoid; page-break-inside: avoid; }
            .note { font-size: 9pt; color: #404040; }
            .appendix { break-before: page; page-break-before: always; font-size: 9.5pt; }
            """;
}
