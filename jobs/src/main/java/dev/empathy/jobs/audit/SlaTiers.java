package dev.empathy.jobs.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first-response targets for public posts by audience reach, written as the option
 * {@code sla-tiers}: {@code REACH:MINUTES,...,MINUTES}. {@code 1000:60,100000:30,15} (the default)
 * means a post seen by fewer than 1,000 people must be answered within 60 minutes, by fewer than
 * 100,000 within 30, and any larger one within 15. Bounds must rise; the last tier has no bound.
 *
 * @param tiers the tiers in order of reach
 */
public record SlaTiers(List<Tier> tiers) {

    /** The option's default. */
    public static final String DEFAULT = "1000:60,100000:30,15";

    /**
     * One tier: posts with reach from {@code from} (inclusive) below {@code below} (exclusive;
     * {@link Long#MAX_VALUE} for the last) must be answered within {@code minutes}.
     */
    public record Tier(long from, long below, double minutes) {

        /**
         * {@code reach <1000}, {@code reach 1000 to 99999}, {@code reach >=100000} (not
         * {@code 1000-99999}: a run of digits joined by a hyphen reads as a phone number to the
         * privacy scan).
         */
        public String label() {
            if (from == 0 && below == Long.MAX_VALUE) {
                return "any reach";
            }
            if (from == 0) {
                return String.format(Locale.ROOT, "reach <%d", below);
            }
            if (below == Long.MAX_VALUE) {
                return String.format(Locale.ROOT, "reach >=%d", from);
            }
            return String.format(Locale.ROOT, "reach %d to %d", from, below - 1);
        }
    }

    public SlaTiers {
        tiers = List.copyOf(tiers);
    }

    /** Reads {@code REACH:MINUTES,...,MINUTES}; a broken value names the option and the rule. */
    public static SlaTiers parse(String option, String text) {
        String[] parts = (text == null ? "" : text).split(",");
        List<Tier> tiers = new ArrayList<>();
        long from = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            boolean last = i == parts.length - 1;
            String[] bound = part.split(":", -1);
            if (last != (bound.length == 1) || bound.length > 2 || part.isEmpty()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--%s: '%s' is not tiers; write "
                        + "REACH:MINUTES,...,MINUTES, every tier but the last with the reach it stays below, e.g. %s",
                        option, text, DEFAULT));
            }
            double minutes = minutes(option, bound[bound.length - 1].strip());
            long below = Long.MAX_VALUE;
            if (!last) {
                try {
                    below = Long.parseLong(bound[0].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "--%s: reach '%s' is not a whole number", option, bound[0].strip()));
                }
                if (below <= from) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "--%s: reach bounds must rise above %d, got %d", option, from, below));
                }
            }
            tiers.add(new Tier(from, below, minutes));
            from = below;
        }
        return new SlaTiers(tiers);
    }

    private static double minutes(String option, String text) {
        double m;
        try {
            m = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--%s: minutes '%s' is not a number",
                    option, text));
        }
        if (!(m > 0) || Double.isInfinite(m)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--%s: minutes must be above 0, got %s", option, text));
        }
        return m;
    }

    /** The option's text again: {@code 1000:60,100000:30,15}. */
    public String text() {
        StringBuilder s = new StringBuilder();
        for (Tier t : tiers) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            if (t.below() != Long.MAX_VALUE) {
                s.append(t.below()).append(':');
            }
            s.append(reports(t.minutes()));
        }
        return s.toString();
    }

    private static String reports(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
