package dev.empathy.lib.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cohen's kappa: the agreement of two raters who each put the same items into one of {@code k}
 * categories, corrected for the agreement their marginal rates would give by chance:
 * {@code kappa = (po - pe) / (1 - pe)}, where {@code po = sum_i n_ii / n} is the observed
 * agreement and {@code pe = sum_i (n_i. / n)(n_.i / n)} the chance agreement (Cohen 1960,
 * "A coefficient of agreement for nominal scales").
 *
 * <p>The standard error is the large-sample one of Fleiss, Cohen and Everitt (1969, "Large
 * sample standard errors of kappa and weighted kappa"), which is the delta method on the
 * multinomial cell proportions {@code p_ij}:
 * <pre>
 * var = ( sum_i p_ii [1 - (p_i. + p_.i)(1 - kappa)]^2
 *       + (1 - kappa)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
 *       - [kappa - pe (1 - kappa)]^2 ) / (n (1 - pe)^2)
 * </pre>
 * Landis and Koch (1977) read 0.61 to 0.80 as "substantial" agreement.
 */
public final class CohensKappa {

    private CohensKappa() {
    }

    /** Kappa with its parts and its standard error. */
    public record Agreement(double kappa, double observed, double expected, long n, double stdError) {

        /** The normal interval {@code kappa +- z se} at {@code level}, not clipped to [-1, 1]. */
        public Proportions.Interval interval(double level) {
            double half = Proportions.z(level) * stdError;
            return new Proportions.Interval(kappa, kappa - half, kappa + half);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "kappa %.3f (se %.3f), observed agreement %.3f, chance %.3f, n %d",
                    kappa, stdError, observed, expected, n);
        }
    }

    /**
     * Kappa of a square table whose cell {@code [i][j]} counts the items rater one put in
     * category {@code i} and rater two in {@code j}. NaN kappa when both raters used one and the
     * same category for everything (chance agreement 1) or the table is empty.
     */
    public static Agreement of(long[][] table) {
        int k = table.length;
        long n = 0;
        long[] rows = new long[k];
        long[] cols = new long[k];
        for (int i = 0; i < k; i++) {
            if (table[i].length != k) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "kappa table: row %d has %d cells, expected %d (a square table)", i, table[i].length, k));
            }
            for (int j = 0; j < k; j++) {
                if (table[i][j] < 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "kappa table: cell [%d][%d] is %d, counts cannot be negative", i, j, table[i][j]));
                }
                n += table[i][j];
                rows[i] += table[i][j];
                cols[j] += table[i][j];
            }
        }
        if (n == 0) {
            return new Agreement(Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN);
        }
        double po = 0;
        double pe = 0;
        for (int i = 0; i < k; i++) {
            po += (double) table[i][i] / n;
            pe += ((double) rows[i] / n) * ((double) cols[i] / n);
        }
        double kappa = (po - pe) / (1 - pe);
        double q = 1 - kappa;
        double diagonal = 0;
        double offDiagonal = 0;
        for (int i = 0; i < k; i++) {
            double rowI = (double) rows[i] / n;
            double colI = (double) cols[i] / n;
            for (int j = 0; j < k; j++) {
                double p = (double) table[i][j] / n;
                if (i == j) {
                    double t = 1 - (rowI + colI) * q;
                    diagonal += p * t * t;
                } else {
                    double t = colI + (double) rows[j] / n;
                    offDiagonal += p * t * t;
                }
            }
        }
        double last = kappa - pe * q;
        double variance = (diagonal + q * q * offDiagonal - last * last) / (n * (1 - pe) * (1 - pe));
        return new Agreement(kappa, po, pe, n, Math.sqrt(Math.max(0, variance)));
    }

    /**
     * Kappa of two raters' labels of the same items, in the same order; the categories are the
     * labels either rater used.
     */
    public static <T> Agreement of(List<? extends T> raterOne, List<? extends T> raterTwo) {
        if (raterOne.size() != raterTwo.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "kappa: rater one labelled %d items and rater two %d, expected the same items",
                    raterOne.size(), raterTwo.size()));
        }
        List<T> categories = new ArrayList<>();
        for (List<? extends T> labels : List.of(raterOne, raterTwo)) {
            for (T label : labels) {
                Objects.requireNonNull(label, "kappa: a label is null");
                if (!categories.contains(label)) {
                    categories.add(label);
                }
            }
        }
        long[][] table = new long[categories.size()][categories.size()];
        for (int item = 0; item < raterOne.size(); item++) {
            table[categories.indexOf(raterOne.get(item))][categories.indexOf(raterTwo.get(item))]++;
        }
        return of(table);
    }
}
