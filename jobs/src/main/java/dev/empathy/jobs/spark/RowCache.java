package dev.empathy.jobs.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.types.DataTypeUtils;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.columnar.CachedBatchSerializer;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction2;

/**
 * How Spark keeps a persisted Dataset in memory: Spark's rows as they are ({@link UnsafeRow}s),
 * packed one after another into batches of about {@link #BATCH_BYTES} and compressed with LZ4,
 * instead of Spark's default of compressed columns.
 *
 * <p>Spark's default builds a column per field and tries several compression schemes on every
 * value, then turns the columns back into rows on every read: 11% of the executors' task
 * samples in a profile of nightly at 1M interactions (docs/benchmarks.md). Here a write is a copy of
 * each row and one LZ4 pass per batch, a read one LZ4 pass and rows that point into the batch.
 * Set as {@code spark.sql.cache.serializer} by {@link SparkSessions}.
 *
 * <p>What it gives up: batches carry no per-column statistics, so a filter on a cached Dataset
 * reads every batch (Spark's default skips batches whose minimum and maximum rule the filter
 * out); and reads are rows, never columnar batches.
 */
public final class RowCache implements CachedBatchSerializer {

    private static final long serialVersionUID = 1L;

    /** Uncompressed bytes per batch, compressed as one LZ4 block; a batch ends with the row that reaches it. */
    static final int BATCH_BYTES = 1 << 20;

    /** Each row's length, then the row: 8 bytes keep every row where an UnsafeRow's longs are aligned. */
    private static final int HEADER = 8;

    /** One batch: {@code rows} rows, {@code length} bytes before compression, LZ4-compressed. */
    static final class Batch implements CachedBatch, Serializable {
        private static final long serialVersionUID = 1L;
        private final int rows;
        private final int length;
        private final byte[] compressed;

        Batch(int rows, int length, byte[] compressed) {
            this.rows = rows;
            this.length = length;
            this.compressed = compressed;
        }

        @Override
        public int numRows() {
            return rows;
        }

        @Override
        public long sizeInBytes() {
            return compressed.length;
        }
    }

    @Override
    public boolean supportsColumnarInput(Seq<Attribute> schema) {
        return false;
    }

    @Override
    public boolean supportsColumnarOutput(StructType schema) {
        return false;
    }

    @Override
    public RDD<CachedBatch> convertInternalRowToCachedBatch(RDD<InternalRow> input, Seq<Attribute> schema,
                                                            StorageLevel storageLevel, SQLConf conf) {
        StructType type = DataTypeUtils.fromAttributes(schema);
        return input.toJavaRDD().<CachedBatch>mapPartitions(rows -> new Packer(rows, type, BATCH_BYTES)).rdd();
    }

    @Override
    public RDD<InternalRow> convertCachedBatchToInternalRow(RDD<CachedBatch> input, Seq<Attribute> cacheAttributes,
                                                            Seq<Attribute> selectedAttributes, SQLConf conf) {
        List<Attribute> cached = CollectionConverters.asJava(cacheAttributes);
        List<Attribute> selected = CollectionConverters.asJava(selectedAttributes);
        int fields = cached.size();
        List<BoundReference> picked = new ArrayList<>(selected.size());
        boolean whole = selected.size() == fields;
        for (int i = 0; i < selected.size(); i++) {
            Attribute a = selected.get(i);
            int at = -1;
            for (int j = 0; j < fields; j++) {
                if (cached.get(j).exprId().equals(a.exprId())) {
                    at = j;
                    break;
                }
            }
            if (at < 0) {
                throw new IllegalStateException("column " + a.name() + " is not in the cached rows");
            }
            whole &= at == i;
            picked.add(new BoundReference(at, cached.get(at).dataType(), cached.get(at).nullable()));
        }
        List<BoundReference> projection = whole ? null : picked;
        return input.toJavaRDD().<InternalRow>mapPartitions(batches -> {
            Iterator<InternalRow> rows = new Unpacker(batches, fields);
            if (projection == null) {
                return rows;
            }
            UnsafeProjection project = UnsafeProjection.create(
                    CollectionConverters.asScala(new ArrayList<Expression>(projection)).toSeq());
            return Partitions.<InternalRow, InternalRow>map(rows, project::apply);
        }).rdd();
    }

    @Override
    public scala.Function2<Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
            buildFilter(Seq<Expression> predicates, Seq<Attribute> cachedAttributes) {
        return new AllBatches();
    }

    /** No statistics to skip batches by: every batch is read. */
    private static final class AllBatches
            extends AbstractFunction2<Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
            implements Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public scala.collection.Iterator<CachedBatch> apply(Object partition, scala.collection.Iterator<CachedBatch> batches) {
            return batches;
        }
    }

    @Override
    public RDD<CachedBatch> convertColumnarBatchToCachedBatch(RDD<ColumnarBatch> input, Seq<Attribute> schema,
                                                              StorageLevel storageLevel, SQLConf conf) {
        throw new UnsupportedOperationException("the row cache takes rows, not columnar batches");
    }

    @Override
    public RDD<ColumnarBatch> convertCachedBatchToColumnarBatch(RDD<CachedBatch> input, Seq<Attribute> cacheAttributes,
                                                                Seq<Attribute> selectedAttributes, SQLConf conf) {
        throw new UnsupportedOperationException("the row cache gives rows, not columnar batches");
    }

    /** A partition's rows packed into batches of about {@code limit} bytes before compression. */
    static final class Packer implements Iterator<CachedBatch> {
        private final Iterator<InternalRow> rows;
        private final UnsafeProjection toUnsafe;
        private final int limit;
        private final LZ4Compressor lz4 = LZ4Factory.fastestInstance().fastCompressor();
        private byte[] buffer;

        Packer(Iterator<InternalRow> rows, StructType type, int limit) {
            this.rows = rows;
            this.toUnsafe = UnsafeProjection.create(type);
            this.limit = limit;
            this.buffer = new byte[limit];
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public CachedBatch next() {
            if (!rows.hasNext()) {
                throw new NoSuchElementException();
            }
            int length = 0;
            int count = 0;
            while (length < limit && rows.hasNext()) {
                UnsafeRow row = toUnsafe.apply(rows.next());
                int size = row.getSizeInBytes();
                int needed = length + HEADER + size;
                if (needed > buffer.length) {
                    byte[] larger = new byte[Math.max(needed, 2 * buffer.length)];
                    System.arraycopy(buffer, 0, larger, 0, length);
                    buffer = larger;
                }
                Platform.putLong(buffer, Platform.BYTE_ARRAY_OFFSET + length, size);
                row.writeToMemory(buffer, Platform.BYTE_ARRAY_OFFSET + length + HEADER);
                length = needed;
                count++;
            }
            return new Batch(count, length, lz4.compress(buffer, 0, length));
        }
    }

    /** The rows of a partition's batches, one reused {@link UnsafeRow} pointing into each batch in turn. */
    static final class Unpacker implements Iterator<InternalRow> {
        private final Iterator<CachedBatch> batches;
        // The safe decompressor: the native one where the JVM loads it (the fast one is Java only).
        private final LZ4SafeDecompressor lz4 = LZ4Factory.fastestInstance().safeDecompressor();
        private final UnsafeRow row;
        private byte[] bytes = new byte[0];
        private int length;
        private int at;

        Unpacker(Iterator<CachedBatch> batches, int fields) {
            this.batches = batches;
            this.row = new UnsafeRow(fields);
        }

        @Override
        public boolean hasNext() {
            while (at >= length) {
                if (!batches.hasNext()) {
                    return false;
                }
                Batch b = (Batch) batches.next();
                // A fresh array per batch: rows handed out before stay valid.
                bytes = new byte[b.length];
                lz4.decompress(b.compressed, 0, b.compressed.length, bytes, 0, b.length);
                length = b.length;
                at = 0;
            }
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int size = (int) Platform.getLong(bytes, Platform.BYTE_ARRAY_OFFSET + at);
            row.pointTo(bytes, Platform.BYTE_ARRAY_OFFSET + at + HEADER, size);
            at += HEADER + size;
            return row;
        }
    }
}
