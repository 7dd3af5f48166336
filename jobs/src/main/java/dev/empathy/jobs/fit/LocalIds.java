package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.ModelSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Numbers the distinct values of one column met in a partition, from 0, reading Spark's
 * internal rows without making a Java object per row: text is looked up by its bytes (copied
 * only when new), integers in a primitive table. Each id keeps the value's level name (as the
 * formula language writes it) and a key object that equals the same value met elsewhere.
 */
final class LocalIds {

    private enum Kind { TEXT, INTEGRAL, REAL, BOOLEAN, OTHER }

    private final int position;
    private final DataType type;
    private final Kind kind;
    private UTF8String[] textKeys = new UTF8String[64];
    private int[] textIds = new int[64];
    private final Map<Object, Integer> others = new HashMap<>();
    private long[] longKeys = new long[64];
    private int[] longIds = new int[64];
    private boolean[] longUsed = new boolean[64];
    private final List<String> names = new ArrayList<>();
    private final List<Object> keys = new ArrayList<>();

    LocalIds(int position, DataType type) {
        this.position = position;
        this.type = type;
        this.kind = type instanceof StringType ? Kind.TEXT
                : type instanceof LongType || type instanceof IntegerType || type instanceof ShortType
                        || type instanceof ByteType ? Kind.INTEGRAL
                : type instanceof DoubleType || type instanceof FloatType || type instanceof DecimalType ? Kind.REAL
                : type instanceof BooleanType ? Kind.BOOLEAN : Kind.OTHER;
    }

    /** The id of the row's value, or -1 when it is missing. */
    int id(InternalRow row) {
        if (row.isNullAt(position)) {
            return -1;
        }
        return switch (kind) {
            case TEXT -> row instanceof UnsafeRow u ? unsafeTextId(u) : textId(row.getUTF8String(position));
            case INTEGRAL -> integral(row);
            case REAL -> {
                double v = real(row);
                if (Double.isNaN(v)) {
                    yield -1;
                }
                // One key for 0.0 and -0.0.
                yield longId(Double.doubleToLongBits(v == 0.0 ? 0.0 : v), v, false);
            }
            case BOOLEAN -> longId(row.getBoolean(position) ? 1 : 0, row.getBoolean(position) ? 1 : 0, true);
            case OTHER -> {
                Object v = row.get(position, type);
                Integer id = others.get(v);
                if (id == null) {
                    id = add(otherName(v), v);
                    others.put(v, id);
                }
                yield id;
            }
        };
    }

    /**
     * Text read in place from an {@link UnsafeRow} (its variable-length field: offset and size in
     * the fixed slot, bytes after), so no string object is made per row.
     */
    private int unsafeTextId(UnsafeRow row) {
        long offsetAndSize = row.getLong(position);
        int n = (int) offsetAndSize;
        if (n > 7) {
            return textId(row.getUTF8String(position));
        }
        Object base = row.getBaseObject();
        long offset = row.getBaseOffset() + (offsetAndSize >>> 32);
        long key = n;
        for (int i = 0; i < n; i++) {
            key = (key << 8) | (Platform.getByte(base, offset + i) & 0xFF);
        }
        int found = findLong(key | Long.MIN_VALUE);
        return found >= 0 ? found : textId(row.getUTF8String(position));
    }

    /**
     * Text by its bytes. Up to 7 bytes the bytes and the length make a primitive key (no
     * comparison of strings at all); longer text is hashed on its length, first 16 bytes and
     * last byte, and compared.
     */
    private int textId(UTF8String s) {
        int n = s.numBytes();
        if (n <= 7) {
            Object base = s.getBaseObject();
            long offset = s.getBaseOffset();
            long key = n;
            for (int i = 0; i < n; i++) {
                key = (key << 8) | (Platform.getByte(base, offset + i) & 0xFF);
            }
            // The length sits above the bytes, so "a" and "\0a" differ; the top bit marks text keys.
            return shortTextId(key | Long.MIN_VALUE, s);
        }
        int mask = textKeys.length - 1;
        int h = textHash(s) & mask;
        while (textKeys[h] != null) {
            if (textKeys[h].equals(s)) {
                return textIds[h];
            }
            h = (h + 1) & mask;
        }
        String text = s.toString();
        int id = add(text, text);
        textKeys[h] = s.clone();
        textIds[h] = id;
        if (names.size() * 2 > textKeys.length) {
            UTF8String[] oldKeys = textKeys;
            int[] oldIds = textIds;
            textKeys = new UTF8String[oldKeys.length * 2];
            textIds = new int[oldKeys.length * 2];
            int m = textKeys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != null) {
                    int at = textHash(oldKeys[i]) & m;
                    while (textKeys[at] != null) {
                        at = (at + 1) & m;
                    }
                    textKeys[at] = oldKeys[i];
                    textIds[at] = oldIds[i];
                }
            }
        }
        return id;
    }

    private static int textHash(UTF8String s) {
        int n = s.numBytes();
        Object base = s.getBaseObject();
        long offset = s.getBaseOffset();
        int h = n;
        for (int i = 0, end = Math.min(n, 16); i < end; i++) {
            h = 31 * h + Platform.getByte(base, offset + i);
        }
        if (n > 16) {
            h = 31 * h + Platform.getByte(base, offset + n - 1);
        }
        h *= 0x9E3779B1;
        return h ^ (h >>> 16);
    }

    private int integral(InternalRow row) {
        long v = type instanceof LongType ? row.getLong(position) : type instanceof IntegerType ? row.getInt(position)
                : type instanceof ShortType ? row.getShort(position) : row.getByte(position);
        return longId(v, v, false);
    }

    private double real(InternalRow row) {
        if (type instanceof DoubleType) {
            return row.getDouble(position);
        }
        if (type instanceof FloatType) {
            return row.getFloat(position);
        }
        DecimalType d = (DecimalType) type;
        return row.getDecimal(position, d.precision(), d.scale()).toDouble();
    }

    private int shortTextId(long key, UTF8String s) {
        int found = findLong(key);
        if (found >= 0) {
            return found;
        }
        String text = s.toString();
        return insertLong(-found - 1, key, add(text, text));
    }

    /** The id of a primitive key, or {@code -(slot + 1)} with the free slot where it would go. */
    private int findLong(long key) {
        int mask = longKeys.length - 1;
        int h = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (longUsed[h]) {
            if (longKeys[h] == key) {
                return longIds[h];
            }
            h = (h + 1) & mask;
        }
        return -h - 1;
    }

    /** Looks up a primitive key; {@code value} names a new one. */
    private int longId(long key, double value, boolean bool) {
        int found = findLong(key);
        if (found >= 0) {
            return found;
        }
        int h = -found - 1;
        Object keyObject = bool ? Boolean.valueOf(value != 0) : kind == Kind.INTEGRAL ? (Object) key : (Object) value;
        return insertLong(h, key, add(bool ? (value != 0 ? "1" : "0") : ModelSpec.levelOf(value), keyObject));
    }

    private int insertLong(int h, long key, int id) {
        longUsed[h] = true;
        longKeys[h] = key;
        longIds[h] = id;
        if (names.size() * 2 > longKeys.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        long[] oldKeys = longKeys;
        int[] oldIds = longIds;
        boolean[] oldUsed = longUsed;
        longKeys = new long[oldKeys.length * 2];
        longIds = new int[oldKeys.length * 2];
        longUsed = new boolean[oldKeys.length * 2];
        int mask = longKeys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                int h = Long.hashCode(oldKeys[i] * 0x9E3779B97F4A7C15L) & mask;
                while (longUsed[h]) {
                    h = (h + 1) & mask;
                }
                longUsed[h] = true;
                longKeys[h] = oldKeys[i];
                longIds[h] = oldIds[i];
            }
        }
    }

    private int add(String name, Object key) {
        names.add(name);
        keys.add(key);
        return names.size() - 1;
    }

    private String otherName(Object v) {
        if (type instanceof DateType && v instanceof Integer days) {
            return LocalDate.ofEpochDay(days).toString();
        }
        if (type instanceof TimestampType && v instanceof Long micros) {
            return Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L)).toString();
        }
        return String.valueOf(v);
    }

    /** Level names by id. */
    String[] names() {
        return names.toArray(String[]::new);
    }

    /** Key objects by id (String, Long, Double, Boolean or Spark's internal value). */
    Object[] keys() {
        return keys.toArray();
    }

    int size() {
        return names.size();
    }

    @Override
    public String toString() {
        return Arrays.toString(names());
    }
}
