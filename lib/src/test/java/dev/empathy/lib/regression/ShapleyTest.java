package dev.empathy.lib.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The LMG decomposition against closed forms from correlations, computed here by plain sums. */
class ShapleyTest {

    private static QrAccumulator factor(double[][] x, double[] y) {
        double[] shift = new double[x[0].length + 1];
        QrAccumulator qr = new QrAccumulator(shift);
        double[] row = new double[shift.length];
        for (int i = 0; i < y.length; i++) {
            row[0] = 1;
            System.arraycopy(x[i], 0, row, 1, x[i].length);
            qr.add(row, y[i]);
        }
        return qr;
    }

    private static double correlation(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i] / n;
            mb += b[i] / n;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void twoCorrelatedPredictorsSplitAsTheClosedFormSays() {
        Random random = new Random(3);
        int n = 500;
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x1[i] = random.nextGaussian();
            x2[i] = 0.6 * x1[i] + random.nextGaussian();
            y[i] = 1 + 0.5 * x1[i] + 0.3 * x2[i] + random.nextGaussian();
            x[i] = new double[] {x1[i], x2[i]};
        }
        double ry1 = correlation(y, x1);
        double ry2 = correlation(y, x2);
        double r12 = correlation(x1, x2);
        // R² of each alone is the squared correlation; of both, the classical two-predictor formula.
        double both = (ry1 * ry1 + ry2 * ry2 - 2 * ry1 * ry2 * r12) / (1 - r12 * r12);
        double part1 = (ry1 * ry1 + (both - ry2 * ry2)) / 2;
        double part2 = (ry2 * ry2 + (both - ry1 * ry1)) / 2;
        Map<String, int[]> groups = new LinkedHashMap<>();
        groups.put("first", new int[] {1});
        groups.put("second", new int[] {2});
        List<Shapley.Part> parts = Shapley.decompose(factor(x, y), true, groups, 1e-10);
        assertEquals(part1, parts.get(0).r2Part(), 1e-12);
        assertEquals(part2, parts.get(1).r2Part(), 1e-12);
        assertEquals(part1 / both, parts.get(0).shareOfExplained(), 1e-12);
    }

    @Test
    void orthogonalGroupsKeepTheirOwnR2AndThreeGroupsAddUpToTheFullR2() {
        // Columns orthogonal to each other and to the constant: each group's part is its own R².
        double[] a = {1, -1, 1, -1, 1, -1, 1, -1};
        double[] b = {1, 1, -1, -1, 1, 1, -1, -1};
        double[] c = {1, 1, 1, 1, -1, -1, -1, -1};
        double[] y = {3, 1, 4, 1, 5, 9, 2, 6};
        double[][] x = new double[8][];
        for (int i = 0; i < 8; i++) {
            x[i] = new double[] {a[i], b[i], c[i]};
        }
        Map<String, int[]> groups = new LinkedHashMap<>();
        groups.put("a", new int[] {1});
        groups.put("bc", new int[] {2, 3});
        List<Shapley.Part> parts = Shapley.decompose(factor(x, y), true, groups, 1e-10);
        double ra = correlation(y, a);
        double rb = correlation(y, b);
        double rc = correlation(y, c);
        assertEquals(ra * ra, parts.get(0).r2Part(), 1e-13);
        assertEquals(rb * rb + rc * rc, parts.get(1).r2Part(), 1e-13);

        Random random = new Random(5);
        double[][] z = new double[200][];
        double[] w = new double[200];
        for (int i = 0; i < 200; i++) {
            double u = random.nextGaussian();
            z[i] = new double[] {u, u + random.nextGaussian(), random.nextGaussian()};
            w[i] = z[i][0] - z[i][1] + 0.5 * z[i][2] + random.nextGaussian();
        }
        groups = new LinkedHashMap<>();
        groups.put("one", new int[] {1});
        groups.put("two", new int[] {2});
        groups.put("three", new int[] {3});
        QrAccumulator qr = factor(z, w);
        parts = Shapley.decompose(qr, true, groups, 1e-10);
        LeastSquaresSolution full = LeastSquaresSolution.solve(qr, true, 1e-10);
        double r2 = 1 - full.residualSumSquares / full.totalSumSquares;
        assertEquals(r2, parts.stream().mapToDouble(Shapley.Part::r2Part).sum(), 1e-13);
        assertEquals(1.0, parts.stream().mapToDouble(Shapley.Part::shareOfExplained).sum(), 1e-12);
    }
}
