package dev.empathy.jobs.input;

/**
 * The input broke a rule that stops the run: a missing required table or column, or a column of
 * an incompatible type. The message names the table, the column and the rule; the runner exits
 * with code 3.
 */
public final class InputContractException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputContractException(String message) {
        super(message);
    }
}
