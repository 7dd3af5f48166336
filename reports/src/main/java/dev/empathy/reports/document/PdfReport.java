package dev.empathy.reports.document;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.ListItem;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfDate;
import com.lowagie.text.pdf.PdfEncryption;
import com.lowagie.text.pdf.PdfGraphics2D;
import com.lowagie.text.pdf.PdfName;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfTemplate;
import com.lowagie.text.pdf.PdfWriter;
import com.lowagie.text.pdf.draw.LineSeparator;
import dev.empathy.reports.io.ReportFolder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Report} as an A4 PDF (OpenPDF): text wrapped to the page in Helvetica, tables with
 * their header repeated on every page and figures right-aligned, charts drawn as vectors through
 * OpenPDF's {@code Graphics2D} (so they stay sharp at any zoom, and their labels are text a
 * reader can search). A chart, with its caption, is never split across pages, nor a heading left
 * at the foot of one; the appendix starts on a page of its own; each page is numbered.
 *
 * <p>The same report gives the same bytes: the document's creation and modification dates are
 * the report's run date (midnight UTC), and its id (the trailer's {@code /ID}) is the MD5 of
 * its title, subtitle and run date, where OpenPDF would take the clock and free memory.
 *
 * <p>Text goes through the standard Helvetica fonts (not embedded, so that no random subset
 * prefix enters the file): characters outside Windows-1252 print as {@code ?}, the minus sign
 * {@code U+2212} as {@code -}.
 */
public final class PdfReport {

    private static final float MARGIN = 42;
    private static final Color INK = new Color(0x1a, 0x1a, 0x1a);
    private static final Color BLUE = new Color(0x1f, 0x4e, 0x79);
    private static final Color GREY = new Color(0x40, 0x40, 0x40);
    private static final Color RULE = new Color(0xbf, 0xbf, 0xbf);

    private static final Font TITLE = font(true, 20, BLUE);
    private static final Font SUBTITLE = font(false, 12, INK);
    private static final Font SMALL = font(false, 8.5f, GREY);
    private static final Font HEADING = font(true, 14, BLUE);
    private static final Font BODY = font(false, 10.5f, INK);
    private static final Font BOLD = font(true, 10.5f, INK);
    private static final Font APPENDIX = font(false, 9.5f, INK);
    private static final Font CELL = font(false, 8.5f, INK);
    private static final Font HEADER = font(true, 8.5f, INK);
    private static final Font CAPTION = font(true, 9, INK);

    /** The space a heading needs below it on its page, or it moves to the next. */
    private static final float KEEP_WITH_NEXT = 110;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private PdfReport() {
    }

    /**
     * Helvetica or Helvetica-Bold in Windows-1252, not embedded. Built from the base font itself:
     * a font named only by family lets OpenPDF set text beyond Latin-1 in an embedded Liberation
     * Sans subset, whose name starts with a random prefix, and simulate bold by stroking.
     */
    private static Font font(boolean bold, float size, Color colour) {
        try {
            BaseFont base = BaseFont.createFont(bold ? BaseFont.HELVETICA_BOLD : BaseFont.HELVETICA, BaseFont.CP1252,
                    BaseFont.NOT_EMBEDDED);
            return new Font(base, size, Font.NORMAL, colour);
        } catch (DocumentException | IOException e) {
            throw new IllegalStateException("OpenPDF has no Helvetica: " + e.getMessage(), e);
        }
    }

    /** Writes {@code report} as the file {@code name} of {@code folder}. */
    public static void write(ReportFolder folder, String name, Report report) {
        byte[] pdf = render(report);
        try (OutputStream out = folder.create(name)) {
            out.write(pdf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.location(name), e);
        }
    }

    /** The document's PDF bytes. */
    public static byte[] render(Report report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        Document document = new Document(PageSize.A4, MARGIN, MARGIN, 48, 56);
        try {
            PdfWriter writer = PdfWriter.getInstance(document, bytes);
            // Keep images where they are added: never let later text overtake a chart that moved to the next page.
            writer.setStrictImageSequence(true);
            writer.setPageEvent(new Footer(text(report.title())));
            document.addTitle(text(report.title()));
            document.addSubject(text(report.subtitle()));
            document.addCreator("empathy");
            document.open();
            fixDatesAndId(writer, report);
            new Layout(document, writer).report(report);
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot lay out the report '" + report.title() + "': " + e.getMessage(), e);
        } finally {
            if (document.isOpen()) {
                document.close();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * The run date, not the clock, as the document's dates; an id from what the document is
     * about, not from the clock. OpenPDF reads a {@code /FileId} in the information dictionary
     * as the trailer's {@code /ID} (and leaves it there too).
     */
    private static void fixDatesAndId(PdfWriter writer, Report report) {
        PdfDate date = new PdfDate("D:" + report.runDate().format(DateTimeFormatter.BASIC_ISO_DATE) + "000000Z");
        writer.getInfo().put(PdfName.CREATIONDATE, date);
        writer.getInfo().put(PdfName.MODDATE, date);
        byte[] id = documentId(report);
        writer.getInfo().put(PdfName.FILEID, PdfEncryption.createInfoId(id, id));
    }

    /** The MD5 of the title, subtitle and run date: the same report, the same id. */
    static byte[] documentId(Report report) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return md5.digest((report.title() + "\n" + report.subtitle() + "\n" + report.runDate())
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no MD5", e);
        }
    }

    /**
     * {@code s} as the standard fonts can print it: Windows-1252 characters as they are, the
     * minus sign as a hyphen, thin and narrow spaces as spaces, control characters as spaces,
     * anything else as {@code ?}.
     */
    static String text(String s) {
        CharsetEncoder cp1252 = java.nio.charset.Charset.forName("windows-1252").newEncoder();
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == '\n') {
                out.append('\n');
            } else if (cp == 0x2212 || cp == 0x2010 || cp == 0x2011) {
                out.append('-');
            } else if (Character.isISOControl(cp) || cp == 0x2009 || cp == 0x202f || cp == 0x2007) {
                out.append(' ');
            } else if (Character.isBmpCodePoint(cp) && cp1252.canEncode((char) cp)) {
                out.append((char) cp);
            } else {
                out.append('?');
            }
        });
        return out.toString();
    }

    /** Lays the report's blocks out on the document's pages. */
    private record Layout(Document document, PdfWriter writer) {

        void report(Report report) throws DocumentException {
            document.add(paragraph(report.title(), TITLE, 4));
            if (!report.subtitle().isEmpty()) {
                document.add(paragraph(report.subtitle(), SUBTITLE, 2));
            }
            document.add(paragraph("Run of " + report.runDate(), SMALL, 0));
            LineSeparator rule = new LineSeparator(1.5f, 100, BLUE, Element.ALIGN_CENTER, -4);
            Chunk line = new Chunk(rule);
            // The rule's placeholder character is beyond Latin-1: without a font of its own it would embed a font.
            line.setFont(SMALL);
            document.add(line);
            document.add(paragraph(" ", SMALL, 4));
            sections(report.sections(), false);
            if (!report.appendix().isEmpty()) {
                document.newPage();
                sections(report.appendix(), true);
            }
        }

        private void sections(List<Report.Section> sections, boolean appendix) throws DocumentException {
            for (Report.Section section : sections) {
                float needed = section.blocks().isEmpty() ? KEEP_WITH_NEXT : Math.max(KEEP_WITH_NEXT,
                        30 + height(section.blocks().get(0)));
                keep(needed);
                Paragraph heading = paragraph(section.heading(), HEADING, 6);
                heading.setSpacingBefore(10);
                document.add(heading);
                for (Block block : section.blocks()) {
                    block(block, appendix);
                }
            }
        }

        private void block(Block block, boolean appendix) throws DocumentException {
            Font body = appendix ? APPENDIX : BODY;
            if (block instanceof Block.Paragraph p) {
                document.add(paragraph(p.text(), body, 6));
            } else if (block instanceof Block.Note n) {
                document.add(paragraph(n.text(), SMALL, 6));
            } else if (block instanceof Block.Findings f) {
                com.lowagie.text.List list = new com.lowagie.text.List(com.lowagie.text.List.ORDERED);
                list.setIndentationLeft(4);
                list.setSymbolIndent(16);
                for (Block.Finding item : f.items()) {
                    ListItem li = new ListItem(body.getCalculatedLeading(1.35f));
                    li.add(new Chunk(text(item.headline()), BOLD));
                    li.add(new Chunk(" " + text(item.detail()), body));
                    li.setSpacingAfter(5);
                    list.add(li);
                }
                document.add(list);
                document.add(paragraph(" ", SMALL, 0));
            } else if (block instanceof Block.Chart c) {
                chart(c);
            } else if (block instanceof Block.Table t) {
                table(t);
            }
        }

        /** The chart as vectors in a template, fitted to the page's width, with its caption, on one page. */
        private void chart(Block.Chart c) throws DocumentException {
            PdfTemplate template = writer.getDirectContent().createTemplate(c.width(), c.height());
            Graphics2D g2 = new HelveticaGraphics(template, c.width(), c.height());
            try {
                c.chart().draw(g2, new Rectangle2D.Double(0, 0, c.width(), c.height()));
            } finally {
                g2.dispose();
            }
            Image image = Image.getInstance(template);
            float[] size = fitted(c);
            image.scaleAbsolute(size[0], size[1]);
            // The chart and its caption in one table kept together: they move to the next page as one.
            PdfPTable figure = new PdfPTable(1);
            figure.setWidthPercentage(100);
            figure.setKeepTogether(true);
            figure.setSpacingBefore(2);
            figure.setSpacingAfter(10);
            PdfPCell drawing = new PdfPCell(image, false);
            drawing.setBorder(Rectangle.NO_BORDER);
            drawing.setHorizontalAlignment(Element.ALIGN_CENTER);
            drawing.setPadding(0);
            figure.addCell(drawing);
            if (!c.caption().isEmpty()) {
                PdfPCell caption = new PdfPCell(new Phrase(SMALL.getCalculatedLeading(1.35f), text(c.caption()), SMALL));
                caption.setBorder(Rectangle.NO_BORDER);
                caption.setPadding(0);
                caption.setPaddingTop(4);
                figure.addCell(caption);
            }
            document.add(figure);
        }

        /** The chart's size on the page: the content width, less if that would be taller than a page allows. */
        private float[] fitted(Block.Chart c) {
            float width = document.right() - document.left();
            float most = document.top() - document.bottom() - 60;
            float scale = Math.min(width / c.width(), most / c.height());
            return new float[] {c.width() * scale, c.height() * scale};
        }

        private void table(Block.Table t) throws DocumentException {
            int n = t.columns().size();
            PdfPTable table = new PdfPTable(n);
            table.setWidthPercentage(100);
            table.setWidths(widths(t));
            // A table of header rows only is not drawn at all by OpenPDF: without rows the header is an ordinary row.
            table.setHeaderRows(t.rows().isEmpty() ? 0 : 1);
            table.setSpacingBefore(2);
            table.setSpacingAfter(10);
            for (Block.Column column : t.columns()) {
                table.addCell(cell(column.name(), HEADER, column.numeric(), 1f));
            }
            for (List<String> row : t.rows()) {
                for (int i = 0; i < n; i++) {
                    table.addCell(cell(row.get(i), CELL, t.columns().get(i).numeric(), 0.5f));
                }
            }
            // The caption, the header and a couple of rows stay together.
            keep(70);
            if (!t.caption().isEmpty()) {
                document.add(paragraph(t.caption(), CAPTION, 2));
            }
            document.add(table);
        }

        private static PdfPCell cell(String value, Font font, boolean numeric, float rule) {
            PdfPCell cell = new PdfPCell(new Phrase(text(value), font));
            cell.setHorizontalAlignment(numeric ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT);
            cell.setBorder(Rectangle.BOTTOM);
            cell.setBorderWidthBottom(rule);
            cell.setBorderColorBottom(rule >= 1 ? GREY : RULE);
            cell.setPaddingTop(3);
            cell.setPaddingBottom(4);
            cell.setPaddingLeft(4);
            cell.setPaddingRight(4);
            return cell;
        }

        /** Room for a cell's padding, in characters of the column widths below. */
        private static final int PADDING_CHARACTERS = 2;

        /**
         * Column widths from the longest text in each (4 to 32 characters), so that words wrap where
         * there is text, plus {@value #PADDING_CHARACTERS} for the cell's padding: a short word
         * ("below", "scored") in a narrow column otherwise breaks in the middle.
         */
        private static float[] widths(Block.Table t) {
            float[] widths = new float[t.columns().size()];
            for (int i = 0; i < widths.length; i++) {
                int longest = longestWord(t.columns().get(i).name());
                for (List<String> row : t.rows()) {
                    longest = Math.max(longest, row.get(i).length());
                }
                widths[i] = Math.max(4, Math.min(32, longest)) + PADDING_CHARACTERS;
            }
            return widths;
        }

        private static int longestWord(String s) {
            int longest = 0;
            for (String word : s.split("\\s+")) {
                longest = Math.max(longest, word.length());
            }
            return longest;
        }

        /** The height a block takes (a chart: its fitted height; anything else: a few lines). */
        private float height(Block block) {
            return block instanceof Block.Chart c ? fitted(c)[1] + 34 : 40;
        }

        /** Starts a new page unless {@code needed} points are left on this one. */
        private void keep(float needed) {
            float left = writer.getVerticalPosition(true) - document.bottom();
            if (left < needed) {
                document.newPage();
            }
        }

        private static Paragraph paragraph(String s, Font font, float after) {
            Paragraph p = new Paragraph(font.getCalculatedLeading(1.35f), text(s), font);
            p.setSpacingAfter(after);
            return p;
        }
    }

    /**
     * OpenPDF's {@code Graphics2D} with the chart's sans-serif fonts measured as Liberation Sans,
     * whose widths are Helvetica's: OpenPDF prints the text in Helvetica and stretches each string
     * (character spacing) to the width Java measured, which for Java's default sans-serif (DejaVu
     * Sans, a wider face) letter-spaces every label. Without Liberation Sans installed the fonts
     * are left as they are: still correct, only spaced.
     */
    static final class HelveticaGraphics extends PdfGraphics2D {
        static final String METRICS = "Liberation Sans";
        static final boolean AVAILABLE = java.util.Arrays.asList(java.awt.GraphicsEnvironment
                .getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)).contains(METRICS);

        HelveticaGraphics(PdfContentByte canvas, float width, float height) {
            super(canvas, width, height, null, false, false, 0);
        }

        private HelveticaGraphics(HelveticaGraphics parent) {
            super(parent);
        }

        @Override
        public void setFont(java.awt.Font font) {
            super.setFont(helveticaWidths(font));
        }

        @Override
        protected PdfGraphics2D createChild() {
            return new HelveticaGraphics(this);
        }

        static java.awt.Font helveticaWidths(java.awt.Font font) {
            if (font == null || !AVAILABLE) {
                return font;
            }
            String name = font.getName().toLowerCase(Locale.ROOT);
            if (!name.equals("sansserif") && !name.equals("dialog") && !name.equals("sanserif")) {
                return font;
            }
            java.awt.Font metric = new java.awt.Font(METRICS, font.getStyle(), 1).deriveFont(font.getSize2D());
            return font.isTransformed() ? metric.deriveFont(font.getTransform()) : metric;
        }
    }

    /** The title and page number at the foot of every page. */
    private static final class Footer extends PdfPageEventHelper {
        private final String title;

        Footer(String title) {
            this.title = title;
        }

        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte canvas = writer.getDirectContent();
            Phrase foot = new Phrase(String.format(Locale.ROOT, "%s - page %d", title, writer.getPageNumber()), SMALL);
            ColumnText.showTextAligned(canvas, Element.ALIGN_CENTER, foot, (document.left() + document.right()) / 2,
                    document.bottom() - 28, 0);
        }
    }
}
