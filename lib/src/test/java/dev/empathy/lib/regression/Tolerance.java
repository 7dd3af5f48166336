package dev.empathy.lib.regression;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

/** The one tolerance helper of the tests: relative error against an independently computed value. */
final class Tolerance {

    private Tolerance() {
    }

    static void assertRelative(double expected, double actual, double relative, String what) {
        double error = expected == 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(error <= relative, String.format(Locale.ROOT, "%s: expected %.17g, got %.17g (relative error %.3g > %.1g)",
                what, expected, actual, error, relative));
    }
}
