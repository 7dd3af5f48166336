package dev.empathy.jobs.calibration;

import static dev.empathy.jobs.calibration.Calibration.ALL;
import static dev.empathy.jobs.calibration.Calibration.ALPHA;
import static dev.empathy.jobs.calibration.Calibration.COMPARED;
import static dev.empathy.jobs.calibration.Calibration.DIFFERENCE;
import static dev.empathy.jobs.calibration.Calibration.ICC2;
import static dev.empathy.jobs.calibration.Calibration.ICC3;
import static dev.empathy.jobs.calibration.Calibration.LEVEL;
import static dev.empathy.jobs.calibration.Calibration.REFERENCE;
import static dev.empathy.jobs.calibration.Calibration.TEAMS;

import dev.empathy.jobs.calibration.Calibration.Agreement;
import dev.empathy.jobs.calibration.Calibration.Bias;
import dev.empathy.jobs.calibration.Calibration.Block;
import dev.empathy.jobs.calibration.Calibration.Drift;
import dev.empathy.jobs.calibration.Calibration.Gap;
import dev.empathy.jobs.calibration.Calibration.Options;
import dev.empathy.lib.stats.IntraclassCorrelation;
import dev.empathy.lib.stats.KrippendorffAlpha;
import dev.empathy.lib.stats.KrippendorffAlpha.UnitSummary;
import dev.empathy.lib.stats.UnitBootstrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics of {@code calibration} from the collected ratings, on the driver and without
 * Spark: alpha per scope and month with bootstrap intervals, the complete blocks and their ICCs,
 * the differences from the calibration team, and the in-house versus outsourced gap.
 */
final class CalibrationStats {

    /** What the statistics give the result. */
    record Computed(List<Agreement> agreement, List<Block> blocks, List<Bias> bias, List<Drift> drift, List<Gap> gap) {
    }

    private final CollectedRatings data;
    private final Options options;

    CalibrationStats(CollectedRatings data, Options options) {
        this.data = data;
        this.options = options;
    }

    /** Every statistic; adds its population steps to {@code steps} and reports each stage to {@code progress}. */
    Computed compute(Map<String, Long> steps, Consumer<String> progress) {
        List<Agreement> agreement = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (String scope : scopes()) {
            agreement.add(alpha(scope, ALL.equals(scope) ? "alpha all" : "alpha " + scope, u -> true));
            List<Block> found = blocks(scope);
            blocks.addAll(found);
            agreement.addAll(icc(scope, found));
        }
        progress.accept("alpha with bootstrap intervals and ICCs per team");
        Differences differences = differences();
        steps.put("interactions_rated_by_calibration_and_another_team", differences.shared);
        List<Bias> bias = bias(differences);
        List<Drift> drift = drift(differences);
        List<Gap> gap = gap(differences);
        progress.accept("differences from the calibration team, drift by month and the in-house versus outsourced gap");
        return new Computed(agreement, blocks, bias, drift, gap);
    }

    private static List<String> scopes() {
        List<String> scopes = new ArrayList<>();
        scopes.add(ALL);
        scopes.addAll(TEAMS);
        return scopes;
    }

    private boolean inScope(int rater, String scope) {
        return ALL.equals(scope) || data.raterTeams.get(rater).equals(scope);
    }

    /** Unit {@code u}'s ratings by the raters of {@code scope}, summarised. */
    private UnitSummary summary(int u, String scope) {
        int m = 0;
        double mean = 0;
        double squares = 0;
        for (int i = data.start[u]; i < data.start[u + 1]; i++) {
            if (inScope(data.rater[i], scope)) {
                m++;
                double d = data.score[i] - mean;
                mean += d / m;
                squares += d * (data.score[i] - mean);
            }
        }
        return new UnitSummary(m, m == 0 ? Double.NaN : mean, squares);
    }

    private long seed(String label) {
        return options.seed() ^ (label.hashCode() * 0x9E3779B97F4A7C15L);
    }

    // ---------------------------------------------------------------- alpha

    /** Alpha of {@code scope} over the units {@code units} accepts, with its bootstrap interval. */
    private Agreement alpha(String scope, String label, IntPredicate units) {
        List<UnitSummary> summaries = new ArrayList<>();
        BitSet raters = new BitSet();
        for (int u = 0; u < data.units(); u++) {
            if (!units.test(u)) {
                continue;
            }
            UnitSummary s = summary(u, scope);
            if (s.values() >= 2) {
                summaries.add(s);
                for (int i = data.start[u]; i < data.start[u + 1]; i++) {
                    if (inScope(data.rater[i], scope)) {
                        raters.set(data.rater[i]);
                    }
                }
            }
        }
        KrippendorffAlpha.Result a = KrippendorffAlpha.interval(summaries);
        if (!a.defined()) {
            return new Agreement(scope, ALPHA, Double.NaN, Double.NaN, Double.NaN, a.units(), a.values(),
                    raters.cardinality(), a.note());
        }
        if (options.resamples() == 0) {
            return new Agreement(scope, ALPHA, a.alpha(), Double.NaN, Double.NaN, a.units(), a.values(),
                    raters.cardinality(), "no bootstrap interval: --resamples 0");
        }
        UnitBootstrap.Interval ci = KrippendorffAlpha.bootstrap(summaries, options.resamples(), seed(label), LEVEL);
        String note = ci.given() ? null : String.format(Locale.ROOT, "no interval: alpha is not defined in %d of %d "
                + "resamples of the %d interactions", ci.resamples() - ci.defined(), ci.resamples(), a.units());
        return new Agreement(scope, ALPHA, a.alpha(), ci.low(), ci.high(), a.units(), a.values(), raters.cardinality(),
                note);
    }

    // ---------------------------------------------------------------- ICC blocks

    /**
     * The complete blocks of {@code scope}: interactions grouped by the exact set of the scope's
     * raters who rated them (two or more), kept when at least {@code min-block} interactions
     * share the set; largest first (most ratings, then most raters, then by the raters' indices as
     * text, a fixed order). The first is the one used.
     */
    private List<Block> blocks(String scope) {
        Map<String, List<Integer>> bySet = new TreeMap<>();
        for (int u = 0; u < data.units(); u++) {
            StringBuilder key = new StringBuilder();
            int k = 0;
            for (int i = data.start[u]; i < data.start[u + 1]; i++) {
                if (inScope(data.rater[i], scope)) {
                    key.append(data.rater[i]).append(',');
                    k++;
                }
            }
            if (k >= 2) {
                bySet.computeIfAbsent(key.toString(), x -> new ArrayList<>()).add(u);
            }
        }
        record Candidate(String key, int[] raters, List<Integer> units) {
            long ratings() {
                return (long) raters.length * units.size();
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (var e : bySet.entrySet()) {
            if (e.getValue().size() >= options.minBlock()) {
                int[] raters = Arrays.stream(e.getKey().split(",")).mapToInt(Integer::parseInt).toArray();
                candidates.add(new Candidate(e.getKey(), raters, e.getValue()));
            }
        }
        candidates.sort(Comparator.comparingLong(Candidate::ratings).reversed()
                .thenComparing(Comparator.comparingInt((Candidate c) -> c.raters().length).reversed())
                .thenComparing(Candidate::key));
        List<Block> blocks = new ArrayList<>();
        for (Candidate c : candidates) {
            double[][] matrix = new double[c.units().size()][c.raters().length];
            for (int row = 0; row < c.units().size(); row++) {
                int u = c.units().get(row);
                int col = 0;
                for (int i = data.start[u]; i < data.start[u + 1]; i++) {
                    if (inScope(data.rater[i], scope)) {
                        matrix[row][col++] = data.score[i];
                    }
                }
            }
            List<String> ids = new ArrayList<>();
            List<String> teams = new ArrayList<>();
            for (int r : c.raters()) {
                ids.add(data.raterIds.get(r));
                teams.add(data.raterTeams.get(r));
            }
            blocks.add(new Block(scope, blocks.size() + 1, ids, teams, c.units().size(),
                    IntraclassCorrelation.of(matrix, LEVEL), blocks.isEmpty()));
        }
        return blocks;
    }

    /** The scope's ICC rows: the used block's figures, or empty figures and why. */
    private List<Agreement> icc(String scope, List<Block> blocks) {
        if (blocks.isEmpty()) {
            String note = String.format(Locale.ROOT, "no complete block: no 2 or more raters%s rated the same %d or "
                    + "more interactions (and only they)", ALL.equals(scope) ? "" : " of the team", options.minBlock());
            return List.of(new Agreement(scope, ICC2, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, note),
                    new Agreement(scope, ICC3, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, note));
        }
        Block b = blocks.get(0);
        IntraclassCorrelation.Result r = b.icc();
        int k = b.raterIds().size();
        String note = "largest complete block: " + describe(b) + (r.note() == null ? "" : "; " + r.note());
        return List.of(
                new Agreement(scope, ICC2, r.icc21().value(), r.icc21().low(), r.icc21().high(), b.units(),
                        b.units() * k, k, note),
                new Agreement(scope, ICC3, r.icc31().value(), r.icc31().low(), r.icc31().high(), b.units(),
                        b.units() * k, k, note));
    }

    /** A block by its size and its raters' teams, no ids: "71 interactions rated by the same 6 raters (...)". */
    static String describe(Block b) {
        Map<String, Integer> byTeam = new TreeMap<>(Comparator.comparingInt(t -> TEAMS.indexOf(t) < 0 ? 99
                : TEAMS.indexOf(t)));
        b.raterTeams().forEach(t -> byTeam.merge(t, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        byTeam.forEach((t, n) -> parts.add(n + " " + t.replace('_', '-')));
        return String.format(Locale.ROOT, "%,d interactions rated by the same %d raters (%s)", b.units(),
                b.raterIds().size(), String.join(" and ", parts));
    }

    // ---------------------------------------------------------------- differences from calibration

    /** A running mean and variance (Welford), mergeable enough for this use. */
    static final class Moments {
        long n;
        double mean;
        double squares;

        void add(double x) {
            n++;
            double d = x - mean;
            mean += d / n;
            squares += d * (x - mean);
        }

        double sd() {
            return n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1));
        }

        double se() {
            return sd() / Math.sqrt(n);
        }

        /** The t interval of the mean: {@code mean -+ t(n - 1) se}; NaN ends with fewer than two values. */
        double[] interval() {
            if (n < 2) {
                return new double[] {Double.NaN, Double.NaN};
            }
            double t = new TDistribution(null, n - 1, 1e-14).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
            return new double[] {mean - t * se(), mean + t * se()};
        }
    }

    /**
     * The least-squares line of a team's per-interaction difference on the month of the contact
     * (calendar months from the first month of the data), with the classical t interval of its
     * slope on {@code n - 2} degrees of freedom.
     */
    static final class Trend {
        long n;
        double sx;
        double sy;
        double sxx;
        double sxy;
        double syy;

        void add(double x, double y) {
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
        }

        /** Slope, lower and upper end; NaN without three interactions in two months or more. */
        double[] slope() {
            double cxx = sxx - sx * sx / n;
            if (n < 3 || !(cxx > 1e-12)) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN};
            }
            double cxy = sxy - sx * sy / n;
            double cyy = syy - sy * sy / n;
            double b = cxy / cxx;
            double se = Math.sqrt(Math.max(0, cyy - b * cxy) / (n - 2) / cxx);
            double t = new TDistribution(null, n - 2, 1e-14).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
            return new double[] {b, b - t * se, b + t * se};
        }
    }

    /** The differences from the calibration team, per rater, per team, and per team and month. */
    private static final class Differences {
        Moments[] rater;
        Map<String, Moments> team = new TreeMap<>();
        Map<String, Trend> trend = new TreeMap<>();
        Map<String, Moments[]> teamByMonth = new TreeMap<>();
        Map<String, long[]> teamRatingsByMonth = new TreeMap<>();
        Map<String, Long> teamRatings = new TreeMap<>();
        /** Units behind the in-house or the outsourced difference. */
        BitSet compared = new BitSet();
        long shared;
    }

    /**
     * On every interaction the calibration team rated: each other rating minus the calibration
     * team's mean rating there; each calibration rating minus the mean of the other calibration
     * ratings there (when there are others); each compared team's mean rating there minus the
     * calibration mean.
     */
    private Differences differences() {
        Differences d = new Differences();
        d.rater = new Moments[data.raters()];
        for (int r = 0; r < data.raters(); r++) {
            d.rater[r] = new Moments();
        }
        int months = data.months.size();
        // Calendar months from the first month of the data: a month without ratings still counts as one.
        int[] monthNumber = new int[months];
        for (int m = 0; m < months; m++) {
            String[] ym = data.months.get(m).split("-");
            monthNumber[m] = Integer.parseInt(ym[0]) * 12 + Integer.parseInt(ym[1]) - 1;
        }
        for (int m = months - 1; m >= 0; m--) {
            monthNumber[m] -= monthNumber[0];
        }
        for (String t : COMPARED) {
            d.team.put(t, new Moments());
            d.trend.put(t, new Trend());
            Moments[] byMonth = new Moments[months];
            for (int m = 0; m < months; m++) {
                byMonth[m] = new Moments();
            }
            d.teamByMonth.put(t, byMonth);
            d.teamRatingsByMonth.put(t, new long[months]);
            d.teamRatings.put(t, 0L);
        }
        for (int u = 0; u < data.units(); u++) {
            double calSum = 0;
            int calN = 0;
            boolean other = false;
            for (int i = data.start[u]; i < data.start[u + 1]; i++) {
                if (REFERENCE.equals(data.raterTeams.get(data.rater[i]))) {
                    calSum += data.score[i];
                    calN++;
                } else {
                    other = true;
                }
            }
            if (calN == 0) {
                continue;
            }
            if (other) {
                d.shared++;
            }
            double calMean = calSum / calN;
            for (String t : COMPARED) {
                double sum = 0;
                int n = 0;
                for (int i = data.start[u]; i < data.start[u + 1]; i++) {
                    if (t.equals(data.raterTeams.get(data.rater[i]))) {
                        sum += data.score[i];
                        n++;
                    }
                }
                if (n == 0) {
                    continue;
                }
                double diff = sum / n - calMean;
                d.team.get(t).add(diff);
                d.teamRatings.merge(t, (long) n, Long::sum);
                d.compared.set(u);
                int m = data.month[u];
                if (m >= 0) {
                    d.trend.get(t).add(monthNumber[m], diff);
                    d.teamByMonth.get(t)[m].add(diff);
                    d.teamRatingsByMonth.get(t)[m] += n;
                }
            }
            for (int i = data.start[u]; i < data.start[u + 1]; i++) {
                int r = data.rater[i];
                if (!REFERENCE.equals(data.raterTeams.get(r))) {
                    d.rater[r].add(data.score[i] - calMean);
                } else if (calN >= 2) {
                    d.rater[r].add(data.score[i] - (calSum - data.score[i]) / (calN - 1));
                }
            }
        }
        return d;
    }

    private List<Bias> bias(Differences d) {
        List<Bias> rows = new ArrayList<>();
        for (String t : COMPARED) {
            Moments m = d.team.get(t);
            double[] ci = m.interval();
            rows.add(new Bias("team", t, null, m.n == 0 ? Double.NaN : m.mean, ci[0], ci[1], m.n, m.sd(), null,
                    m.n == 0 ? "no interaction rated by this team and the calibration team" : null));
        }
        // The most lenient and the strictest of the compared teams' raters with enough shared interactions.
        int lenient = -1;
        int strict = -1;
        int ranked = 0;
        for (int r = 0; r < data.raters(); r++) {
            if (COMPARED.contains(data.raterTeams.get(r)) && d.rater[r].n >= options.minShared()) {
                ranked++;
                lenient = lenient < 0 || d.rater[r].mean > d.rater[lenient].mean ? r : lenient;
                strict = strict < 0 || d.rater[r].mean < d.rater[strict].mean ? r : strict;
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < data.raters(); r++) {
            order.add(r);
        }
        order.sort(Comparator.comparingInt((Integer r) -> teamOrder(data.raterTeams.get(r)))
                .thenComparing(r -> data.raterIds.get(r)));
        for (int r : order) {
            Moments m = d.rater[r];
            double[] ci = m.interval();
            String mark = ranked >= 2 && r == lenient ? "most_lenient" : ranked >= 2 && r == strict ? "strictest" : null;
            String note = null;
            if (m.n == 0) {
                note = REFERENCE.equals(data.raterTeams.get(r))
                        ? "never rated an interaction another calibration rater rated"
                        : "never rated an interaction the calibration team rated";
            } else if (REFERENCE.equals(data.raterTeams.get(r))) {
                note = "difference from the other calibration raters";
            }
            rows.add(new Bias("rater", data.raterTeams.get(r), data.raterIds.get(r), m.n == 0 ? Double.NaN : m.mean,
                    ci[0], ci[1], m.n, m.sd(), mark, note));
        }
        return rows;
    }

    private static int teamOrder(String team) {
        int i = TEAMS.indexOf(team);
        return i < 0 ? TEAMS.size() : i;
    }

    // ---------------------------------------------------------------- drift and gap

    private List<Drift> drift(Differences d) {
        List<Drift> rows = new ArrayList<>();
        for (String t : COMPARED) {
            Trend trend = d.trend.get(t);
            double[] b = trend.slope();
            rows.add(new Drift(ALL, t, Calibration.TREND, b[0], b[1], b[2], trend.n, d.teamRatings.get(t),
                    Double.isNaN(b[0]) ? "no trend: fewer than three interactions shared with the calibration team, "
                            + "or one month" : null));
        }
        for (int m = 0; m < data.months.size(); m++) {
            String month = data.months.get(m);
            int index = m;
            Agreement a = alpha(ALL, "alpha month " + month, u -> data.month[u] == index);
            rows.add(new Drift(month, ALL, ALPHA, a.estimate(), a.ciLow(), a.ciHigh(), a.units(), a.ratings(),
                    a.note()));
            for (String t : COMPARED) {
                Moments mo = d.teamByMonth.get(t)[m];
                double[] ci = mo.interval();
                rows.add(new Drift(month, t, DIFFERENCE, mo.n == 0 ? Double.NaN : mo.mean, ci[0], ci[1], mo.n,
                        d.teamRatingsByMonth.get(t)[m], mo.n == 0 ? "no interaction rated by this team and the "
                        + "calibration team this month" : mo.n == 1 ? "one interaction: no interval" : null));
            }
        }
        return rows;
    }

    /**
     * Outsourced minus in-house: the difference from calibration (Welch's interval, which takes
     * the two teams' interactions as independent; they share some, with a positive covariance
     * through the calibration mean, so the interval is if anything wide), and alpha among each
     * team's own raters (a joint bootstrap of the interactions, both alphas from each resample).
     */
    private List<Gap> gap(Differences d) {
        List<Gap> rows = new ArrayList<>();
        Moments in = d.team.get("in_house");
        Moments out = d.team.get("outsourced");
        double gap = out.n == 0 || in.n == 0 ? Double.NaN : out.mean - in.mean;
        double low = Double.NaN;
        double high = Double.NaN;
        String note = null;
        if (in.n >= 2 && out.n >= 2) {
            double vi = in.se() * in.se();
            double vo = out.se() * out.se();
            double se = Math.sqrt(vi + vo);
            double df = (vi + vo) * (vi + vo) / (vi * vi / (in.n - 1) + vo * vo / (out.n - 1));
            if (se > 0 && Double.isFinite(df)) {
                double t = new TDistribution(null, df, 1e-14).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
                low = gap - t * se;
                high = gap + t * se;
            } else {
                low = gap;
                high = gap;
            }
        } else {
            note = "each team needs two interactions shared with the calibration team";
        }
        rows.add(new Gap("difference_from_calibration", in.n == 0 ? Double.NaN : in.mean,
                out.n == 0 ? Double.NaN : out.mean, gap, low, high, d.compared.cardinality(), note));

        List<UnitSummary> ins = new ArrayList<>();
        List<UnitSummary> outs = new ArrayList<>();
        for (int u = 0; u < data.units(); u++) {
            UnitSummary i = summary(u, "in_house");
            UnitSummary o = summary(u, "outsourced");
            if (i.values() >= 2 || o.values() >= 2) {
                ins.add(i);
                outs.add(o);
            }
        }
        KrippendorffAlpha.Result ai = KrippendorffAlpha.interval(ins);
        KrippendorffAlpha.Result ao = KrippendorffAlpha.interval(outs);
        double alphaGap = ao.alpha() - ai.alpha();
        double lowA = Double.NaN;
        double highA = Double.NaN;
        String noteA = null;
        if (!Double.isFinite(alphaGap)) {
            noteA = "alpha is not defined for " + (ai.defined() ? "the outsourced" : "the in-house") + " raters";
        } else if (options.resamples() == 0) {
            noteA = "no bootstrap interval: --resamples 0";
        } else {
            double centreIn = centre(ins);
            double centreOut = centre(outs);
            UnitBootstrap.Interval interval = UnitBootstrap.percentile(ins.size(), options.resamples(),
                    seed("alpha gap"), LEVEL, copies -> {
                        KrippendorffAlpha.Sums si = new KrippendorffAlpha.Sums(centreIn);
                        KrippendorffAlpha.Sums so = new KrippendorffAlpha.Sums(centreOut);
                        for (int i = 0; i < copies.length; i++) {
                            if (copies[i] > 0) {
                                si.accept(ins.get(i), copies[i]);
                                so.accept(outs.get(i), copies[i]);
                            }
                        }
                        return so.result().alpha() - si.result().alpha();
                    });
            lowA = interval.low();
            highA = interval.high();
            if (!interval.given()) {
                noteA = String.format(Locale.ROOT, "no interval: a team's alpha is not defined in %d of %d resamples",
                        interval.resamples() - interval.defined(), interval.resamples());
            }
        }
        rows.add(new Gap(ALPHA, ai.alpha(), ao.alpha(), alphaGap, lowA, highA, ins.size(), noteA));
        return rows;
    }

    private static double centre(List<UnitSummary> units) {
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
}
