package dev.empathy.jobs.repeat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.stats.BackgroundCorrectedOdds;
import dev.empathy.lib.stats.Wald;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The odds ratio of a <em>follow-up</em> contact for documented empathy, corrected for the contacts
 * the customer would have made anyway.
 *
 * <p>A repeat within W days is either the contact's own follow-up (probability {@code p}) or a
 * background contact of the customer (probability {@code q}), so {@code P(no repeat) = (1 - p)(1 - q)}.
 * The control window {@code (4W, 5W]} days after the same contact sees only background contacts
 * ({@link RepeatFlags}), so with {@code Y} the contacts without a repeat and {@code Z} the contacts
 * without a control contact, {@code 1 - p = Y / Z} and {@code log odds(p) = log(Z - Y) - log Y}.
 * Within each stratum of resolved x contact reason the log odds ratio documented versus not is
 * the difference of the two; the strata are pooled by inverse variance. Variances come from the
 * delta method on the counts' covariance clustered by customer (sums of per-customer count
 * vectors, found by one self-join per customer in Spark). A stratum is dropped when a side has
 * fewer than {@link #MIN_COUNT} contacts in {@code Y} or {@code Z - Y}.
 *
 * <p>Every window is estimated in one set of Spark passes, since the cell (documented x resolved
 * x reason) does not depend on the window: one aggregation by customer and cell carries each
 * window's counts; then one pass gives the cells' totals, one the customers counted and one
 * self-join the products, of every window. The counts are longs, so each window's result is the
 * one a pass over that window alone would give.
 *
 * <p>It assumes the background does not depend on documented empathy within a stratum and is
 * stationary over 5W days; the contact's own chain of follow-ups must have died out by 4W days.
 */
final class FollowUpOddsRatio {

    static final int MIN_COUNT = 5;

    record Result(double logOr, double stdError, long contacts, long customers, int strata, int strataDropped) {

        /** The log odds ratio as a term of documented empathy, with its z test and interval. */
        Estimate estimate(double level) {
            return Wald.normal("empathy_documented", logOr, stdError, level);
        }
    }

    private FollowUpOddsRatio() {
    }

    /**
     * Every window's estimate, in the order of {@code windows}. {@code flagged}: customer_id,
     * resolved, contact_reason, empathy_documented (0/1) and each window's repeat and control
     * flags; a row enters a window's counts only when both of that window's flags are non-null,
     * so a row censored for one window still counts for the others.
     */
    static List<Result> estimate(Dataset<Row> flagged, List<Integer> windows) {
        int m = windows.size();
        // The cell does not depend on the window, so one aggregation by (customer, cell) holds
        // every window's counts; a window's y, z and n are 0 where none of its rows are flagged.
        List<Column> perRow = new ArrayList<>(List.of(col("customer_id"),
                concat_ws("|", col("empathy_documented").cast("string"), col("resolved").cast("string"),
                        col("contact_reason")).as("cell")));
        List<Column> sums = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            int w = windows.get(i);
            Column counted = col(RepeatFlags.column(w)).isNotNull().and(col(RepeatFlags.controlColumn(w)).isNotNull());
            perRow.add(when(counted, lit(1).minus(col(RepeatFlags.column(w)))).otherwise(0).as("y" + i));
            perRow.add(when(counted, lit(1).minus(col(RepeatFlags.controlColumn(w)))).otherwise(0).as("z" + i));
            perRow.add(when(counted, 1).otherwise(0).as("n" + i));
            sums.add(sum("y" + i).as("y" + i));
            sums.add(sum("z" + i).as("z" + i));
            sums.add(sum("n" + i).as("n" + i));
        }
        Dataset<Row> perCustomer = flagged.select(perRow.toArray(Column[]::new))
                .groupBy("customer_id", "cell")
                .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).cache();
        try {
            // Each cell's (Y, Z, n) per window: a few rows, one per cell.
            List<Column> totals = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                totals.add(sum("y" + i));
                totals.add(sum("z" + i));
                totals.add(sum("n" + i));
            }
            long[] contacts = new long[m];
            // Per window, the cells with a flagged contact, in order, and their (Y, Z).
            List<Map<String, long[]>> cells = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                cells.add(new TreeMap<>());
            }
            // col("cell"), not "cell": on an input whose plan has a join (the job's), Spark's check
            // for an ambiguous self-join rejects the name alone.
            for (Row r : perCustomer.groupBy(col("cell")).agg(totals.get(0), totals.subList(1, totals.size())
                    .toArray(Column[]::new)).collectAsList()) {
                for (int i = 0; i < m; i++) {
                    long n = r.getLong(3 + 3 * i);
                    contacts[i] += n;
                    if (n > 0) {
                        cells.get(i).put(r.getString(0), new long[] {r.getLong(1 + 3 * i), r.getLong(2 + 3 * i)});
                    }
                }
            }
            // Each window's customers with a flagged contact: summed per customer first, then
            // counted, rather than a distinct count per window (which Spark runs by copying every
            // row once per window).
            List<Column> byCustomer = new ArrayList<>();
            List<Column> counted = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                byCustomer.add(sum("n" + i).as("n" + i));
                // A row without a customer is no customer (as a distinct count and the self-join see it).
                counted.add(count(when(col("n" + i).gt(0).and(col("customer_id").isNotNull()), lit(1))));
            }
            Row counts = perCustomer.groupBy(col("customer_id"))
                    .agg(byCustomer.get(0), byCustomer.subList(1, byCustomer.size()).toArray(Column[]::new))
                    .agg(counted.get(0), counted.subList(1, counted.size()).toArray(Column[]::new)).first();
            long[] customers = new long[m];
            for (int i = 0; i < m; i++) {
                customers[i] = counts.getLong(i);
            }
            List<Map<String, Integer>> indices = new ArrayList<>();
            double[][] total = new double[m][];
            double[][][] cov = new double[m][][];
            for (int i = 0; i < m; i++) {
                Map<String, Integer> index = new TreeMap<>();
                total[i] = new double[2 * cells.get(i).size()];
                for (Map.Entry<String, long[]> e : cells.get(i).entrySet()) {
                    int k = index.size();
                    index.put(e.getKey(), k);
                    total[i][2 * k] = e.getValue()[0];
                    total[i][2 * k + 1] = e.getValue()[1];
                }
                indices.add(index);
                cov[i] = new double[total[i].length][total[i].length];
            }
            // One self-join per customer for every window's sums of per-customer products; a pair
            // with a cell outside a window's index has only zero products there and is skipped.
            List<Column> as = new ArrayList<>(List.of(col("customer_id"), col("cell").as("ca")));
            List<Column> bs = new ArrayList<>(List.of(col("customer_id"), col("cell").as("cb")));
            List<Column> products = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                as.add(col("y" + i).as("ya" + i));
                as.add(col("z" + i).as("za" + i));
                bs.add(col("y" + i).as("yb" + i));
                bs.add(col("z" + i).as("zb" + i));
                products.add(sum(col("ya" + i).multiply(col("yb" + i))));
                products.add(sum(col("ya" + i).multiply(col("zb" + i))));
                products.add(sum(col("za" + i).multiply(col("yb" + i))));
                products.add(sum(col("za" + i).multiply(col("zb" + i))));
            }
            Dataset<Row> a = perCustomer.select(as.toArray(Column[]::new));
            Dataset<Row> b = perCustomer.select(bs.toArray(Column[]::new));
            for (Row r : a.join(b, "customer_id").groupBy("ca", "cb")
                    .agg(products.get(0), products.subList(1, products.size()).toArray(Column[]::new))
                    .collectAsList()) {
                for (int w = 0; w < m; w++) {
                    Integer ca = indices.get(w).get(r.getString(0));
                    Integer cb = indices.get(w).get(r.getString(1));
                    if (ca == null || cb == null) {
                        continue;
                    }
                    int i = 2 * ca;
                    int j = 2 * cb;
                    int at = 2 + 4 * w;
                    cov[w][i][j] = r.getLong(at);
                    cov[w][i][j + 1] = r.getLong(at + 1);
                    cov[w][i + 1][j] = r.getLong(at + 2);
                    cov[w][i + 1][j + 1] = r.getLong(at + 3);
                }
            }
            List<Result> results = new ArrayList<>();
            for (int w = 0; w < m; w++) {
                // Cluster covariance of the totals: (sum t t' - T T' / C) C / (C - 1).
                long c = customers[w];
                double scale = c > 1 ? (double) c / (c - 1) : Double.NaN;
                double[] t = total[w];
                for (int i = 0; i < t.length; i++) {
                    for (int j = 0; j < t.length; j++) {
                        cov[w][i][j] = (cov[w][i][j] - t[i] * t[j] / c) * scale;
                    }
                }
                results.add(pool(indices.get(w), t, cov[w], contacts[w], c));
            }
            return results;
        } finally {
            perCustomer.unpersist();
        }
    }

    /** The per-stratum differences of log odds and their inverse-variance pool ({@link BackgroundCorrectedOdds}). */
    static Result pool(Map<String, Integer> index, double[] total, double[][] cov, long contacts, long customers) {
        BackgroundCorrectedOdds.Pooled p = BackgroundCorrectedOdds.pool(index, total, cov, MIN_COUNT);
        return new Result(p.logOddsRatio(), p.stdError(), contacts, customers, p.strata(), p.strataDropped());
    }
}
