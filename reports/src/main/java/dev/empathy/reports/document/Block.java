package dev.empathy.reports.document;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jfree.chart.JFreeChart;

/** One part of a {@link Report.Section}: text, findings, a chart, a table or a note. */
public sealed interface Block permits Block.Paragraph, Block.Findings, Block.Chart, Block.Table, Block.Note {

    /**
     * Plain text, wrapped to the page.
     *
     * @param text the paragraph's text
     */
    record Paragraph(String text) implements Block {

        /** Checks that the text is not null. */
        public Paragraph {
            Objects.requireNonNull(text, "paragraph: text");
        }
    }

    /**
     * One finding in words a non-statistician reads: a short headline and the sentence that
     * carries its figures and their uncertainty.
     *
     * @param headline what happened, such as "North × voice fell"
     * @param detail   the figures, such as "from 71.2 to 64.8 (the drop: 3.1 to 9.7 points, 95% interval)"
     */
    record Finding(String headline, String detail) {

        /** Checks that nothing is null. */
        public Finding {
            Objects.requireNonNull(headline, "finding: headline");
            Objects.requireNonNull(detail, "finding: detail");
        }
    }

    /**
     * A list of findings, most important first.
     *
     * @param items the findings, in order
     */
    record Findings(List<Finding> items) implements Block {

        /** Copies the list. */
        public Findings {
            items = List.copyOf(items);
        }
    }

    /**
     * A chart drawn at {@code width} × {@code height} (Java2D units: pixels of the PNG at scale
     * 1, points of the PDF before it is fitted to the page), with its caption below it.
     *
     * @param chart   the chart; the renderers only draw it
     * @param width   its drawing width, at least 100
     * @param height  its drawing height, at least 100
     * @param caption the text under it (empty: none); also the image's alternative text
     */
    record Chart(JFreeChart chart, int width, int height, String caption) implements Block {

        /** Checks the chart, its size and caption. */
        public Chart {
            Objects.requireNonNull(chart, "chart: chart");
            Objects.requireNonNull(caption, "chart: caption");
            if (width < 100 || height < 100) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "chart '%s': the size must be at least 100 x 100, got %d x %d", caption, width, height));
            }
        }
    }

    /**
     * A table column: its name and whether its cells are figures (right-aligned).
     *
     * @param name    the header text
     * @param numeric true for figures, which are right-aligned
     */
    record Column(String name, boolean numeric) {

        /** Checks that the name is not null. */
        public Column {
            Objects.requireNonNull(name, "column: name");
        }
    }

    /**
     * A table of text cells under a header row, with its caption above it. Figures arrive as the
     * text they are printed as (a writer formats them, with {@code Figures}).
     *
     * @param caption what the table shows (empty: none)
     * @param columns the columns, left to right
     * @param rows    the rows, top to bottom, each with one cell per column (empty text: no value)
     */
    record Table(String caption, List<Column> columns, List<List<String>> rows) implements Block {

        /** Checks that every row has one non-null cell per column, and copies the lists. */
        public Table {
            Objects.requireNonNull(caption, "table: caption");
            columns = List.copyOf(columns);
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("table '" + caption + "': it has no columns");
            }
            List<List<String>> copied = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                List<String> row = rows.get(i);
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "table '%s': row %d has %d cells for %d columns", caption, i + 1, row.size(), columns.size()));
                }
                for (String cell : row) {
                    Objects.requireNonNull(cell, () -> "table '" + caption + "': a null cell in row " + row);
                }
                copied.add(List.copyOf(row));
            }
            rows = List.copyOf(copied);
        }

        /**
         * A table whose numeric columns are found from their cells: a column is numeric when it
         * has a non-empty cell and every non-empty cell reads as a figure ({@code 12}, {@code -0.35},
         * {@code 1,204}, {@code 41.5%}).
         */
        public static Table of(String caption, List<String> header, List<List<String>> rows) {
            List<Column> columns = new ArrayList<>(header.size());
            for (int c = 0; c < header.size(); c++) {
                boolean any = false;
                boolean all = true;
                for (List<String> row : rows) {
                    if (c < row.size() && row.get(c) != null && !row.get(c).isEmpty()) {
                        any = true;
                        all &= FIGURE.matcher(row.get(c)).matches();
                    }
                }
                columns.add(new Column(header.get(c), any && all));
            }
            return new Table(caption, columns, rows);
        }

        /** A figure as the reports print one: a sign, digits with optional thousands commas, decimals, a percent sign. */
        private static final Pattern FIGURE = Pattern.compile("[-+\u2212]?[0-9]{1,3}(,?[0-9]{3})*(\\.[0-9]+)?%?");
    }

    /**
     * A note in smaller type: a caveat, a source, what was left out and why.
     *
     * @param text the note's text
     */
    record Note(String text) implements Block {

        /** Checks that the text is not null. */
        public Note {
            Objects.requireNonNull(text, "note: text");
        }
    }
}
