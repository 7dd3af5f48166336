package dev.empathy.jobs.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A calendar quarter in UTC, written {@code 2026Q3}: from its first day at 00:00 (inclusive) to
 * the first day of the next quarter (exclusive).
 *
 * @param year    the year, 1 to 9999
 * @param quarter 1 to 4
 */
public record Quarter(int year, int quarter) implements Comparable<Quarter> {

    private static final Pattern TEXT = Pattern.compile("(\\d{4})\\s*-?\\s*[Qq]([1-4])");

    public Quarter {
        if (year < 1 || year > 9999 || quarter < 1 || quarter > 4) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "no quarter %d of year %d", quarter, year));
        }
    }

    /** {@code 2026Q3} (also {@code 2026q3}, {@code 2026-Q3}). */
    public static Quarter parse(String option, String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--%s: '%s' is not a quarter; write it as 2026Q3 (year, Q, 1 to 4)", option, text));
        }
        int year = Integer.parseInt(m.group(1));
        if (year < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--%s: year %d is out of range", option, year));
        }
        return new Quarter(year, Integer.parseInt(m.group(2)));
    }

    /** The quarter holding an instant (UTC). */
    public static Quarter of(Instant t) {
        LocalDate d = t.atZone(ZoneOffset.UTC).toLocalDate();
        return new Quarter(d.getYear(), (d.getMonthValue() - 1) / 3 + 1);
    }

    /**
     * The last complete quarter of data whose latest {@code started_at} is {@code latest}: the
     * latest quarter whose last day the data reach (the latest contact falls on or after that day,
     * UTC). Data ending on 31 December make the fourth quarter complete; data ending on 30
     * December, the third. Empty when that quarter would be before year 1.
     */
    public static Optional<Quarter> lastComplete(Instant latest) {
        Quarter holding = of(latest);
        LocalDate day = latest.atZone(ZoneOffset.UTC).toLocalDate();
        if (!day.isBefore(holding.lastDay())) {
            return Optional.of(holding);
        }
        return holding.year() == 1 && holding.quarter() == 1 ? Optional.empty() : Optional.of(holding.previous());
    }

    public LocalDate firstDay() {
        return LocalDate.of(year, (quarter - 1) * 3 + 1, 1);
    }

    public LocalDate lastDay() {
        return firstDay().plusMonths(3).minusDays(1);
    }

    /** The first instant of the quarter. */
    public Instant start() {
        return firstDay().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the quarter. */
    public Instant end() {
        return firstDay().plusMonths(3).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Quarter previous() {
        return quarter == 1 ? new Quarter(year - 1, 4) : new Quarter(year, quarter - 1);
    }

    @Override
    public int compareTo(Quarter o) {
        return year != o.year ? Integer.compare(year, o.year) : Integer.compare(quarter, o.quarter);
    }

    /** {@code 2026Q3}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%04dQ%d", year, quarter);
    }
}
