package dev.empathy.jobs.training;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * ISO weeks as the consecutive index of {@link TrainingCells#weekIndex}: week 0 is the week of
 * Monday 1970-01-05, week {@code k} starts {@code 7 k} days later, so an ISO year of 53 weeks
 * needs no special case and 2025-W01 follows 2024-W52 as 2026-W01 follows 2025-W52.
 */
public final class IsoWeeks {

    private static final LocalDate MONDAY_ZERO = LocalDate.of(1970, 1, 5);

    private IsoWeeks() {
    }

    /** The Monday that starts week {@code index}. */
    public static LocalDate monday(int index) {
        return MONDAY_ZERO.plusWeeks(index);
    }

    /** The ISO label of week {@code index}: {@code 2025-W07} (the week-based year, not the calendar year). */
    public static String label(int index) {
        LocalDate m = monday(index);
        return String.format(Locale.ROOT, "%d-W%02d", m.get(IsoFields.WEEK_BASED_YEAR),
                m.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
