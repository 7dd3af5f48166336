package dev.empathy.lib.text;

/**
 * A kind of personal data that {@link Redactor} replaces, with the placeholder that stands in
 * for it. The placeholders hold no digit and no {@code @}, so a later pass of the redactor never
 * matches the placeholder of an earlier one.
 */
public enum PiiKind {
    EMAIL("[EMAIL]"),
    PHONE("[PHONE]"),
    CARD("[CARD]"),
    IBAN("[IBAN]");

    private final String placeholder;

    PiiKind(String placeholder) {
        this.placeholder = placeholder;
    }

    /** The text written in place of a value of this kind, such as {@code [EMAIL]}. */
    public String placeholder() {
        return placeholder;
    }
}
