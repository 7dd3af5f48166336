package dev.empathy.lib.formula;

/**
 * A formula that cannot be parsed or does not fit the data, with a message that says how to fix
 * it. Data that leave nothing to fit (no rows, fewer rows than coefficients) throw the subclass
 * {@link dev.empathy.lib.regression.UnfittableException}.
 */
public class FormulaException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FormulaException(String message) {
        super(message);
    }
}
