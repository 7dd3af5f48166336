package dev.empathy.lib.contract;

/**
 * The kind of value a contract column holds. Input files are matched by kind, not by exact
 * width: any integer, floating or decimal type reads as {@link #DOUBLE}, any integer type whose
 * values fit reads as {@link #INT} or {@link #LONG}, and both UTC-adjusted and local timestamps
 * read as {@link #TIMESTAMP} (local ones taken as UTC).
 */
public enum Kind {
    STRING("string"),
    DOUBLE("double"),
    INT("int"),
    LONG("long"),
    BOOLEAN("boolean"),
    TIMESTAMP("timestamp");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    /** The name the contract uses for this kind. */
    public String label() {
        return label;
    }
}
