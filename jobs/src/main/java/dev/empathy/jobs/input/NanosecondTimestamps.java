package dev.empathy.jobs.input;

import static dev.empathy.jobs.spark.ColumnNames.quote;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_micros;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.empathy.jobs.store.Location;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Timestamps in nanoseconds ({@code INT64 TIMESTAMP(NANOS)}, what DuckDB's {@code TIMESTAMP_NS} and
 * pandas write), which Spark refuses to read ("Illegal Parquet type"). The session reads them as
 * longs ({@code spark.sql.legacy.parquet.nanosAsLong}); the columns that the first data file
 * annotates as nanosecond timestamps are then turned into timestamps, truncated to the
 * microsecond (Spark's precision).
 */
final class NanosecondTimestamps {

    static final String NANOS_AS_LONG = "spark.sql.legacy.parquet.nanosAsLong";

    private NanosecondTimestamps() {
    }

    /** Sets the session to read nanosecond timestamps as longs instead of refusing the file. */
    static void allow(SparkSession spark) {
        spark.conf().set(NANOS_AS_LONG, "true");
    }

    /** {@code raw} with every long column annotated as a nanosecond timestamp in {@code path} made a timestamp. */
    static Dataset<Row> convert(SparkSession spark, Location path, Dataset<Row> raw) {
        Set<String> nanos = null;
        Dataset<Row> out = raw;
        for (StructField f : raw.schema().fields()) {
            if (!f.dataType().equals(DataTypes.LongType)) {
                continue;
            }
            if (nanos == null) {
                nanos = annotated(spark, path);
            }
            if (nanos.contains(f.name().toLowerCase(Locale.ROOT))) {
                out = out.withColumn(f.name(), timestamp_micros(floor(col(quote(f.name())).divide(lit(1000L)))));
            }
        }
        return out;
    }

    /** Lower-case names of the top-level columns annotated TIMESTAMP(NANOS) in the first data file. */
    private static Set<String> annotated(SparkSession spark, Location path) {
        Set<String> names = new HashSet<>();
        Optional<Location> first = firstFile(path);
        if (first.isEmpty()) {
            return names;
        }
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                first.get().hadoopPath(), spark.sparkContext().hadoopConfiguration()))) {
            for (Type t : reader.getFooter().getFileMetaData().getSchema().getFields()) {
                if (t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
                        && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.NANOS) {
                    names.add(t.getName().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Parquet footer of " + first.get(), e);
        }
        return names;
    }

    private static Optional<Location> firstFile(Location path) {
        try {
            if (!path.isDirectory()) {
                return Optional.of(path);
            }
            return path.files().stream().filter(f -> {
                String name = f.substring(f.lastIndexOf('/') + 1);
                return name.endsWith(".parquet") && !name.startsWith(".");
            }).findFirst().map(path::resolve);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
