package dev.empathy.lib.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Krippendorff's alpha, the agreement of any number of observers (raters) who each gave a value
 * to some of a set of units, missing values allowed (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability", Annenberg School for Communication Departmental Papers 43).
 *
 * <p>{@code alpha = 1 - D_o / D_e}. Only <em>pairable</em> values count: those of units with at
 * least two values; a unit with one value drops out. With {@code m_u} values in unit {@code u},
 * the coincidence matrix is {@code o_ck = sum_u (number of ordered pairs (c, k) of unit u) /
 * (m_u - 1)}, its marginals {@code n_c = sum_k o_ck} and {@code n = sum_c n_c} (the number of
 * pairable values); then {@code D_o = (1 / n) sum_c sum_k o_ck delta^2(c, k)} and
 * {@code D_e = (1 / (n (n - 1))) sum_c sum_k n_c n_k delta^2(c, k)}, with {@code delta^2(c, k) =
 * (c - k)^2} for the interval metric and {@code [c != k]} for the nominal one.
 *
 * <p>For the interval metric the matrix sums reduce to sums of squares, which is how
 * {@link #interval(List)} computes alpha from one summary per unit ({@link UnitSummary}: count,
 * mean and squared deviations) without the matrix: {@code sum_{i != j in u} (x_i - x_j)^2 =
 * 2 m_u SS_u}, and over all pairable values {@code 2 n SS}, so {@code alpha = 1 - (n - 1)
 * sum_u [m_u SS_u / (m_u - 1)] / (n SS)} with {@code SS} the squared deviations of all pairable
 * values from their mean. Both routes give the same alpha (to rounding); the summary route is the
 * one a Spark job aggregates, the matrix route the published definition.
 *
 * <p>Alpha is not defined when no unit has two values, or when every pairable value is the same
 * ({@code D_e = 0}); the result then carries NaN and a note.
 */
public final class KrippendorffAlpha {

    /** The difference function {@code delta^2}. */
    public enum Metric {
        /** {@code delta^2 = 0} for equal values, 1 otherwise. */
        NOMINAL,
        /** {@code delta^2 = (c - k)^2}. */
        INTERVAL;

        double delta2(double c, double k) {
            return this == NOMINAL ? (c == k ? 0 : 1) : (c - k) * (c - k);
        }
    }

    /**
     * Alpha with its parts.
     *
     * @param alpha    {@code 1 - D_o / D_e}; NaN when not defined
     * @param observed the observed disagreement {@code D_o}
     * @param expected the expected disagreement {@code D_e}
     * @param units    units with at least two values (pairable units)
     * @param values   pairable values {@code n}
     * @param note     why alpha is not defined, or null
     */
    public record Result(double alpha, double observed, double expected, long units, long values, String note) {

        public boolean defined() {
            return Double.isFinite(alpha);
        }
    }

    /**
     * The coincidence matrix of the pairable values.
     *
     * @param values the distinct pairable values, ascending
     * @param counts {@code o_ck}, indexed as {@code values}
     * @param units  pairable units
     */
    public record Coincidences(double[] values, double[][] counts, long units) {

        /** {@code n_c}, the row sums. */
        public double[] marginals() {
            double[] n = new double[values.length];
            for (int c = 0; c < values.length; c++) {
                for (int k = 0; k < values.length; k++) {
                    n[c] += counts[c][k];
                }
            }
            return n;
        }

        /** {@code n}, the number of pairable values. */
        public double total() {
            return Arrays.stream(marginals()).sum();
        }
    }

    /**
     * One unit's values summarised for the interval metric.
     *
     * @param values  how many values the unit has ({@code m_u})
     * @param mean    their mean
     * @param squares their squared deviations from that mean ({@code SS_u})
     */
    public record UnitSummary(int values, double mean, double squares) {

        /** The summary of a unit's values (NaN values are missing and left out). */
        public static UnitSummary of(double... values) {
            int m = 0;
            double mean = 0;
            double squares = 0;
            for (double v : values) {
                if (Double.isNaN(v)) {
                    continue;
                }
                m++;
                double d = v - mean;
                mean += d / m;
                squares += d * (v - mean);
            }
            return new UnitSummary(m, m == 0 ? Double.NaN : mean, squares);
        }
    }

    private KrippendorffAlpha() {
    }

    /**
     * The units of reliability data laid out as in Krippendorff's papers, one row per observer and
     * one column per unit, NaN where an observer gave no value.
     */
    public static List<double[]> unitsOf(double[][] observersByUnits) {
        int units = observersByUnits.length == 0 ? 0 : observersByUnits[0].length;
        List<double[]> out = new ArrayList<>(units);
        for (int u = 0; u < units; u++) {
            double[] values = new double[observersByUnits.length];
            for (int o = 0; o < observersByUnits.length; o++) {
                values[o] = observersByUnits[o][u];
            }
            out.add(values);
        }
        return out;
    }

    /** The coincidence matrix of {@code units} (each the values one unit got, NaN = missing). */
    public static Coincidences coincidences(List<double[]> units) {
        TreeMap<Double, Integer> index = new TreeMap<>();
        List<double[]> pairable = new ArrayList<>();
        for (double[] unit : units) {
            double[] present = Arrays.stream(unit).filter(v -> !Double.isNaN(v)).toArray();
            if (present.length >= 2) {
                pairable.add(present);
                for (double v : present) {
                    index.putIfAbsent(v, 0);
                }
            }
        }
        double[] values = new double[index.size()];
        int i = 0;
        for (var e : index.entrySet()) {
            values[i] = e.getKey();
            e.setValue(i++);
        }
        double[][] counts = new double[values.length][values.length];
        for (double[] unit : pairable) {
            double weight = 1.0 / (unit.length - 1);
            for (int a = 0; a < unit.length; a++) {
                for (int b = 0; b < unit.length; b++) {
                    if (a != b) {
                        counts[index.get(unit[a])][index.get(unit[b])] += weight;
                    }
                }
            }
        }
        return new Coincidences(values, counts, pairable.size());
    }

    /** Alpha of {@code units} (each the values one unit got, NaN = missing) through the coincidence matrix. */
    public static Result of(List<double[]> units, Metric metric) {
        Coincidences o = coincidences(units);
        double[] marginals = o.marginals();
        double n = Arrays.stream(marginals).sum();
        if (o.units() == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, 0, 0, "no unit has two values to compare");
        }
        double observed = 0;
        double expected = 0;
        for (int c = 0; c < o.values().length; c++) {
            for (int k = 0; k < o.values().length; k++) {
                double d = metric.delta2(o.values()[c], o.values()[k]);
                observed += o.counts()[c][k] * d;
                expected += marginals[c] * marginals[k] * d;
            }
        }
        observed /= n;
        expected /= n * (n - 1);
        return finish(observed, expected, o.units(), Math.round(n));
    }

    /** Interval alpha from one summary per unit; units with fewer than two values drop out. */
    public static Result interval(List<UnitSummary> units) {
        Sums sums = new Sums(centre(units));
        for (UnitSummary u : units) {
            sums.accept(u, 1);
        }
        return sums.result();
    }

    /**
     * Interval alpha of a unit-resampling bootstrap: resamples of the units drawn with
     * replacement ({@link UnitBootstrap}), alpha of each, and the percentile interval at
     * {@code level}.
     */
    public static UnitBootstrap.Interval bootstrap(List<UnitSummary> units, int resamples, long seed, double level) {
        List<UnitSummary> pairable = units.stream().filter(u -> u.values() >= 2).toList();
        double centre = centre(pairable);
        return UnitBootstrap.percentile(pairable.size(), resamples, seed, level, copies -> {
            Sums sums = new Sums(centre);
            for (int i = 0; i < copies.length; i++) {
                if (copies[i] > 0) {
                    sums.accept(pairable.get(i), copies[i]);
                }
            }
            return sums.result().alpha();
        });
    }

    /** A value near the middle of the pairable values, that the sums are taken about (for their precision). */
    static double centre(List<UnitSummary> units) {
        double total = 0;
        long n = 0;
        for (UnitSummary u : units) {
            if (u.values() >= 2) {
                total += u.values() * u.mean();
                n += u.values();
            }
        }
        return n == 0 ? 0 : total / n;
    }

    /**
     * The sums interval alpha needs, over units each taken some number of times: mergeable, so
     * that partial sums of parts of the data combine into the sums of the whole.
     */
    public static final class Sums {
        private final double centre;
        private long units;
        private long values;
        /** {@code sum m_u (mean_u - centre)}. */
        private double first;
        /** {@code sum m_u (mean_u - centre)^2}. */
        private double second;
        /** {@code sum SS_u}. */
        private double within;
        /** {@code sum m_u SS_u / (m_u - 1)}. */
        private double observed;

        /** Sums about {@code centre}, any value near the middle of the data (the sums are exact for any). */
        public Sums(double centre) {
            this.centre = centre;
        }

        /** Adds {@code copies} copies of a unit; a unit with fewer than two values is not pairable and adds nothing. */
        public Sums accept(UnitSummary unit, int copies) {
            int m = unit.values();
            if (m < 2 || copies <= 0) {
                return this;
            }
            double d = unit.mean() - centre;
            units += copies;
            values += (long) copies * m;
            first += copies * m * d;
            second += copies * m * d * d;
            within += copies * unit.squares();
            observed += copies * m * unit.squares() / (m - 1);
            return this;
        }

        /** These sums and {@code other}'s, which must be taken about the same centre. */
        public Sums combine(Sums other) {
            if (other.centre != centre) {
                throw new IllegalArgumentException("sums about different centres cannot be combined");
            }
            Sums s = new Sums(centre);
            s.units = units + other.units;
            s.values = values + other.values;
            s.first = first + other.first;
            s.second = second + other.second;
            s.within = within + other.within;
            s.observed = observed + other.observed;
            return s;
        }

        public Result result() {
            if (units == 0) {
                return new Result(Double.NaN, Double.NaN, Double.NaN, 0, 0, "no unit has two values to compare");
            }
            double n = values;
            double total = within + Math.max(0, second - first * first / n);
            return finish(2 * observed / n, 2 * total / (n - 1), units, values);
        }
    }

    private static Result finish(double observed, double expected, long units, long values) {
        if (!(expected > 0)) {
            return new Result(Double.NaN, observed, expected, units, values,
                    "every pairable value is the same, so there is no disagreement to expect and alpha is not defined");
        }
        return new Result(1 - observed / expected, observed, expected, units, values, null);
    }
}
