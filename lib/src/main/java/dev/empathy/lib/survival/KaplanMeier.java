package dev.empathy.lib.survival;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Kaplan-Meier survival curves, one per group, from per-time counts (so the counts can come
 * from a Spark aggregation as well as from arrays).
 *
 * <p>{@code S(t) = prod_{t_i <= t} (1 - d_i / n_i)}; Greenwood's variance of {@code log S} is
 * {@code sum d_i / (n_i (n_i - d_i))}; the standard error reported is that of {@code S}
 * ({@code S sqrt(...)}, as R's {@code summary(survfit)} prints it), and the interval is
 * {@code exp(log S -/+ z sqrt(...))}, capped at 1 (R's default {@code conf.type = "log"}).
 * Kaplan, E. L. and Meier, P. (1958); Greenwood, M. (1926).
 */
public final class KaplanMeier {

    private KaplanMeier() {
    }

    /** Counts at one distinct time: events and censorings. */
    public record TimeCount(long events, long censored) {
        public TimeCount plus(TimeCount o) {
            return new TimeCount(events + o.events, censored + o.censored);
        }
    }

    /** Curves from raw observations; {@code group} may be null for one curve named {@code all}. */
    public static List<SurvivalRow> fit(double[] time, double[] event, String[] group, double confidenceLevel) {
        Map<String, TreeMap<Double, TimeCount>> counts = new TreeMap<>();
        for (int i = 0; i < time.length; i++) {
            String g = group == null ? "all" : group[i];
            boolean died = event[i] != 0;
            counts.computeIfAbsent(g, k -> new TreeMap<>())
                    .merge(time[i], new TimeCount(died ? 1 : 0, died ? 0 : 1), TimeCount::plus);
        }
        return fromCounts(counts, confidenceLevel);
    }

    /** Curves from per-group, per-time counts (groups in sorted order). */
    public static List<SurvivalRow> fromCounts(Map<String, TreeMap<Double, TimeCount>> counts, double confidenceLevel) {
        double z = new NormalDistribution().inverseCumulativeProbability(0.5 + confidenceLevel / 2);
        List<SurvivalRow> rows = new ArrayList<>();
        for (var group : counts.entrySet()) {
            long atRisk = group.getValue().values().stream().mapToLong(c -> c.events() + c.censored()).sum();
            double survival = 1.0;
            double greenwood = 0.0;
            for (var at : group.getValue().entrySet()) {
                long d = at.getValue().events();
                if (d > 0) {
                    survival *= 1.0 - (double) d / atRisk;
                    greenwood += atRisk == d ? Double.POSITIVE_INFINITY : (double) d / ((double) atRisk * (atRisk - d));
                }
                double se = survival * Math.sqrt(greenwood);
                double low = Double.NaN;
                double high = Double.NaN;
                if (survival > 0 && !Double.isInfinite(greenwood)) {
                    double spread = z * Math.sqrt(greenwood);
                    low = Math.exp(Math.log(survival) - spread);
                    high = Math.min(1.0, Math.exp(Math.log(survival) + spread));
                }
                rows.add(new SurvivalRow(group.getKey(), at.getKey(), atRisk, d, at.getValue().censored(), survival,
                        Double.isInfinite(greenwood) ? Double.NaN : se, low, high));
                atRisk -= d + at.getValue().censored();
            }
        }
        return rows;
    }
}
