package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.RowValues;
import java.io.Serializable;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's internal rows seen by the formula encoder, read in place without converting each row
 * to an external {@code Row} (which boxes every value): the hot passes of the models use it.
 */
final class InternalRowValues implements RowValues, Serializable {
    private static final long serialVersionUID = 1L;

    private static final int DOUBLE = 0;
    private static final int FLOAT = 1;
    private static final int LONG = 2;
    private static final int INT = 3;
    private static final int SHORT = 4;
    private static final int BYTE = 5;
    private static final int BOOLEAN = 6;
    private static final int DECIMAL = 7;
    private static final int STRING = 8;
    private static final int OTHER = 9;

    private final String[] names;
    private final int[] positions;
    private final int[] kinds;
    private final DataType[] types;
    private transient InternalRow row;

    InternalRowValues(Map<String, Integer> index, StructType schema) {
        names = index.keySet().toArray(String[]::new);
        positions = new int[names.length];
        kinds = new int[names.length];
        types = new DataType[names.length];
        for (int i = 0; i < names.length; i++) {
            positions[i] = index.get(names[i]);
            DataType t = schema.fields()[positions[i]].dataType();
            types[i] = t;
            kinds[i] = t instanceof DoubleType ? DOUBLE : t instanceof FloatType ? FLOAT : t instanceof LongType ? LONG
                    : t instanceof IntegerType ? INT : t instanceof ShortType ? SHORT : t instanceof ByteType ? BYTE
                    : t instanceof BooleanType ? BOOLEAN : t instanceof DecimalType ? DECIMAL
                    : t instanceof StringType ? STRING : OTHER;
        }
    }

    InternalRowValues of(InternalRow r) {
        this.row = r;
        return this;
    }

    private int slot(String column) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == column) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(column)) {
                names[i] = column;
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }

    /** The slot of a column, for {@link #numberAt} in hot loops. */
    int slotOf(String column) {
        return slot(column);
    }

    @Override
    public double number(String column) {
        return numberAt(slot(column));
    }

    /** The number in a slot ({@link #slotOf}), NaN when missing. */
    double numberAt(int s) {
        int i = positions[s];
        if (row.isNullAt(i)) {
            return Double.NaN;
        }
        return switch (kinds[s]) {
            case DOUBLE -> row.getDouble(i);
            case FLOAT -> row.getFloat(i);
            case LONG -> row.getLong(i);
            case INT -> row.getInt(i);
            case SHORT -> row.getShort(i);
            case BYTE -> row.getByte(i);
            case BOOLEAN -> row.getBoolean(i) ? 1.0 : 0.0;
            case DECIMAL -> {
                DecimalType d = (DecimalType) types[s];
                yield row.getDecimal(i, d.precision(), d.scale()).toDouble();
            }
            default -> Double.NaN;
        };
    }

    /** The current row. */
    InternalRow row() {
        return row;
    }

    /** The row position and type of a slot. */
    int position(int s) {
        return positions[s];
    }

    DataType type(int s) {
        return types[s];
    }

    @Override
    public String text(String column) {
        int s = slot(column);
        int i = positions[s];
        return kinds[s] == STRING && !row.isNullAt(i) ? row.getUTF8String(i).toString() : null;
    }

    /** The value as a key (clusters, absorbed levels): a String for text, else a boxed number. */
    Object raw(String column) {
        int s = slot(column);
        int i = positions[s];
        if (row.isNullAt(i)) {
            return null;
        }
        return switch (kinds[s]) {
            case STRING -> row.getUTF8String(i).toString();
            case LONG -> row.getLong(i);
            case INT -> row.getInt(i);
            case SHORT -> (int) row.getShort(i);
            case BYTE -> (int) row.getByte(i);
            case BOOLEAN -> row.getBoolean(i);
            case DOUBLE, FLOAT, DECIMAL -> number(column);
            // Timestamps, dates and the rest: the internal value (micros, days, ...) identifies the key.
            default -> row.get(i, types[s]);
        };
    }
}
