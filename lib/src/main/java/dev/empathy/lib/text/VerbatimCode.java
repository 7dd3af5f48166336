package dev.empathy.lib.text;

import java.util.Locale;

/**
 * The tone of a customer's turn, as the {@code verbatims} job reports it. {@link #UNCLEAR} is not
 * a tone but the absence of evidence: a turn that says too little ("ok", "Yes.", a number).
 */
public enum VerbatimCode {
    HOSTILE, NEUTRAL, COOPERATIVE, UNCLEAR;

    /** The lower-case name used in codebooks, labels and output tables: {@code hostile}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The opposite tone, what a negation makes of a cue: hostile and cooperative swap. */
    public VerbatimCode negated() {
        return switch (this) {
            case HOSTILE -> COOPERATIVE;
            case COOPERATIVE -> HOSTILE;
            default -> this;
        };
    }

    /** The code of a label, in any case; empty when there is none. */
    public static java.util.Optional<VerbatimCode> ofLabel(String label) {
        for (VerbatimCode c : values()) {
            if (c.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
