package dev.empathy.lib.did;

import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.stats.Wald;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The difference-in-differences estimator of Callaway and Sant'Anna (2021) for staggered adoption
 * with effects that may vary by group and over time, on a {@link StaggeredPanel} of cell means,
 * without covariates (parallel trends unconditionally), with the not-yet-treated and the
 * never-treated units as controls.
 *
 * <p><b>Group-time effects.</b> For a group {@code g} (the units first treated in period
 * {@code g}) and a period {@code t}, against a <em>universal base</em> {@code B_g}, the same for
 * every {@code t}:
 * <pre>
 *   ATT(g,t) = mean_{i in T} (Y_it - Y_iB) - mean_{j in C} (Y_jt - Y_jB)
 * </pre>
 * where {@code Y_it} is unit {@code i}'s cell mean in period {@code t}, {@code T} the units of
 * group {@code g}, and {@code C} the controls: units never treated within the span, and units
 * not yet treated by {@code t} nor by the end of the base ({@code G > max(t, g - 1)},
 * {@code G != g}). So for {@code t >= g} the controls are the units treated after {@code t}; for
 * a pre-period, those treated after {@code g}. The base is Callaway and Sant'Anna's universal
 * base period {@code g - 1} when {@link Options#basePeriods()} is 1: {@code Y_iB = Y_i,g-1}. With
 * {@code L = basePeriods > 1} it is the last {@code L} periods before treatment,
 * {@code g - L .. g - 1}, and {@code Y_iB} the mean of the unit's cell means in those of them
 * where it has data (each period alike, so the base sits at the same time for every unit with a
 * full base). A longer base trades the assumption that parallel trends hold within it (which the
 * pre-trend test does not check) for precision: a single base period's noise enters every
 * post-period comparison of the unit, and with thin cells it dominates. The cells inside the base
 * ({@code g - L <= t <= g - 1}) are not estimated; with {@code L = 1}, {@code ATT(g, g-1) = 0}
 * by construction. The pre-period effects are comparisons with the same base as the post-period
 * ones, so an event study's pre-trend test means something (Roth 2024, "Interpreting
 * Event-Studies from Recent Difference-in-Differences Methods").
 *
 * <p><b>Unbalanced panels.</b> A unit enters {@code ATT(g,t)} (as treated or as control) when it
 * has data in {@code t} and in at least one period of the base; each unit counts once, whatever
 * its number of observations in the cells (the estimand averages units, not observations). A
 * cell without a treated unit with such data, or without such a control, is skipped and counted
 * in {@link Design}.
 *
 * <p><b>Always-treated units</b> (treated in or before the first period) have no untreated period
 * to compare: they are neither treated units nor controls, and leave the estimation entirely
 * (they do not count in {@code N} below). Units treated after the last period are never treated
 * within the span: controls throughout.
 *
 * <p><b>Aggregation.</b> Over a set {@code K} of group-time cells, with {@code p_g} the share of
 * the {@code N} units in group {@code g}:
 * <pre>
 *   theta = sum_{k in K} p_{g(k)} ATT_k / sum_{k in K} p_{g(k)}
 * </pre>
 * The overall effect takes every estimated post-treatment cell ({@code t >= g}): Callaway and
 * Sant'Anna's "simple" aggregation, which weights each cell by its group's size, so every
 * treated unit-period counts alike (it gives early groups, with more post periods, more weight
 * than the "group" aggregation). The event study takes, for each event time {@code e} in
 * {@code -window..window}, the cells with {@code t - g = e} (the "dynamic" aggregation); the
 * event times of the base, {@code -L..-1}, are not estimated.
 *
 * <p><b>Inference.</b> By influence functions with the unit as cluster. For {@code ATT(g,t)},
 * unit {@code i}'s influence is {@code N / n_T (D_i - mean_T D)} when {@code i} is in
 * {@code T}, {@code -N / n_C (D_j - mean_C D)} when in {@code C}, 0 otherwise, with
 * {@code D = Y_t - Y_B}. An aggregate's influence is {@code sum_k w_k psi_k} plus the term of the
 * estimated weights, {@code (1/S) sum_{k in K} (ATT_k - theta) (1{G_i = g(k)} - p_{g(k)})} with
 * {@code S = sum_{k in K} p_{g(k)}} (the derivative of {@code w_k = p_{g(k)} / S} in the shares,
 * whose influence is {@code 1{G_i = g} - p_g}). The variance is
 * {@code sum_i psi_i^2 / N^2}; intervals are normal (Callaway and Sant'Anna, section 4).
 * Pointwise intervals: no uniform band over event times.
 *
 * <p><b>Pre-trend test.</b> A joint Wald test that every pre-period event-time effect
 * {@code theta(e)} before the base, {@code e = -window..-L-1}, is zero: {@code W = theta' V^+ theta} with
 * {@code V} their covariance from the influence functions, {@code V^+} its Moore-Penrose
 * inverse (eigenvalues below {@code sqrt(machine epsilon)} times the largest are taken as zero,
 * as {@code MASS::ginv} does) and {@code W} chi-square with {@code rank(V)} degrees of freedom
 * under the null. A singular {@code V} (one group seen through several event times, or event
 * times estimated from the same units) so loses degrees of freedom rather than failing. With few
 * units the chi-square of an estimated covariance rejects somewhat too often (in simulation, 12%
 * at a nominal 5% with 60 units and five event times, 6% with 200).
 *
 * <p>References: B. Callaway and P. H. C. Sant'Anna (2021), Difference-in-Differences with
 * multiple time periods, Journal of Econometrics 225(2), 200-230; A. Goodman-Bacon (2021),
 * Difference-in-differences with variation in treatment timing, Journal of Econometrics
 * 225(2), 254-277; L. Sun and S. Abraham (2021), Estimating dynamic treatment effects in event
 * studies with heterogeneous treatment effects, Journal of Econometrics 225(2), 175-199.
 */
public final class CallawaySantAnna {

    private static final double GINV_TOLERANCE = Math.sqrt(Math.ulp(1.0));

    private CallawaySantAnna() {
    }

    /**
     * @param window      the event times reported, {@code -window..window} (1 to 520)
     * @param level       the confidence level of the intervals
     * @param basePeriods the periods before treatment whose mean is the base, 1 (Callaway and
     *                    Sant'Anna's universal base period {@code g - 1}) to {@code window}
     */
    public record Options(int window, double level, int basePeriods) {
        public Options {
            if (window < 1 || window > 520) {
                throw new IllegalArgumentException("window: event times from 1 to 520 periods, got " + window);
            }
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("level: a confidence level between 0 and 1, got " + level);
            }
            if (basePeriods < 1 || basePeriods > window) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "basePeriods: 1 to the window (%d) periods, got %d", window, basePeriods));
            }
        }

        /** The universal base period {@code g - 1}. */
        public Options(int window, double level) {
            this(window, level, 1);
        }

        public static Options defaults() {
            return new Options(8, 0.95, 1);
        }
    }

    /**
     * One group-time effect: the group (first treated period), the period, the effect with its
     * standard error and interval, and the units and observations on each side (the treated
     * group's units and the controls, each with data in the period and in the base).
     * A group of one unit has no spread of its own: its interval reflects the controls only.
     */
    public record GroupTime(int group, int period, double att, double stdError, double ciLow, double ciHigh,
                            int treatedUnits, int controlUnits, long treatedCount, long controlCount) {
        /** Event time {@code t - g}. */
        public int relative() {
            return period - group;
        }
    }

    /**
     * An aggregate effect with its estimate (term {@code att} or {@code e=<k>}), the cells and
     * groups it averages, the distinct units in them and the observations of their cells (treated
     * and controls, both periods), and a note when it could not be estimated (then the estimate
     * is NaN).
     */
    public record Aggregate(Estimate estimate, int cells, int groups, int units, long count, String note) {
    }

    /** One event time of the event study; {@code base} for {@code e = -1}, zero by construction. */
    public record EventTime(int relative, Aggregate effect, boolean base) {
    }

    /**
     * The joint test that every pre-period event-time effect is zero: the Wald statistic, its
     * degrees of freedom (the rank of the covariance), the p-value, the event times tested, and a
     * note when there was nothing to test or the covariance was singular.
     */
    public record PreTrend(double chiSquare, int df, double pValue, int preTimes, String note) {
    }

    /**
     * The design: units in the estimation ({@code N}), of them treated within the span and in
     * how many groups, the always-treated units left out, the never-treated (controls
     * throughout), periods in the span, and the group-time cells estimated and skipped (no
     * control, or no treated unit, with data in both periods).
     */
    public record Design(int units, int treatedUnits, int groups, int alwaysTreatedUnits, int neverTreatedUnits,
                         int periods, int cellsEstimated, int cellsWithoutControls, int cellsWithoutTreated) {
    }

    /** Everything estimated, and notes in words for what could not be. */
    public record Result(Options options, Design design, List<GroupTime> groupTimes, Aggregate overall,
                         List<EventTime> eventStudy, PreTrend preTrend, List<String> notes) {
        public Result {
            groupTimes = List.copyOf(groupTimes);
            eventStudy = List.copyOf(eventStudy);
            notes = List.copyOf(notes);
        }
    }

    /** Estimates every group-time effect, the overall effect, the event study and the pre-trend test. */
    public static Result estimate(StaggeredPanel panel, Options options) {
        return new Run(panel, options).result();
    }

    /**
     * The Wald statistic {@code theta' V^+ theta} with the Moore-Penrose inverse of the symmetric
     * {@code v}, and its degrees of freedom (the rank of {@code v}); {@code [NaN, 0]} when
     * {@code v} is zero.
     */
    public static double[] wald(double[] theta, double[][] v) {
        int q = theta.length;
        if (q == 0) {
            return new double[] {Double.NaN, 0};
        }
        RealMatrix m = new Array2DRowRealMatrix(v);
        // Symmetrise against rounding, as the eigen decomposition expects.
        RealMatrix sym = m.add(m.transpose()).scalarMultiply(0.5);
        EigenDecomposition eigen = new EigenDecomposition(sym);
        double[] values = eigen.getRealEigenvalues();
        double largest = 0;
        for (double d : values) {
            largest = Math.max(largest, Math.abs(d));
        }
        if (!(largest > 0)) {
            return new double[] {Double.NaN, 0};
        }
        double w = 0;
        int rank = 0;
        for (int j = 0; j < q; j++) {
            if (values[j] > GINV_TOLERANCE * largest) {
                RealVector u = eigen.getEigenvector(j);
                double proj = 0;
                for (int i = 0; i < q; i++) {
                    proj += u.getEntry(i) * theta[i];
                }
                w += proj * proj / values[j];
                rank++;
            }
        }
        return new double[] {w, rank};
    }

    /** One estimation: the panel's units in the estimation, their groups, and the cells. */
    private static final class Run {
        private final StaggeredPanel panel;
        private final Options options;
        /** Panel unit index of each unit in the estimation (all but the always-treated). */
        private final int[] units;
        private final int n;
        private final TreeMap<Integer, Double> share = new TreeMap<>();
        private final List<Cell> cells = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final java.util.Map<Integer, double[]> bases = new java.util.HashMap<>();
        /** The normal quantile of the intervals. */
        private final double z;
        private int withoutControls;
        private int withoutTreated;

        /** A group-time cell: its effect and the means of the differences on each side. */
        private record Cell(int group, int period, double att, double meanT, double meanC, GroupTime row) {
        }

        /** The units of a cell: treated and controls with data in both periods. */
        private record Members(int[] treated, int[] controls) {
        }

        Run(StaggeredPanel panel, Options options) {
            this.panel = panel;
            this.options = options;
            this.z = dev.empathy.lib.stats.Proportions.z(options.level());
            List<Integer> in = new ArrayList<>();
            for (int i = 0; i < panel.unitCount(); i++) {
                if (panel.status(i) != StaggeredPanel.Status.ALWAYS_TREATED) {
                    in.add(i);
                }
            }
            units = in.stream().mapToInt(Integer::intValue).toArray();
            n = units.length;
            for (int i : units) {
                if (panel.status(i) == StaggeredPanel.Status.TREATED) {
                    share.merge(panel.group(i), 1.0, Double::sum);
                }
            }
            share.replaceAll((g, c) -> c / n);
        }

        Result result() {
            int always = panel.unitCount() - n;
            int never = 0;
            int treated = 0;
            for (int i : units) {
                if (panel.status(i) == StaggeredPanel.Status.NEVER_TREATED) {
                    never++;
                } else {
                    treated++;
                }
            }
            if (panel.unitCount() == 0) {
                notes.add("there are no observations");
            } else if (treated == 0) {
                notes.add(always > 0 && never == 0
                        ? "every unit was treated before the data's first period: there is no untreated period to "
                        + "compare with"
                        : "no unit was treated within the data's periods, so there is no effect to estimate");
            } else if (never == 0 && share.size() == 1) {
                notes.add("every unit in the estimation is treated in the same period and none is left as a control");
            }
            if (always > 0 && treated > 0) {
                notes.add(String.format(Locale.ROOT, "%d units treated in or before the first period are left out "
                        + "(no untreated period to compare with)", always));
            }
            for (int g : share.keySet()) {
                for (int t = panel.firstPeriod(); t <= panel.lastPeriod(); t++) {
                    if (t < g - options.basePeriods() || t >= g) {
                        groupTime(g, t);
                    }
                }
            }
            if (withoutControls > 0) {
                notes.add(String.format(Locale.ROOT, "%d group-period cells had no control with data in the period "
                        + "and in the base and were skipped", withoutControls));
            }
            Aggregate overall = aggregate("att", cells.stream().filter(c -> c.period() >= c.group()).toList(), null);
            List<EventTime> events = new ArrayList<>();
            List<double[]> preInfluence = new ArrayList<>();
            List<Double> preTheta = new ArrayList<>();
            for (int e = -options.window(); e <= options.window(); e++) {
                int ev = e;
                String term = "e=" + e;
                if (e < 0 && e >= -options.basePeriods()) {
                    Estimate none = options.basePeriods() == 1
                            ? new Estimate(term, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                            : Estimate.notEstimated(term);
                    events.add(new EventTime(e, new Aggregate(none, 0, 0, 0, 0, options.basePeriods() == 1
                            ? "base period: zero by construction"
                            : String.format(Locale.ROOT, "in the base (the mean of event times %d to -1)",
                            -options.basePeriods())), true));
                    continue;
                }
                double[] psi = new double[n];
                Aggregate a = aggregate(term, cells.stream().filter(c -> c.period() - c.group() == ev).toList(), psi);
                events.add(new EventTime(e, a, false));
                if (e < -options.basePeriods() && Double.isFinite(a.estimate().estimate())
                        && Double.isFinite(a.estimate().stdError())) {
                    preInfluence.add(psi);
                    preTheta.add(a.estimate().estimate());
                }
            }
            PreTrend preTrend = preTrend(preTheta, preInfluence);
            Design design = new Design(n, treated, share.size(), always, never, panel.periodCount(), cells.size(),
                    withoutControls, withoutTreated);
            return new Result(options, design, cells.stream().map(Cell::row).toList(), overall, events, preTrend,
                    notes);
        }

        /** The treated units and the controls of {@code ATT(g,t)} with data in t and in the base. */
        private Members members(int g, int t) {
            int later = Math.max(t, g - 1);
            double[] base = base(g);
            int[] treated = new int[n];
            int[] controls = new int[n];
            int nt = 0;
            int nc = 0;
            for (int k = 0; k < n; k++) {
                int i = units[k];
                if (Double.isNaN(base[k]) || !panel.has(i, t)) {
                    continue;
                }
                int gi = panel.group(i);
                if (panel.status(i) == StaggeredPanel.Status.TREATED && gi == g) {
                    treated[nt++] = k;
                } else if (panel.status(i) == StaggeredPanel.Status.NEVER_TREATED || gi > later) {
                    controls[nc++] = k;
                }
            }
            return new Members(java.util.Arrays.copyOf(treated, nt), java.util.Arrays.copyOf(controls, nc));
        }

        /**
         * {@code Y_kB} of every unit for group {@code g}: the mean of its cell means in the base
         * periods where it has data, NaN without any; computed once per group.
         */
        private double[] base(int g) {
            return bases.computeIfAbsent(g, key -> {
                double[] out = new double[n];
                for (int k = 0; k < n; k++) {
                    int i = units[k];
                    double sum = 0;
                    int periods = 0;
                    for (int b = g - options.basePeriods(); b < g; b++) {
                        if (panel.has(i, b)) {
                            sum += panel.mean(i, b);
                            periods++;
                        }
                    }
                    out[k] = periods == 0 ? Double.NaN : sum / periods;
                }
                return out;
            });
        }

        private double difference(double[] base, int k, int t) {
            return panel.mean(units[k], t) - base[k];
        }

        private long observations(int k, int g, int t) {
            int i = units[k];
            long n = panel.count(i, t);
            for (int b = g - options.basePeriods(); b < g; b++) {
                n += panel.count(i, b);
            }
            return n;
        }

        /** Marks the cells of unit {@code k} that {@code ATT(g,t)} reads. */
        private void mark(boolean[] used, int k, int g, int t) {
            int periods = panel.periodCount();
            int i = units[k];
            used[k * periods + (t - panel.firstPeriod())] = true;
            for (int b = g - options.basePeriods(); b < g; b++) {
                if (panel.has(i, b)) {
                    used[k * periods + (b - panel.firstPeriod())] = true;
                }
            }
        }

        private void groupTime(int g, int t) {
            Members m = members(g, t);
            double[] base = base(g);
            if (m.treated().length == 0) {
                withoutTreated++;
                return;
            }
            if (m.controls().length == 0) {
                withoutControls++;
                return;
            }
            double meanT = 0;
            long countT = 0;
            for (int k : m.treated()) {
                meanT += difference(base, k, t);
                countT += observations(k, g, t);
            }
            meanT /= m.treated().length;
            double meanC = 0;
            long countC = 0;
            for (int k : m.controls()) {
                meanC += difference(base, k, t);
                countC += observations(k, g, t);
            }
            meanC /= m.controls().length;
            double varT = 0;
            for (int k : m.treated()) {
                double d = difference(base, k, t) - meanT;
                varT += d * d;
            }
            double varC = 0;
            for (int k : m.controls()) {
                double d = difference(base, k, t) - meanC;
                varC += d * d;
            }
            int nT = m.treated().length;
            int nC = m.controls().length;
            double att = meanT - meanC;
            double se = Math.sqrt(varT / ((double) nT * nT) + varC / ((double) nC * nC));
            cells.add(new Cell(g, t, att, meanT, meanC, new GroupTime(g, t, att, se, att - z * se, att + z * se, nT, nC,
                    countT, countC)));
        }

        /**
         * The weighted average of {@code kept} by group shares, with its influence function
         * (written into {@code psiOut} when given) and the units and observations it used.
         */
        private Aggregate aggregate(String term, List<Cell> kept, double[] psiOut) {
            if (kept.isEmpty()) {
                return new Aggregate(Estimate.notEstimated(term), 0, 0, 0, 0, share.isEmpty()
                        ? "no unit treated within the data's periods" : "no group-period cell to average");
            }
            double s = 0;
            double theta = 0;
            for (Cell c : kept) {
                double p = share.get(c.group());
                s += p;
                theta += p * c.att();
            }
            theta /= s;
            double[] psi = psiOut == null ? new double[n] : psiOut;
            int periods = panel.periodCount();
            boolean[] used = new boolean[n * periods];
            TreeMap<Integer, Double> byGroup = new TreeMap<>();
            for (Cell c : kept) {
                int g = c.group();
                int t = c.period();
                double w = share.get(g) / s;
                Members m = members(g, t);
                double[] base = base(g);
                double scaleT = w * n / m.treated().length;
                for (int k : m.treated()) {
                    psi[k] += scaleT * (difference(base, k, t) - c.meanT());
                    mark(used, k, g, t);
                }
                double scaleC = w * n / m.controls().length;
                for (int k : m.controls()) {
                    psi[k] -= scaleC * (difference(base, k, t) - c.meanC());
                    mark(used, k, g, t);
                }
                byGroup.merge(g, c.att() - theta, Double::sum);
            }
            // The estimated weights: (1/S) sum_k (ATT_k - theta) (1{G_i = g_k} - p_{g_k}).
            double centre = 0;
            for (var e : byGroup.entrySet()) {
                centre += e.getValue() * share.get(e.getKey());
            }
            for (int k = 0; k < n; k++) {
                int i = units[k];
                Double a = panel.status(i) == StaggeredPanel.Status.TREATED ? byGroup.get(panel.group(i)) : null;
                psi[k] += ((a == null ? 0 : a) - centre) / s;
            }
            double v = 0;
            for (double x : psi) {
                v += x * x;
            }
            double se = Math.sqrt(v) / n;
            int unitsUsed = 0;
            long count = 0;
            for (int k = 0; k < n; k++) {
                boolean any = false;
                for (int p = 0; p < periods; p++) {
                    if (used[k * periods + p]) {
                        any = true;
                        count += panel.count(units[k], panel.firstPeriod() + p);
                    }
                }
                unitsUsed += any ? 1 : 0;
            }
            TreeSet<Integer> groups = new TreeSet<>(byGroup.keySet());
            return new Aggregate(Wald.normal(term, theta, se, options.level()), kept.size(), groups.size(), unitsUsed,
                    count, null);
        }

        private PreTrend preTrend(List<Double> theta, List<double[]> psi) {
            int q = theta.size();
            if (q == 0) {
                return new PreTrend(Double.NaN, 0, Double.NaN, 0,
                        "no pre-treatment event time before the base period could be estimated");
            }
            double[][] v = new double[q][q];
            for (int a = 0; a < q; a++) {
                for (int b = a; b < q; b++) {
                    double s = 0;
                    double[] x = psi.get(a);
                    double[] y = psi.get(b);
                    for (int k = 0; k < n; k++) {
                        s += x[k] * y[k];
                    }
                    v[a][b] = s / ((double) n * n);
                    v[b][a] = v[a][b];
                }
            }
            double[] th = theta.stream().mapToDouble(Double::doubleValue).toArray();
            double[] w = wald(th, v);
            int df = (int) w[1];
            if (df == 0) {
                return new PreTrend(Double.NaN, 0, Double.NaN, q,
                        "the pre-treatment estimates have no sampling variance: nothing to test against");
            }
            double p = 1 - new ChiSquaredDistribution(null, df).cumulativeProbability(w[0]);
            String note = df < q ? String.format(Locale.ROOT, "the covariance of the %d pre-treatment estimates has "
                    + "rank %d: tested with a generalized inverse on %d degrees of freedom", q, df, df) : null;
            return new PreTrend(w[0], df, p, q, note);
        }
    }
}
