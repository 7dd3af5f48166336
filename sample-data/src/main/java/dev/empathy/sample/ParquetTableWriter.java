package dev.empathy.sample;

import dev.empathy.lib.contract.ColumnSpec;
import dev.empathy.lib.contract.TableSpec;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Streams rows of one contract table into one Parquet file, so that the generator holds no
 * table in memory. Values are given in contract column order: {@code String}, {@code Double},
 * {@code Integer}, {@code Long}, {@code Boolean} or {@code Instant} (written as UTC-adjusted
 * microseconds), or {@code null}.
 */
final class ParquetTableWriter implements Closeable {

    private static final int ROW_GROUP_BYTES = 32 * 1024 * 1024;

    private final ParquetWriter<Object[]> writer;
    private final int width;
    private final Comparator<Object[]> order;
    private final List<Object[]> held;
    private long rows;

    ParquetTableWriter(Path file, TableSpec table) {
        this(file, table, null);
    }

    /**
     * A writer that holds the rows and writes them sorted by {@code order} when closed (a stable
     * sort: rows equal by it keep the order they came in), or as they come when it is null.
     */
    ParquetTableWriter(Path file, TableSpec table, Comparator<Object[]> order) {
        this.order = order;
        this.held = order == null ? null : new ArrayList<>();
        MessageType schema = schemaOf(table);
        this.width = table.columns().size();
        try {
            this.writer = new Builder(new LocalOutputFile(file), schema)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withRowGroupSize((long) ROW_GROUP_BYTES)
                    .withConf(new Configuration(false))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    static MessageType schemaOf(TableSpec table) {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        for (ColumnSpec column : table.columns()) {
            builder.addField(typeOf(column));
        }
        return builder.named(table.name());
    }

    private static Type typeOf(ColumnSpec column) {
        return switch (column.kind()) {
            case STRING -> Types.optional(PrimitiveTypeName.BINARY)
                    .as(LogicalTypeAnnotation.stringType()).named(column.name());
            case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(column.name());
            case INT -> Types.optional(PrimitiveTypeName.INT32).named(column.name());
            case LONG -> Types.optional(PrimitiveTypeName.INT64).named(column.name());
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(column.name());
            case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                    .named(column.name());
        };
    }

    void write(Object... values) {
        if (values.length != width) {
            throw new IllegalArgumentException("expected " + width + " values, got " + values.length);
        }
        if (held != null) {
            held.add(values.clone());
            rows++;
            return;
        }
        try {
            writer.write(values);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            if (held != null) {
                held.sort(order);
                for (Object[] row : held) {
                    writer.write(row);
                }
                held.clear();
            }
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final MessageType schema;

        Builder(LocalOutputFile file, MessageType schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(schema);
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final MessageType schema;
        private final List<Type> fields;
        private RecordConsumer consumer;

        RowWriteSupport(MessageType schema) {
            this.schema = schema;
            this.fields = schema.getFields();
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Object[] row) {
            consumer.startMessage();
            for (int i = 0; i < row.length; i++) {
                Object value = row[i];
                if (value == null) {
                    continue;
                }
                String name = fields.get(i).getName();
                consumer.startField(name, i);
                if (value instanceof String s) {
                    consumer.addBinary(Binary.fromString(s));
                } else if (value instanceof Double d) {
                    consumer.addDouble(d);
                } else if (value instanceof Integer n) {
                    consumer.addInteger(n);
                } else if (value instanceof Long n) {
                    consumer.addLong(n);
                } else if (value instanceof Boolean b) {
                    consumer.addBoolean(b);
                } else if (value instanceof Instant t) {
                    consumer.addLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L),
                            t.getNano() / 1_000L));
                } else {
                    throw new IllegalArgumentException("column " + name + ": unsupported value type "
                            + value.getClass().getName());
                }
                consumer.endField(name, i);
            }
            consumer.endMessage();
        }
    }
}
