package dev.empathy.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/** Reads a table folder back with parquet-mr's example reader, independently of the writer. */
final class ParquetRows {

    private ParquetRows() {
    }

    static List<Map<String, Object>> read(Path folder) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(folder)) {
            parts = files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        for (Path part : parts) {
            rows.addAll(readFile(part));
        }
        return rows;
    }

    /** The rows of one Parquet file, in file order. */
    static List<Map<String, Object>> readFile(Path part) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(part))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(toMap(records.read(), schema));
                }
            }
        }
        return rows;
    }

    private static Map<String, Object> toMap(Group g, MessageType schema) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            Type field = schema.getType(i);
            String name = field.getName();
            if (g.getFieldRepetitionCount(i) == 0) {
                row.put(name, null);
                continue;
            }
            PrimitiveType p = field.asPrimitiveType();
            Object value = switch (p.getPrimitiveTypeName()) {
                case BINARY -> g.getString(i, 0);
                case DOUBLE -> g.getDouble(i, 0);
                case INT32 -> g.getInteger(i, 0);
                case BOOLEAN -> g.getBoolean(i, 0);
                case INT64 -> p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
                        ? Instant.ofEpochSecond(0, g.getLong(i, 0) * 1000) : (Object) g.getLong(i, 0);
                default -> throw new IllegalStateException("unexpected type " + p);
            };
            row.put(name, value);
        }
        return row;
    }
}
