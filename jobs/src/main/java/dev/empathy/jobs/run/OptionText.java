package dev.empathy.jobs.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Option values read from text, with messages that name the option and the rule. */
public final class OptionText {

    private OptionText() {
    }

    /** A comma-separated list of words; empty text is an empty list. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    /** A comma-separated list of whole numbers. */
    public static List<Integer> integers(String option, String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : words(text)) {
            try {
                out.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--%s: '%s' is not a whole number", option, part));
            }
        }
        return out;
    }

    /** One whole number. */
    public static int integer(String option, String text) {
        List<Integer> values = integers(option, text);
        if (values.size() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--%s: give one whole number, got '%s'",
                    option, text));
        }
        return values.get(0);
    }

    /** A seed: one whole number of up to 64 bits. */
    public static long seed(String option, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--%s: '%s' is not a whole number", option,
                    text));
        }
    }

    /** A comma-separated list of numbers. */
    public static List<Double> numbers(String option, String text) {
        List<Double> out = new ArrayList<>();
        for (String part : words(text)) {
            out.add(number(option, part));
        }
        return out;
    }

    /** One number. */
    public static double number(String option, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--%s: '%s' is not a number", option,
                    text));
        }
    }
}
