package dev.empathy.jobs.fatigue;

import static dev.empathy.jobs.spark.Deterministic.exactSum;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.lib.stats.ClusteredMean;
import dev.empathy.lib.stats.ClusteredSpearman;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The weekly fatigue index and how it goes with the agents' own pulse.
 *
 * <p><b>Index</b> per agent and ISO week (of the shift's {@code start_at}) = hours worked on the
 * high-empathy queue + hours spent with hostile customers on any queue ({@code hostile_minutes}
 * / 60). Both are hours of demanding work: a week of five eight-hour high-empathy shifts is 40
 * plus its hostile hours; a week of general shifts is its hostile hours alone.
 *
 * <p><b>Pulse</b>: the mean {@code fatigue} of the agent's pulse answers whose
 * {@code surveyed_at} falls in that ISO week. Pulse answers in weeks without shifts are counted
 * and not used.
 */
final class FatigueIndex {

    /** Upper edges of the index bands of the chart, in hours; the last band is open. */
    static final double[] BAND_EDGES = {8, 16, 24, 32, 40};

    private FatigueIndex() {
    }

    /** The index rows (every agent-week with a shift, sorted by agent and week) and the pulse counts. */
    record Weeks(List<Fatigue.WeekIndex> rows, long pulseAnswers, long pulseAnswersInWeeksWithShifts) {
    }

    static Weeks weeks(Dataset<Row> shiftLoad, Dataset<Row> pulse) {
        Dataset<Row> weeks = shiftLoad.groupBy(col("agent_id"), col("iso_week")).agg(
                count(lit(1)).as("shifts"), exactSum(col("shift_hours")).as("hours"),
                sum(when(col("high_empathy"), 1L).otherwise(0L)).as("high_empathy_shifts"),
                exactSum(when(col("high_empathy"), col("shift_hours")).otherwise(0.0)).as("high_empathy_hours"),
                exactSum(col("hostile_minutes")).as("hostile_minutes"));
        long answers = 0;
        if (pulse != null) {
            Dataset<Row> perWeek = pulse.groupBy(col("agent_id").as("pulse_agent"),
                            ShiftLoad.isoWeek(col("surveyed_at")).as("pulse_week"))
                    .agg(avg(col("fatigue")).as("pulse_fatigue"), count(lit(1)).as("pulse_answers"));
            weeks = weeks.join(perWeek, col("agent_id").equalTo(col("pulse_agent"))
                    .and(col("iso_week").equalTo(col("pulse_week"))), "left");
            answers = pulse.count();
        } else {
            weeks = weeks.withColumn("pulse_fatigue", lit(null).cast("double"))
                    .withColumn("pulse_answers", lit(null).cast("long"));
        }
        List<Fatigue.WeekIndex> rows = new ArrayList<>();
        long matched = 0;
        for (Row r : weeks.select("agent_id", "iso_week", "shifts", "hours", "high_empathy_shifts",
                "high_empathy_hours", "hostile_minutes", "pulse_fatigue", "pulse_answers")
                .orderBy(col("agent_id"), col("iso_week")).collectAsList()) {
            long answered = r.isNullAt(8) ? 0 : r.getLong(8);
            matched += answered;
            double highHours = r.getDouble(5);
            double hostile = r.getDouble(6);
            rows.add(new Fatigue.WeekIndex(r.getString(0), r.getString(1), r.getLong(2), r.getDouble(3),
                    r.getLong(4), highHours, hostile, highHours + hostile / 60, r.isNullAt(7) ? Double.NaN
                    : r.getDouble(7), answered));
        }
        return new Weeks(rows, answers, matched);
    }

    /**
     * Spearman's rho of the index and the pulse over the agent-weeks with both: pooled with the
     * agent-cluster bootstrap, and within agents (see {@link ClusteredSpearman}).
     */
    static List<Fatigue.PulseCorrelation> correlations(List<Fatigue.WeekIndex> rows, int replicates, long seed) {
        List<double[]> pairs = new ArrayList<>();
        Map<String, Integer> agents = new TreeMap<>();
        List<String> agentOf = new ArrayList<>();
        for (Fatigue.WeekIndex w : rows) {
            if (w.pulseAnswers() > 0) {
                pairs.add(new double[] {w.index(), w.pulse()});
                agentOf.add(w.agentId());
                agents.putIfAbsent(w.agentId(), 0);
            }
        }
        int code = 0;
        for (Map.Entry<String, Integer> e : agents.entrySet()) {
            e.setValue(code++);
        }
        double[] x = new double[pairs.size()];
        double[] y = new double[pairs.size()];
        int[] cluster = new int[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            x[i] = pairs.get(i)[0];
            y[i] = pairs.get(i)[1];
            cluster[i] = agents.get(agentOf.get(i));
        }
        ClusteredSpearman s = ClusteredSpearman.of(x, y, cluster);
        List<Fatigue.PulseCorrelation> out = new ArrayList<>();
        out.add(correlation("pooled", s.pooled(replicates, seed, 0.95)));
        out.add(correlation("within_agent", s.withinClusters(replicates, seed, 0.95)));
        return out;
    }

    private static Fatigue.PulseCorrelation correlation(String method, ClusteredSpearman.Result r) {
        String note = null;
        if (r.pairs() == 0) {
            note = "no agent-week had both shifts and a pulse answer";
        } else if (Double.isNaN(r.rho())) {
            note = "no correlation: the index or the pulse was the same in every agent-week compared";
        } else if (r.replicates() == 0) {
            note = "no interval: the bootstrap was switched off (--bootstrap 0)";
        } else if (r.clusters() < 2) {
            note = "no interval: the pairs came from a single agent";
        } else if (Double.isNaN(r.low())) {
            note = "no interval: no bootstrap replicate had a correlation";
        } else if (r.usable() < r.replicates()) {
            note = String.format(java.util.Locale.ROOT, "%d of %d replicates had no correlation and were left out",
                    r.replicates() - r.usable(), r.replicates());
        }
        return new Fatigue.PulseCorrelation(method, r, note);
    }

    /** The label of the band an index value falls in ({@code 0-8}, ..., {@code 40+}, hours). */
    static String band(double index) {
        double low = 0;
        for (double edge : BAND_EDGES) {
            if (index < edge) {
                return String.format(java.util.Locale.ROOT, "%.0f-%.0f", low, edge);
            }
            low = edge;
        }
        return String.format(java.util.Locale.ROOT, "%.0f+", low);
    }

    /** Every band's label, in order. */
    static List<String> bands() {
        List<String> labels = new ArrayList<>();
        double low = 0;
        for (double edge : BAND_EDGES) {
            labels.add(String.format(java.util.Locale.ROOT, "%.0f-%.0f", low, edge));
            low = edge;
        }
        labels.add(String.format(java.util.Locale.ROOT, "%.0f+", low));
        return labels;
    }

    /** Mean pulse per index band, clustered by agent (each agent's weeks in the band are one cluster). */
    static List<Fatigue.PulseByBand> pulseByBand(List<Fatigue.WeekIndex> rows) {
        Map<String, Map<String, double[]>> byBand = new LinkedHashMap<>();
        for (String b : bands()) {
            byBand.put(b, new TreeMap<>());
        }
        for (Fatigue.WeekIndex w : rows) {
            if (w.pulseAnswers() == 0) {
                continue;
            }
            double[] s = byBand.get(band(w.index())).computeIfAbsent(w.agentId(), k -> new double[2]);
            s[0]++;
            s[1] += w.pulse();
        }
        List<Fatigue.PulseByBand> out = new ArrayList<>();
        byBand.forEach((band, agents) -> {
            ClusteredMean m = new ClusteredMean();
            agents.values().forEach(s -> m.add((long) s[0], s[1]));
            out.add(new Fatigue.PulseByBand(band, m.result(0.95)));
        });
        return out;
    }
}
