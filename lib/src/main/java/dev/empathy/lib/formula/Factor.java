package dev.empathy.lib.formula;

import java.io.Serializable;

/** One variable of a formula term: a column as a number, its logarithm, or a categorical. */
public sealed interface Factor extends Serializable {

    String column();

    /** The name in output files: {@code x}, {@code log(x)}, {@code C(x)}. */
    String label();

    record Numeric(String column) implements Factor {
        @Override
        public String label() {
            return column;
        }
    }

    record Log(String column) implements Factor {
        @Override
        public String label() {
            return "log(" + column + ")";
        }
    }

    /** Treatment coding: one indicator per level but the reference, the first level in sorted order. */
    record Categorical(String column) implements Factor {
        @Override
        public String label() {
            return "C(" + column + ")";
        }
    }
}
