package dev.empathy.lib.regression;

import dev.empathy.lib.formula.FormulaException;

/**
 * A model that cannot be fitted at all from the data given: no rows, or fewer rows than the
 * formula has coefficients (R's {@code lm} stops with "0 (non-NA) cases"). The message says why
 * in plain words, naming the counts. Every other difficulty (no variation, separation, an
 * estimate running to infinity, a single cluster, non-convergence) gives a fit with
 * {@link FitNote notes} instead.
 *
 * <p>It extends {@link FormulaException} (and so {@link IllegalArgumentException}) so that callers
 * written before it, which caught those for "no rows left", still catch it; new callers catch
 * this type first, which formula errors and bugs never throw.
 */
public class UnfittableException extends FormulaException {
    private static final long serialVersionUID = 1L;

    /** Why, in plain words, for example {@code "logit: 2 rows cannot estimate 3 coefficients"}. */
    public UnfittableException(String reason) {
        super(reason);
    }

    /** The message for no rows at all. */
    public static UnfittableException noRows(String model) {
        return new UnfittableException(model + ": no rows to fit (0 rows with every value the formula uses)");
    }

    /** The message for fewer rows than coefficients. */
    public static UnfittableException tooFewRows(String model, long rows, int coefficients) {
        return new UnfittableException(String.format(java.util.Locale.ROOT,
                "%s: %d rows cannot estimate %d coefficients (a fit needs at least as many rows as coefficients)",
                model, rows, coefficients));
    }
}
