package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.RowValues;
import java.util.Map;
import org.apache.spark.sql.Row;

/** A Spark {@link Row} seen by the formula encoder: numbers and booleans as doubles, text as text. */
final class SparkRowValues implements RowValues {

    private final Map<String, Integer> index;
    // The formula asks for the same String instances row after row: match by reference first.
    private final String[] names;
    private final int[] positions;
    private Row row;

    SparkRowValues(Map<String, Integer> index) {
        this.index = index;
        this.names = index.keySet().toArray(String[]::new);
        this.positions = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            positions[i] = index.get(names[i]);
        }
    }

    private int position(String column) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == column) {
                return positions[i];
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(column)) {
                names[i] = column;
                return positions[i];
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }

    SparkRowValues of(Row r) {
        this.row = r;
        return this;
    }

    @Override
    public double number(String column) {
        int i = position(column);
        if (row.isNullAt(i)) {
            return Double.NaN;
        }
        Object v = row.get(i);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return Double.NaN;
    }

    @Override
    public String text(String column) {
        int i = position(column);
        if (row.isNullAt(i)) {
            return null;
        }
        Object v = row.get(i);
        return v instanceof String s ? s : null;
    }

    Object raw(String column) {
        int i = position(column);
        return row.isNullAt(i) ? null : row.get(i);
    }
}
