package dev.empathy.jobs.fit;

/**
 * The usable rows cannot fit the model: there are none, fewer than the model has coefficients
 * (least squares also needs one more, for the residual variance), or a single cluster for
 * cluster standard errors. The message says how many rows were read and used and, where rows
 * were dropped, how many per column; the runner exits 3 (input error) and writes nothing.
 *
 * <p>An {@link IllegalArgumentException}, as the model's own refusals were before it, so that a
 * job fitting many subsets can keep noting a subset it cannot fit and go on.
 */
public final class CannotFitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CannotFitException(String message) {
        super(message);
    }
}
