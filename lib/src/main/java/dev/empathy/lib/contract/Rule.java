package dev.empathy.lib.contract;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A per-row rule of the data contract, marked (R) there. A row that breaks a rule is not used;
 * it is written to the rejects with {@link #reason(String)} and counted in the manifest.
 */
public sealed interface Rule {

    /** The reject reason this rule gives when it is broken on {@code column}. */
    String reason(String column);

    /** A plain description of the rule, for messages and docs. */
    String describe();

    /** Required value: not null, and for text not empty after trimming. Reason {@code missing_<column>}. */
    record Present() implements Rule {
        @Override
        public String reason(String column) {
            return "missing_" + column;
        }

        @Override
        public String describe() {
            return "present (not null, text not blank)";
        }
    }

    /**
     * When present, a finite number in {@code [min, max]} (either bound may be infinite).
     * Reason {@code out_of_range_<column>}.
     */
    record Range(double min, double max) implements Rule {
        @Override
        public String reason(String column) {
            return "out_of_range_" + column;
        }

        @Override
        public String describe() {
            if (Double.isInfinite(max)) {
                return String.format(Locale.ROOT, ">= %s", format(min));
            }
            return String.format(Locale.ROOT, "%s..%s", format(min), format(max));
        }

        private static String format(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** When present, one of the listed values, compared lower-cased and trimmed. Reason {@code invalid_<column>}. */
    record OneOf(List<String> values) implements Rule {
        public OneOf {
            values = List.copyOf(values);
        }

        @Override
        public String reason(String column) {
            return "invalid_" + column;
        }

        @Override
        public String describe() {
            return "one of " + String.join(", ", values);
        }
    }

    /** When both are present, the value is strictly after the {@code other} column's value. */
    record After(String other) implements Rule {
        public After {
            Objects.requireNonNull(other);
        }

        @Override
        public String reason(String column) {
            return column + "_not_after_" + other;
        }

        @Override
        public String describe() {
            return "after " + other;
        }
    }

    static Rule present() {
        return new Present();
    }

    static Rule range(double min, double max) {
        return new Range(min, max);
    }

    static Rule atLeastZero() {
        return new Range(0, Double.POSITIVE_INFINITY);
    }

    static Rule oneOf(String... values) {
        return new OneOf(List.of(values));
    }
}
