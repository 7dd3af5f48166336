package dev.empathy.lib.text;

import java.util.Locale;

/**
 * A codebook that cannot be used, with the file and line of the first rule at fault, so that a
 * team editing its codebook can find the mistake: {@code codebook en.csv, line 12: code 'hostil'
 * is not one of hostile, neutral, cooperative (rule word,awful,hostil,1)}.
 */
public final class CodebookException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;

    CodebookException(String file, long line, String problem) {
        super(line > 0
                ? String.format(Locale.ROOT, "codebook %s, line %d: %s", file, line, problem)
                : String.format(Locale.ROOT, "codebook %s: %s", file, problem));
        this.file = file;
        this.line = line;
    }

    /** The file name (or resource) of the codebook. */
    public String file() {
        return file;
    }

    /** The line of the rule at fault, 1-based; 0 when the problem is the file as a whole. */
    public long line() {
        return line;
    }
}
