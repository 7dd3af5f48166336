package dev.empathy.lib.formula;

/** Read access to one row: a number ({@code NaN} when missing) or a text ({@code null} when missing). */
public interface RowValues {

    double number(String column);

    String text(String column);
}
