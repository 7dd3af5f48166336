package dev.empathy.reports.document;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A report document for readers who do not read CSV files: a title, a subtitle (the period it
 * covers), the run date, sections of {@link Block}s and an appendix (the methods), rendered by
 * {@link HtmlReport} and {@link PdfReport}. Every text is plain text: the renderers escape it,
 * none of it is ever read as markup.
 *
 * <p>The run date is the only date either renderer writes: the same report gives the same bytes
 * on any day.
 *
 * @param title    the document's title, such as "Quarterly empathy audit"
 * @param subtitle the period and population, such as "2026Q3 against 2026Q2, 41,220 scored contacts"
 * @param runDate  the date of the run that made it (printed, and the PDF's dates and id)
 * @param sections the body, in reading order
 * @param appendix the methods appendix, starting on a page of its own (empty: none)
 */
public record Report(String title, String subtitle, LocalDate runDate, List<Section> sections, List<Section> appendix) {

    /** Checks that nothing is null and copies the lists. */
    public Report {
        Objects.requireNonNull(title, "report: title");
        Objects.requireNonNull(subtitle, "report: subtitle");
        Objects.requireNonNull(runDate, "report: runDate");
        sections = List.copyOf(sections);
        appendix = List.copyOf(appendix);
    }

    /**
     * One section: its heading and its blocks.
     *
     * @param heading the section's heading
     * @param blocks  what it holds, in reading order
     */
    public record Section(String heading, List<Block> blocks) {

        /** Checks that nothing is null and copies the list. */
        public Section {
            Objects.requireNonNull(heading, "section: heading");
            blocks = List.copyOf(blocks);
        }

        /** A section of the given blocks. */
        public static Section of(String heading, Block... blocks) {
            return new Section(heading, List.of(blocks));
        }
    }
}
