package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.RowValues;
import java.util.Map;
import org.apache.spark.sql.Row;

/** A Spark {@link Row} seen by the formula encoder: numbers and booleans as doubles, text as text. */
final class SparkRowValues implements RowValues {

    private final Map<String, Integer> index;
    private Row row;

    SparkRowValues(Map<String, Integer> index) {
        this.index = index;
    }

    SparkRowValues of(Row r) {
        this.row = r;
        return this;
    }

    @Override
    public double number(String column) {
        int i = index.get(column);
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
        int i = index.get(column);
        if (row.isNullAt(i)) {
            return null;
        }
        Object v = row.get(i);
        return v instanceof String s ? s : null;
    }

    Object raw(String column) {
        int i = index.get(column);
        return row.isNullAt(i) ? null : row.get(i);
    }
}
