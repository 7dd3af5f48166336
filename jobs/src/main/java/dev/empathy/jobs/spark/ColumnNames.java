package dev.empathy.jobs.spark;

/** Column names as Spark's column references take them. */
public final class ColumnNames {

    private ColumnNames() {
    }

    /**
     * A column name quoted for {@code col(...)} ({@code `a``b`}), whatever characters it holds:
     * dots, spaces and backticks are then part of the name, not nesting or syntax.
     */
    public static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
