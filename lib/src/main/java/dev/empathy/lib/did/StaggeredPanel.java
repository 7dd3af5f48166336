package dev.empathy.lib.did;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A unit by period panel for a staggered adoption design, as cell sums: for each unit (an agent)
 * and period (an ISO week, as a consecutive integer index) with observations, their number and
 * their sum, so the cell mean is {@code sum / count}; and for each unit the first period it is
 * treated in (or none). Periods are integers whose difference is the number of periods between
 * them, so "the period before {@code g}" is {@code g - 1} whether or not it holds data.
 *
 * <p>The panel's span runs from its first to its last period with data. Each unit falls in one
 * {@link Status} relative to that span: treated before or in the first period
 * ({@link Status#ALWAYS_TREATED}: no untreated period to compare with), treated within it
 * ({@link Status#TREATED}, its group is its first treated period), or never treated within it
 * ({@link Status#NEVER_TREATED}, also when treated after the last period).
 *
 * <p>Immutable; built with {@link #builder()}. Units are kept in sorted order so that every
 * result is the same whatever order the cells came in.
 */
public final class StaggeredPanel {

    /** Where a unit stands relative to the panel's span. */
    public enum Status {
        /** Treated in or before the first period: never observed untreated. */
        ALWAYS_TREATED,
        /** First treated within the span, after its first period. */
        TREATED,
        /** Not treated within the span (never, or after its last period). */
        NEVER_TREATED
    }

    private final List<String> units;
    private final int[] group;
    private final Status[] status;
    private final int firstPeriod;
    private final int periods;
    private final long[][] count;
    private final double[][] sum;

    private StaggeredPanel(List<String> units, int[] group, Status[] status, int firstPeriod, int periods,
                           long[][] count, double[][] sum) {
        this.units = units;
        this.group = group;
        this.status = status;
        this.firstPeriod = firstPeriod;
        this.periods = periods;
        this.count = count;
        this.sum = sum;
    }

    /** A builder of a panel: add cells and treatment times, then {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects cells and treatment times; one cell per unit and period. */
    public static final class Builder {
        private final Map<String, Map<Integer, double[]>> cells = new HashMap<>();
        private final Map<String, Integer> treated = new HashMap<>();

        private Builder() {
        }

        /**
         * One cell: {@code count} observations of {@code unit} in {@code period} summing to
         * {@code sum}. A cell without observations ({@code count} 0) is ignored.
         *
         * @throws IllegalArgumentException for a negative count, a sum that is not finite, or a
         *                                  second cell of the same unit and period
         */
        public Builder cell(String unit, int period, long count, double sum) {
            if (unit == null) {
                throw new IllegalArgumentException("a cell needs a unit");
            }
            if (count < 0 || !Double.isFinite(sum)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "cell (%s, %d): count must be >= 0 and sum finite, got %d and %s", unit, period, count, sum));
            }
            if (count == 0) {
                return this;
            }
            double[] previous = cells.computeIfAbsent(unit, u -> new TreeMap<>())
                    .putIfAbsent(period, new double[] {count, sum});
            if (previous != null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "cell (%s, %d) given twice: one cell per unit and period", unit, period));
            }
            return this;
        }

        /** {@code unit} is treated from {@code period} on; a unit never named is never treated. */
        public Builder treatedFrom(String unit, int period) {
            Integer previous = treated.put(unit, period);
            if (previous != null && previous != period) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "unit %s is treated from two periods, %d and %d", unit, previous, period));
            }
            return this;
        }

        /** The panel of the units with at least one cell. */
        public StaggeredPanel build() {
            List<String> units = new ArrayList<>(new TreeSet<>(cells.keySet()));
            int first = Integer.MAX_VALUE;
            int last = Integer.MIN_VALUE;
            for (Map<Integer, double[]> byPeriod : cells.values()) {
                for (int p : byPeriod.keySet()) {
                    first = Math.min(first, p);
                    last = Math.max(last, p);
                }
            }
            int periods = units.isEmpty() ? 0 : Math.toIntExact((long) last - first + 1);
            int[] group = new int[units.size()];
            Status[] status = new Status[units.size()];
            long[][] count = new long[units.size()][periods];
            double[][] sum = new double[units.size()][periods];
            for (int i = 0; i < units.size(); i++) {
                String u = units.get(i);
                Integer g = treated.get(u);
                if (g == null || g > last) {
                    status[i] = Status.NEVER_TREATED;
                    group[i] = Integer.MAX_VALUE;
                } else if (g <= first) {
                    status[i] = Status.ALWAYS_TREATED;
                    group[i] = g;
                } else {
                    status[i] = Status.TREATED;
                    group[i] = g;
                }
                for (Map.Entry<Integer, double[]> e : cells.get(u).entrySet()) {
                    count[i][e.getKey() - first] = (long) e.getValue()[0];
                    sum[i][e.getKey() - first] = e.getValue()[1];
                }
            }
            return new StaggeredPanel(Collections.unmodifiableList(units), group, status,
                    units.isEmpty() ? 0 : first, periods, count, sum);
        }
    }

    /** The units with data, sorted. */
    public List<String> units() {
        return units;
    }

    public int unitCount() {
        return units.size();
    }

    /** The first period with data (0 for an empty panel). */
    public int firstPeriod() {
        return firstPeriod;
    }

    /** The last period with data. */
    public int lastPeriod() {
        return firstPeriod + periods - 1;
    }

    /** Periods from the first to the last, with or without data. */
    public int periodCount() {
        return periods;
    }

    /** The unit's status relative to the span. */
    public Status status(int unit) {
        return status[unit];
    }

    /** The unit's first treated period; {@link Integer#MAX_VALUE} when it is never treated within the span. */
    public int group(int unit) {
        return group[unit];
    }

    /** Observations of {@code unit} in {@code period} (0 outside the span). */
    public long count(int unit, int period) {
        int p = period - firstPeriod;
        return p < 0 || p >= periods ? 0 : count[unit][p];
    }

    /** Their sum (0 without observations). */
    public double sum(int unit, int period) {
        int p = period - firstPeriod;
        return p < 0 || p >= periods ? 0 : sum[unit][p];
    }

    /** The cell mean, NaN without observations. */
    public double mean(int unit, int period) {
        long n = count(unit, period);
        return n == 0 ? Double.NaN : sum(unit, period) / n;
    }

    /** Whether the unit has observations in the period. */
    public boolean has(int unit, int period) {
        return count(unit, period) > 0;
    }

    /** Observations over every cell. */
    public long totalCount() {
        long n = 0;
        for (long[] row : count) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }
}
