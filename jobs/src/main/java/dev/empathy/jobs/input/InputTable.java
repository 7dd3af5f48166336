package dev.empathy.jobs.input;

import dev.empathy.lib.contract.ColumnSpec;
import dev.empathy.lib.contract.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.empathy.jobs.store.Location;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * One input table as found on disk, its schema checked against the contract before any row is
 * read.
 *
 * @param spec          the contract's table
 * @param path          the folder of part files or the single {@code .parquet} file
 * @param raw           the rows as written
 * @param columnInFile  contract column name to the file's own column name (matched case-insensitively);
 *                      optional columns the file lacks are absent from the map
 */
public record InputTable(TableSpec spec, Location path, Dataset<Row> raw, Map<String, String> columnInFile) {

    /**
     * Finds and opens {@code <root>/<table>/} or {@code <root>/<table>.parquet}; empty when the
     * table is not there.
     *
     * @throws InputContractException when a required column is missing or a column's type is
     *                                incompatible with its kind
     */
    public static Optional<InputTable> open(SparkSession spark, Location root, TableSpec spec) {
        Optional<Location> found = locate(root, spec.name());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Location path = found.get();
        if (isDirectory(path) && !hasDataFiles(path)) {
            throw new InputContractException(String.format(Locale.ROOT,
                    "table %s: the folder %s holds no Parquet files", spec.name(), path));
        }
        NanosecondTimestamps.allow(spark);
        Dataset<Row> raw = NanosecondTimestamps.convert(spark, path, spark.read().parquet(path.forSpark()));
        return Optional.of(new InputTable(spec, path, raw, matchColumns(spec, raw.schema().fields())));
    }

    static Map<String, String> matchColumns(TableSpec spec, StructField[] fields) {
        Map<String, StructField> byLowerName = new LinkedHashMap<>();
        for (StructField f : fields) {
            StructField clash = byLowerName.put(f.name().toLowerCase(Locale.ROOT), f);
            if (clash != null && spec.column(f.name().toLowerCase(Locale.ROOT)).isPresent()) {
                throw new InputContractException(String.format(Locale.ROOT,
                        "table %s, column %s: the file has two columns of that name (%s and %s); "
                                + "names are matched case-insensitively", spec.name(),
                        f.name().toLowerCase(Locale.ROOT), clash.name(), f.name()));
            }
        }
        Map<String, String> columnInFile = new LinkedHashMap<>();
        for (ColumnSpec column : spec.columns()) {
            StructField field = byLowerName.get(column.name());
            if (field == null) {
                if (column.required()) {
                    throw new InputContractException(String.format(Locale.ROOT,
                            "table %s, column %s: required column is missing (expected type %s); columns present: %s",
                            spec.name(), column.name(), column.kind().label(), present(fields)));
                }
                continue;
            }
            DataType type = field.dataType();
            if (!KindMatcher.accepts(column.kind(), type)) {
                throw new InputContractException(String.format(Locale.ROOT,
                        "table %s, column %s: expected type %s, but found %s; columns present: %s",
                        spec.name(), column.name(), KindMatcher.accepted(column.kind()), type.simpleString(),
                        present(fields)));
            }
            columnInFile.put(column.name(), field.name());
        }
        return columnInFile;
    }

    private static String present(StructField[] fields) {
        List<String> names = new ArrayList<>();
        for (StructField f : fields) {
            names.add(f.name() + " " + f.dataType().simpleString());
        }
        return String.join(", ", names);
    }

    private static Optional<Location> locate(Location root, String table) {
        try {
            if (!root.isDirectory()) {
                throw new InputContractException(String.format(Locale.ROOT,
                        "input %s: no such folder (expected one folder or .parquet file per table)", root));
            }
            List<Location> candidates = new ArrayList<>();
            for (Location p : root.list()) {
                String name = p.name();
                if ((name.equalsIgnoreCase(table) && p.isDirectory())
                        || (name.equalsIgnoreCase(table + ".parquet") && p.isFile())) {
                    candidates.add(p);
                }
            }
            if (candidates.size() > 1) {
                throw new InputContractException(String.format(Locale.ROOT,
                        "table %s: found both %s; keep one folder or one .parquet file per table", table,
                        Arrays.toString(candidates.stream().map(Location::name).toArray())));
            }
            return candidates.stream().findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static boolean isDirectory(Location path) {
        try {
            return path.isDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static boolean hasDataFiles(Location folder) {
        try {
            return folder.files().stream().anyMatch(f -> {
                String name = f.substring(f.lastIndexOf('/') + 1);
                return !name.startsWith(".") && !name.startsWith("_");
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
