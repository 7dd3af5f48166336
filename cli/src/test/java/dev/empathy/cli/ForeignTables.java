package dev.empathy.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** What the foreign-data tests share: DuckDB tables out to Parquet, one number by SQL, a run's CSV read back. */
final class ForeignTables {

    private ForeignTables() {
    }

    /** Writes each DuckDB table as {@code <input>/<table>.parquet}, rows in a fixed order. */
    static void copy(Statement s, Path input, String... tables) throws SQLException {
        for (String table : tables) {
            s.execute("COPY (SELECT * FROM " + table + " ORDER BY ALL) TO '"
                    + input.resolve(table + ".parquet").toString().replace("'", "''") + "' (FORMAT PARQUET)");
        }
    }

    /** The first column of the first row of a query. */
    static double number(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getDouble(1);
        }
    }

    /** A CSV file of a run, by its header. */
    static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }
}
