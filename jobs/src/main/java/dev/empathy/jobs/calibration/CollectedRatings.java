package dev.empathy.jobs.calibration;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The ratings of the interactions two or more raters rated, on the driver, in primitive arrays:
 * the units (interactions) in {@code interaction_id} order, each with its month and its ratings,
 * one per rater (repeated ratings of a rater already averaged), in rater order. No interaction
 * id is kept, only its position.
 *
 * <p>The qa_ratings table is small (a few percent of the scored contacts, two to four ratings
 * each: about 1.2 million ratings at 10 million generated interactions, some 16 bytes each here), so
 * collecting the ratings of the pairable interactions costs less than the passes a Spark
 * aggregate per statistic, per bootstrap resample and per block would.
 */
final class CollectedRatings {

    /** Rater {@code r}'s team and id, raters sorted by team, then id. */
    final List<String> raterTeams;
    final List<String> raterIds;
    /** The months, {@code yyyy-MM}, ascending. */
    final List<String> months;
    /** Unit {@code u}'s ratings are {@code start[u]} to {@code start[u + 1] - 1}. */
    final int[] start;
    /** Unit {@code u}'s month, an index of {@link #months}, or -1 when unknown. */
    final int[] month;
    final int[] rater;
    final double[] score;

    private CollectedRatings(List<String> raterTeams, List<String> raterIds, List<String> months, int[] start,
                             int[] month, int[] rater, double[] score) {
        this.raterTeams = List.copyOf(raterTeams);
        this.raterIds = List.copyOf(raterIds);
        this.months = List.copyOf(months);
        this.start = start;
        this.month = month;
        this.rater = rater;
        this.score = score;
    }

    int units() {
        return month.length;
    }

    int raters() {
        return raterIds.size();
    }

    int ratings() {
        return score.length;
    }

    /**
     * Reads {@code rows} (columns {@code interaction_id, month, rater_team, rater_id, score},
     * sorted by interaction, team and rater, one row per interaction and rater) one partition at
     * a time.
     */
    static CollectedRatings collect(Dataset<Row> rows, List<String[]> raters, List<String> months) {
        return from(rows.select(col("interaction_id"), col("month"), col("rater_team"), col("rater_id"),
                col("score")).toLocalIterator(), raters, months);
    }

    /** As {@link #collect}, from rows already at hand. */
    static CollectedRatings from(Iterator<Row> rows, List<String[]> raters, List<String> months) {
        Map<String, Integer> raterIndex = new HashMap<>();
        List<String> teams = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String[] r : raters) {
            raterIndex.put(key(r[0], r[1]), teams.size());
            teams.add(r[0]);
            ids.add(r[1]);
        }
        Map<String, Integer> monthIndex = new HashMap<>();
        for (int i = 0; i < months.size(); i++) {
            monthIndex.put(months.get(i), i);
        }
        IntList start = new IntList();
        IntList month = new IntList();
        IntList rater = new IntList();
        double[] score = new double[1024];
        int n = 0;
        String current = null;
        while (rows.hasNext()) {
            Row row = rows.next();
            String id = row.getString(0);
            if (!id.equals(current)) {
                current = id;
                start.add(n);
                month.add(row.isNullAt(1) ? -1 : monthIndex.getOrDefault(row.getString(1), -1));
            }
            Integer r = raterIndex.get(key(row.getString(2), row.getString(3)));
            if (r == null) {
                throw new IllegalStateException("rater " + row.getString(3) + " of team " + row.getString(2)
                        + " is not among the raters listed");
            }
            rater.add(r);
            if (n == score.length) {
                score = Arrays.copyOf(score, 2 * n);
            }
            score[n++] = row.getDouble(4);
        }
        start.add(n);
        return new CollectedRatings(teams, ids, months, start.toArray(), month.toArray(), rater.toArray(),
                Arrays.copyOf(score, n));
    }

    private static String key(String team, String id) {
        return team + '\u0000' + id;
    }

    /** A growable array of ints. */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
