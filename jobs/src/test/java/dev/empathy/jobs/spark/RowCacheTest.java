package dev.empathy.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/** The row cache's packing, without Spark: rows into batches of a byte limit and back, in order. */
class RowCacheTest {

    static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType)
            .add("text", DataTypes.StringType).add("x", DataTypes.DoubleType);

    /** Row {@code i}: its text {@code i % 40} letters long (none when i is a multiple of 7), x = i / 4. */
    private static List<UnsafeRow> rows(int n) {
        UnsafeProjection toUnsafe = UnsafeProjection.create(SCHEMA);
        List<UnsafeRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UTF8String text = i % 7 == 0 ? null : UTF8String.fromString("é".repeat(i % 40));
            out.add(toUnsafe.apply(new GenericInternalRow(new Object[] {(long) i, text, i / 4.0})).copy());
        }
        return out;
    }

    private static List<CachedBatch> pack(List<? extends InternalRow> rows, int limit) {
        List<CachedBatch> batches = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Iterator<InternalRow> input = (Iterator<InternalRow>) rows.iterator();
        RowCache.Packer packer = new RowCache.Packer(input, SCHEMA, limit);
        while (packer.hasNext()) {
            batches.add(packer.next());
        }
        return batches;
    }

    private static List<UnsafeRow> unpack(List<CachedBatch> batches) {
        List<UnsafeRow> out = new ArrayList<>();
        RowCache.Unpacker unpacker = new RowCache.Unpacker(batches.iterator(), SCHEMA.size());
        while (unpacker.hasNext()) {
            out.add(((UnsafeRow) unpacker.next()).copy());
        }
        return out;
    }

    @Test
    void rowsComeBackAsTheyWentInAcrossManyBatches() {
        List<UnsafeRow> rows = rows(500);
        // 256 bytes per batch: a row takes 40 bytes with its header, plus its text.
        List<CachedBatch> batches = pack(rows, 256);
        assertTrue(batches.size() > 50, "batches: " + batches.size());
        int counted = 0;
        for (CachedBatch b : batches) {
            assertTrue(b.numRows() > 0);
            assertTrue(b.sizeInBytes() > 0);
            counted += b.numRows();
        }
        assertEquals(500, counted);
        List<UnsafeRow> back = unpack(batches);
        assertEquals(rows, back);
        assertEquals(499L, back.get(499).getLong(0));
        assertEquals("é".repeat(499 % 40), back.get(499).getUTF8String(1).toString());
        assertTrue(back.get(497).isNullAt(1), "row 497 (7 x 71) has no text");
        assertEquals(124.75, back.get(499).getDouble(2));
    }

    @Test
    void oneBatchHoldsAllWhenTheyFitAndARowLargerThanTheLimitStillFits() {
        List<UnsafeRow> rows = rows(20);
        assertEquals(1, pack(rows, 1 << 20).size());

        UnsafeProjection toUnsafe = UnsafeProjection.create(SCHEMA);
        List<UnsafeRow> mixed = new ArrayList<>(rows(3));
        mixed.add(1, toUnsafe.apply(new GenericInternalRow(new Object[] {
                99L, UTF8String.fromString("x".repeat(5_000)), 1.5})).copy());
        // Limit 100: the first row (40 bytes with its header) is under it, so the big row joins
        // it; the other two (48 bytes each) make the second batch.
        List<CachedBatch> batches = pack(mixed, 100);
        assertEquals(List.of(2, 2), batches.stream().map(CachedBatch::numRows).toList());
        assertEquals(mixed, unpack(batches));
        assertEquals(5_000, unpack(batches).get(1).getUTF8String(1).numBytes());
    }

    @Test
    void rowsThatAreNotUnsafeYetAreConvertedAndNoRowsGiveNoBatch() {
        List<InternalRow> generic = List.of(
                new GenericInternalRow(new Object[] {1L, UTF8String.fromString("a"), 0.5}),
                new GenericInternalRow(new Object[] {2L, null, null}));
        List<UnsafeRow> back = unpack(pack(generic, 1 << 20));
        assertEquals(2, back.size());
        assertEquals("a", back.get(0).getUTF8String(1).toString());
        assertTrue(back.get(1).isNullAt(1));
        assertTrue(back.get(1).isNullAt(2));

        assertTrue(pack(List.of(), 1 << 20).isEmpty());
        RowCache.Unpacker none = new RowCache.Unpacker(List.<CachedBatch>of().iterator(), 3);
        assertFalse(none.hasNext());
        assertThrows(NoSuchElementException.class, none::next);
    }
}
