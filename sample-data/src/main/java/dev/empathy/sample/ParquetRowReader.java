package dev.empathy.sample;

import dev.empathy.lib.contract.ColumnSpec;
import dev.empathy.lib.contract.TableSpec;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Reads back, row by row in file order, a file {@link ParquetTableWriter} wrote: each row as the
 * values the writer took (strings, doubles, integers, longs, booleans, {@link Instant}s, nulls).
 */
final class ParquetRowReader implements Closeable {

    private final ParquetFileReader reader;
    private final MessageType schema;
    private final List<ColumnSpec> columns;
    private RecordReader<Group> records;
    private long left;

    ParquetRowReader(Path file, TableSpec table) {
        try {
            this.reader = ParquetFileReader.open(new LocalInputFile(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
        this.schema = reader.getFooter().getFileMetaData().getSchema();
        this.columns = table.columns();
    }

    /** The file's row count, from its footer. */
    long rows() {
        return reader.getRecordCount();
    }

    /** The next row, or null after the last. */
    Object[] next() {
        try {
            while (left == 0) {
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    return null;
                }
                records = new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
                left = pages.getRowCount();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        left--;
        Group g = records.read();
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            if (g.getFieldRepetitionCount(i) == 0) {
                continue;
            }
            row[i] = switch (columns.get(i).kind()) {
                case STRING -> g.getString(i, 0);
                case DOUBLE -> g.getDouble(i, 0);
                case INT -> g.getInteger(i, 0);
                case LONG -> g.getLong(i, 0);
                case BOOLEAN -> g.getBoolean(i, 0);
                case TIMESTAMP -> {
                    long micros = g.getLong(i, 0);
                    yield Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
                }
            };
        }
        return row;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
