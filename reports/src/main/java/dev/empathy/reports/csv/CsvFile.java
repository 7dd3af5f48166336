package dev.empathy.reports.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import dev.empathy.reports.io.ReportFolder;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Report CSV files as the data contract fixes them: RFC 4180, UTF-8, a header row, {@code .} as
 * decimal point, doubles at full precision (the shortest text that reads back to the same
 * double), empty cells for missing or undefined figures, and no cell that a spreadsheet would
 * run as a formula: text starting with {@code = + - @}, a tab or a carriage return that is not a
 * number gets a leading {@code '}.
 */
public final class CsvFile {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();

    private CsvFile() {
    }

    /** Writes {@code name} into {@code folder}: the header row, then one record per row. */
    public static void write(ReportFolder folder, String name, List<String> header, List<List<Object>> rows) {
        try (Writer out = new OutputStreamWriter(folder.create(name), StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
            printer.printRecord(header.stream().map(CsvFile::cell).toList());
            for (List<Object> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException(name + ": a row has " + row.size()
                            + " cells for " + header.size() + " columns");
                }
                printer.printRecord(row.stream().map(CsvFile::cell).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.location(name), e);
        }
    }

    /** The text of one cell. */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "" : Double.toString(d);
        }
        if (value instanceof Float f) {
            return cell(f.doubleValue());
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return guard(value.toString());
    }

    static String guard(String text) {
        if (text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        boolean risky = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        return risky && !isNumber(text) ? "'" + text : text;
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return !text.endsWith("d") && !text.endsWith("f") && !text.endsWith("D") && !text.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
