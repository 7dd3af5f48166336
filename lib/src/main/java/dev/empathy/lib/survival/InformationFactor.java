package dev.empathy.lib.survival;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;

/**
 * A symmetric positive semi-definite matrix (an information matrix) factored so that rounding
 * never stops a fit, as R's {@code survival} package does in {@code cholesky2}:
 *
 * <ul>
 *   <li>The upper triangle is taken as the matrix (the lower mirrored from it): a matrix
 *       symmetric only up to rounding, as sums of {@code x_i x_j e^eta} in two orders are, factors
 *       like its upper triangle. A Cholesky factorization reads only that triangle, so a matrix
 *       that was exactly symmetric factors to the same digits as before.</li>
 *   <li>A pivot below {@link #TOLERANCE} times the largest diagonal element (a relative
 *       threshold, R's {@code toler.chol = .Machine$double.eps^0.75}), or not finite, marks a
 *       singular direction: that column is left out of the factor, its part of a solution is 0
 *       (a Newton step does not move it) and of an inverse NaN.</li>
 *   <li>The columns kept are factored by Commons Math's {@link CholeskyDecomposition}.</li>
 * </ul>
 */
public final class InformationFactor {

    /** R's {@code coxph.control(toler.chol = .Machine$double.eps^0.75)}. */
    public static final double TOLERANCE = Math.pow(Math.ulp(1.0), 0.75);

    private final int p;
    private final boolean[] singular;
    private final int[] kept;
    private final DecompositionSolver solver;

    private InformationFactor(int p, boolean[] singular, int[] kept, DecompositionSolver solver) {
        this.p = p;
        this.singular = singular;
        this.kept = kept;
        this.solver = solver;
    }

    /** Factors {@code a} (not modified): its upper triangle is the matrix. */
    public static InformationFactor of(double[][] a) {
        int p = a.length;
        double[][] m = upperMirrored(a);
        boolean[] singular = singularColumns(m);
        int count = 0;
        for (boolean s : singular) {
            count += s ? 0 : 1;
        }
        int[] kept = new int[count];
        for (int j = 0, at = 0; j < p; j++) {
            if (!singular[j]) {
                kept[at++] = j;
            }
        }
        DecompositionSolver solver = null;
        while (kept.length > 0) {
            double[][] sub = new double[kept.length][kept.length];
            for (int i = 0; i < kept.length; i++) {
                for (int j = 0; j < kept.length; j++) {
                    sub[i][j] = m[kept[i]][kept[j]];
                }
            }
            try {
                // Exactly symmetric now; positivity was checked relative to the diagonal above.
                solver = new CholeskyDecomposition(new Array2DRowRealMatrix(sub, false), 1e-12, 0.0).getSolver();
                break;
            } catch (NonPositiveDefiniteMatrixException e) {
                // A pivot the relative check let through turned non-positive in Commons Math's order
                // of operations: leave that column out as well.
                int bad = e.getRow();
                singular[kept[bad]] = true;
                int[] fewer = new int[kept.length - 1];
                for (int i = 0, at = 0; i < kept.length; i++) {
                    if (i != bad) {
                        fewer[at++] = kept[i];
                    }
                }
                kept = fewer;
            }
        }
        return new InformationFactor(p, singular, kept, solver);
    }

    private static double[][] upperMirrored(double[][] a) {
        int p = a.length;
        double[][] m = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                m[i][j] = a[i][j];
                m[j][i] = a[i][j];
            }
        }
        return m;
    }

    /**
     * R's {@code cholesky2}: an LDL' factorization that skips (and marks) every column whose
     * pivot is below the tolerance times the largest diagonal element, or not finite.
     */
    private static boolean[] singularColumns(double[][] m) {
        int p = m.length;
        double[][] w = new double[p][];
        double largest = 0;
        for (int i = 0; i < p; i++) {
            w[i] = m[i].clone();
            if (m[i][i] > largest) {
                largest = m[i][i];
            }
        }
        double eps = largest == 0 ? TOLERANCE : largest * TOLERANCE;
        boolean[] singular = new boolean[p];
        for (int i = 0; i < p; i++) {
            double pivot = w[i][i];
            if (!Double.isFinite(pivot) || pivot < eps) {
                singular[i] = true;
                continue;
            }
            for (int j = i + 1; j < p; j++) {
                double t = w[j][i] / pivot;
                w[j][i] = t;
                w[j][j] -= t * t * pivot;
                for (int k = j + 1; k < p; k++) {
                    w[k][j] -= t * w[k][i];
                }
            }
        }
        return singular;
    }

    /** Whether column {@code j} is a singular direction (left out). */
    public boolean singular(int j) {
        return singular[j];
    }

    /** Whether any column is a singular direction. */
    public boolean anySingular() {
        return kept.length < p;
    }

    /** The solution of {@code A x = b} over the columns kept; 0 in the singular ones. */
    public double[] solve(double[] b) {
        double[] x = new double[p];
        if (kept.length == 0) {
            return x;
        }
        double[] sub = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            sub[i] = b[kept[i]];
        }
        double[] s = solver.solve(new ArrayRealVector(sub, false)).toArray();
        for (int i = 0; i < kept.length; i++) {
            x[kept[i]] = s[i];
        }
        return x;
    }

    /** The inverse over the columns kept; NaN in the rows and columns of the singular ones. */
    public double[][] inverse() {
        double[][] out = new double[p][p];
        for (double[] row : out) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        if (kept.length == 0) {
            return out;
        }
        double[][] sub = solver.getInverse().getData();
        for (int i = 0; i < kept.length; i++) {
            for (int j = 0; j < kept.length; j++) {
                out[kept[i]][kept[j]] = sub[i][j];
            }
        }
        return out;
    }
}
