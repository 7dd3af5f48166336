package dev.empathy.reports.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileTest {

    @Test
    void writesRfc4180WithFullPrecisionAndNoFormulas(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.csv");
        CsvFile.write(dev.empathy.reports.io.ReportFolder.local(dir), "t.csv", List.of("term", "estimate", "note"), List.of(
                List.of("C(channel)[T.chat]", 0.1 + 0.2, "=HYPERLINK(\"x\")"),
                Arrays.asList("-1.5", -1.5, null),
                Arrays.asList("@sum", Double.NaN, "a,b \"quoted\""),
                List.of("+cmd", 1e-300, "résumé")));
        String expected = "term,estimate,note\r\n"
                + "C(channel)[T.chat],0.30000000000000004,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
                + "-1.5,-1.5,\r\n"
                + "'@sum,,\"a,b \"\"quoted\"\"\"\r\n"
                + "'+cmd,1.0E-300,résumé\r\n";
        assertEquals(expected, Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Every finite double reads back to itself (bit for bit) from its cell: coefficients keep
     * all their digits ({@code FitNistIT} reads NIST fits back from {@code coefficients.csv}).
     */
    @Test
    void everyDoubleReadsBackExactly() {
        List<Double> values = new java.util.ArrayList<>(List.of(-0.0, Double.MIN_VALUE, Double.MIN_NORMAL,
                Double.MAX_VALUE, 1e23, 2e-3, 0.1 + 0.2, Math.nextUp(1.0), -4.8e-323, 9007199254740993.0));
        java.util.SplittableRandom random = new java.util.SplittableRandom(2026);
        while (values.size() < 200_000) {
            double bits = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(bits)) {
                values.add(bits);
            }
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(-20, 21)));
        }
        for (double v : values) {
            String cell = CsvFile.cell(v);
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(cell)), cell);
        }
    }

    @Test
    void guardsOnlyTextThatASpreadsheetWouldRun() {
        assertEquals("'=1+1", CsvFile.guard("=1+1"));
        assertEquals("-3", CsvFile.guard("-3"));
        assertEquals("'-", CsvFile.guard("-"));
        assertEquals("'-1d", CsvFile.guard("-1d"));
        assertEquals("'\tx", CsvFile.guard("\tx"));
        assertEquals("plain", CsvFile.guard("plain"));
    }
}
