package dev.empathy.lib.regression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Shapley (LMG, Lindeman, Merenda and Gold 1980) decomposition of a linear model's R² among
 * groups of terms: each group's R² gain averaged over every order in which the groups can enter
 * the model. The parts add up to the full model's R² exactly. Every sub-model comes from the
 * full model's factor ({@link QrAccumulator#subset}), so no further pass over the data is needed.
 */
public final class Shapley {

    /** One group's part: its share of R² and of the explained variance. */
    public record Part(String group, double r2Part, double shareOfExplained) {
    }

    private Shapley() {
    }

    /**
     * @param qr        the full model's factor (the intercept, when there is one, in column 0)
     * @param intercept whether column 0 is the intercept, kept in every sub-model
     * @param groups    group name to its design columns; at most 12 groups
     */
    public static List<Part> decompose(QrAccumulator qr, boolean intercept, Map<String, int[]> groups,
                                       double tolerance) {
        List<String> names = new ArrayList<>(groups.keySet());
        int g = names.size();
        if (g == 0 || g > 12) {
            throw new IllegalArgumentException("Shapley decomposition needs 1 to 12 groups, got " + g);
        }
        double tss = LeastSquaresSolution.solve(qr, intercept, tolerance).totalSumSquares;
        double[] r2 = new double[1 << g];
        for (int mask = 1; mask < r2.length; mask++) {
            List<Integer> columns = new ArrayList<>();
            if (intercept) {
                columns.add(0);
            }
            for (int i = 0; i < g; i++) {
                if ((mask & (1 << i)) != 0) {
                    for (int c : groups.get(names.get(i))) {
                        columns.add(c);
                    }
                }
            }
            int[] keep = columns.stream().sorted().distinct().mapToInt(Integer::intValue).toArray();
            LeastSquaresSolution s = LeastSquaresSolution.solve(qr.subset(keep), intercept, tolerance);
            r2[mask] = 1 - s.residualSumSquares / tss;
        }
        double[] weight = new double[g];
        for (int size = 0; size < g; size++) {
            // |S|! (g - |S| - 1)! / g!
            weight[size] = factorial(size) * factorial(g - size - 1) / factorial(g);
        }
        Map<String, Part> parts = new LinkedHashMap<>();
        double full = r2[r2.length - 1];
        for (int i = 0; i < g; i++) {
            double value = 0;
            for (int mask = 0; mask < r2.length; mask++) {
                if ((mask & (1 << i)) == 0) {
                    value += weight[Integer.bitCount(mask)] * (r2[mask | (1 << i)] - r2[mask]);
                }
            }
            parts.put(names.get(i), new Part(names.get(i), value, full == 0 ? Double.NaN : value / full));
        }
        return List.copyOf(parts.values());
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }
}
