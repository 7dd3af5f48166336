package dev.empathy.jobs.run;

import java.io.PrintStream;
import java.util.Locale;

/** One line per stage on stderr: what was done, with rows and elapsed time. */
public interface Progress {

    void line(String text);

    default void stage(String stage, String text) {
        line(String.format(Locale.ROOT, "[%s] %s", stage, text));
    }

    default void stage(String stage, String text, long startedNanos) {
        line(String.format(Locale.ROOT, "[%s] %s (%.1f s)", stage, text, (System.nanoTime() - startedNanos) / 1e9));
    }

    static Progress to(PrintStream err) {
        return text -> {
            err.println(text);
            err.flush();
        };
    }

    static Progress to(java.io.PrintWriter err) {
        return text -> {
            err.println(text);
            err.flush();
        };
    }

    static Progress silent() {
        return text -> { };
    }
}
