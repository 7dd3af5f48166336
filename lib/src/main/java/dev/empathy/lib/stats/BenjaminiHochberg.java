package dev.empathy.lib.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Benjamini and Hochberg's (1995) step-up adjustment of p-values, which controls the false
 * discovery rate: with the {@code m} p-values sorted, {@code p_(1) <= ... <= p_(m)}, the adjusted
 * value of the {@code i}-th is {@code q_(i) = min_{j >= i} min(1, m p_(j) / j)} (R's
 * {@code p.adjust(p, "BH")}). A NaN p-value is no test: it is left out of {@code m} and its
 * adjusted value is NaN.
 */
public final class BenjaminiHochberg {

    private BenjaminiHochberg() {
    }

    /** The adjusted values, in the order of {@code p}; NaN where {@code p} is NaN. */
    public static double[] adjust(double[] p) {
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        Integer[] order = java.util.stream.IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i]))
                .boxed().sorted(Comparator.comparingDouble((Integer i) -> p[i]).thenComparingInt(i -> i))
                .toArray(Integer[]::new);
        int m = order.length;
        double running = 1;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            if (p[i] < 0 || p[i] > 1) {
                throw new IllegalArgumentException("p-value " + p[i] + " is not in 0..1");
            }
            running = Math.min(running, (double) m * p[i] / rank);
            q[i] = running;
        }
        return q;
    }
}
