package dev.empathy.lib.formula;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Columns in memory for the plain-Java face of the models: numbers ({@code NaN} = missing) or
 * text ({@code null} = missing), all of one length. Booleans are numbers 0 and 1.
 */
public final class Table {

    private final Map<String, double[]> numbers;
    private final Map<String, String[]> texts;
    private final int rows;

    private Table(Map<String, double[]> numbers, Map<String, String[]> texts, int rows) {
        this.numbers = numbers;
        this.texts = texts;
        this.rows = rows;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int rows() {
        return rows;
    }

    public ColumnKinds kinds() {
        Map<String, Boolean> kinds = new LinkedHashMap<>();
        numbers.keySet().forEach(n -> kinds.put(n, true));
        texts.keySet().forEach(n -> kinds.put(n, false));
        return new ColumnKinds(kinds);
    }

    public double[] numbers(String column) {
        return numbers.get(column);
    }

    public String[] texts(String column) {
        return texts.get(column);
    }

    /** A view of row {@code i}. */
    public RowValues row(int i) {
        return new RowValues() {
            @Override
            public double number(String column) {
                double[] c = numbers.get(column);
                return c == null ? Double.NaN : c[i];
            }

            @Override
            public String text(String column) {
                String[] c = texts.get(column);
                return c == null ? null : c[i];
            }
        };
    }

    public static final class Builder {
        private final Map<String, double[]> numbers = new LinkedHashMap<>();
        private final Map<String, String[]> texts = new LinkedHashMap<>();
        private int rows = -1;

        public Builder numbers(String name, double[] values) {
            check(name, values.length);
            numbers.put(name, values);
            return this;
        }

        public Builder texts(String name, String[] values) {
            check(name, values.length);
            texts.put(name, values);
            return this;
        }

        private void check(String name, int length) {
            if (numbers.containsKey(name) || texts.containsKey(name)) {
                throw new IllegalArgumentException("column " + name + " given twice");
            }
            if (rows >= 0 && length != rows) {
                throw new IllegalArgumentException("column " + name + " has " + length + " rows, others " + rows);
            }
            rows = length;
        }

        public Table build() {
            return new Table(numbers, texts, Math.max(rows, 0));
        }
    }
}
