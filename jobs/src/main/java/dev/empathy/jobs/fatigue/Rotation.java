package dev.empathy.jobs.fatigue;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.lib.regression.Estimate;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Agents to rotate out of the high-empathy queue, for the scheduling team.
 *
 * <p><b>Recent load.</b> An agent's recent shifts are those that started in the last
 * {@code recentDays} days of the data: after {@code dataEnd - recentDays} and at or before
 * {@code dataEnd}, the latest {@code started_at} of any contact (shifts rostered beyond the last
 * contact are not counted as worked). An agent is listed when at least {@code minShifts} recent
 * shifts were worked and the share of them on the high-empathy queue is at least {@code share}.
 *
 * <p><b>Recovery</b>: the within-agent effect of the previous shift being high-empathy on the QA
 * empathy score, turned around ({@code -estimate}, interval {@code -ci_high} to {@code -ci_low}):
 * the points a contact is expected to gain when the shift before it was general rather than
 * high-empathy. It is one estimate for every agent (an agent's own would rest on too few contacts).
 *
 * <p><b>Recommended general shifts</b>: the fewest general shifts after which, if the agent keeps
 * working as many shifts per {@code recentDays} as lately, fewer than {@code share} of their
 * last {@code n} shifts ({@code n} = recent shifts) would be high-empathy: with the recent
 * shifts oldest first as {@code h_1 .. h_n} (1 = high-empathy), the smallest {@code k >= 1} with
 * {@code (h_(k+1) + ... + h_n) / n < share}.
 */
final class Rotation {

    private Rotation() {
    }

    /** The agents listed, and how many were judged (had at least the minimum of recent shifts). */
    record Listed(List<Fatigue.RotationRow> rows, long judged) {
    }

    static Listed list(Dataset<Row> shiftLoad, Instant dataEnd, Fatigue.Options options, Estimate afterHigh) {
        if (dataEnd == null) {
            return new Listed(List.of(), 0);
        }
        Timestamp end = Timestamp.from(dataEnd);
        Timestamp from = Timestamp.from(dataEnd.minus(Duration.ofDays(options.recentDays())));
        Dataset<Row> recent = shiftLoad.filter(col("start_at").gt(lit(from)).and(col("start_at").leq(lit(end))))
                .select(col("agent_id"), col("shift_id"), col("start_at"), col("queue"), col("high_empathy"),
                        col("hostile_minutes"));
        Dataset<Row> judged = recent.groupBy(col("agent_id")).agg(count(lit(1)).as("n"),
                        sum(when(col("high_empathy"), 1L).otherwise(0L)).as("high"))
                .filter(col("n").geq(options.minRecentShifts()));
        long judgedAgents = judged.count();
        Dataset<Row> flagged = judged.filter(col("high").geq(col("n").multiply(options.rotationShare())))
                .select(col("agent_id").as("flagged_agent"));
        double recovery = -afterHigh.estimate();
        double low = -afterHigh.ciHigh();
        double high = -afterHigh.ciLow();
        Map<String, List<Row>> byAgent = new LinkedHashMap<>();
        for (Row r : recent.join(broadcast(flagged), col("agent_id").equalTo(col("flagged_agent")))
                .select("agent_id", "start_at", "shift_id", "queue", "high_empathy", "hostile_minutes")
                .orderBy(col("agent_id"), col("start_at"), col("shift_id")).collectAsList()) {
            byAgent.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        List<Fatigue.RotationRow> rows = new ArrayList<>();
        byAgent.forEach((agent, shifts) -> {
            int n = shifts.size();
            boolean[] h = new boolean[n];
            long highCount = 0;
            double hostile = 0;
            for (int i = 0; i < n; i++) {
                h[i] = shifts.get(i).getBoolean(4);
                highCount += h[i] ? 1 : 0;
                hostile += shifts.get(i).getDouble(5);
            }
            Row last = shifts.get(n - 1);
            rows.add(new Fatigue.RotationRow(agent, n, highCount, (double) highCount / n, hostile,
                    last.isNullAt(3) ? null : last.getString(3), recovery, low, high,
                    generalShifts(h, options.rotationShare())));
        });
        rows.sort(java.util.Comparator.comparingDouble(Fatigue.RotationRow::recentHighEmpathyShare).reversed()
                .thenComparing(Fatigue.RotationRow::agentId));
        return new Listed(rows, judgedAgents);
    }

    /** The smallest k >= 1 such that the high shifts among the last n after k general ones are below the share. */
    static int generalShifts(boolean[] highOldestFirst, double share) {
        int n = highOldestFirst.length;
        long remaining = 0;
        for (boolean b : highOldestFirst) {
            remaining += b ? 1 : 0;
        }
        for (int k = 1; k <= n; k++) {
            remaining -= highOldestFirst[k - 1] ? 1 : 0;
            if (remaining < share * n) {
                return k;
            }
        }
        return n;
    }
}
