package dev.empathy.jobs.fit;

import dev.empathy.lib.regression.UnfittableException;

/**
 * The usable rows cannot fit the model: there are none, fewer than the model has coefficients
 * (least squares also needs one more, for the residual variance), or a single cluster for
 * cluster standard errors. The message says how many rows were read and used and, where rows
 * were dropped, how many per column; the runner exits 3 (input error) and writes nothing.
 *
 * <p>An {@link UnfittableException} with the row accounting of a Spark fit, so that a job fitting
 * many subsets catches that one type, notes a subset it cannot fit and goes on.
 */
public final class CannotFitException extends UnfittableException {
    private static final long serialVersionUID = 1L;

    public CannotFitException(String message) {
        super(message);
    }
}
