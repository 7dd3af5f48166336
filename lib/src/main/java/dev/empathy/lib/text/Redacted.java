package dev.empathy.lib.text;

import java.io.Serializable;

/** A text after {@link Redactor#redact}, and how many values of each kind it lost. */
public record Redacted(String text, PiiCounts counts) implements Serializable {

    /** Whether anything was replaced. */
    public boolean changed() {
        return counts.total() > 0;
    }
}
