package dev.empathy.lib.regression;

import java.util.ArrayList;
import java.util.List;

/**
 * A solved least-squares problem, in the accumulator's shifted coordinates: the coefficients,
 * {@code (X'X)^-1}, the residual and total sums of squares, and which columns were kept.
 * Aliased columns are found from the triangular factor and dropped one at a time.
 */
public final class LeastSquaresSolution implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    final int[] kept;
    final double[] shift;
    final double[] coefficients;
    final double[][] r;
    final double[][] rInverse;
    final double[][] xtxInverse;
    double residualSumSquares;
    final double totalSumSquares;
    final long n;
    final boolean intercept;
    /** The total sum of squares about zero (with an intercept, {@code totalSumSquares + n mean^2}). */
    final double uncentredSumSquares;
    /** Original indices of the dropped columns that have no variation of their own. */
    final int[] constantColumns;
    /** The response's sum of squares before fixed effects were absorbed from it, or 0. */
    private double absorbedResponseSumSquares;

    private LeastSquaresSolution(int[] kept, double[] shift, double[] coefficients, double[][] r, double[][] rInverse,
                                 double[][] xtxInverse, double rss, double tss, long n, boolean intercept,
                                 double uncentredSumSquares, int[] constantColumns) {
        this.kept = kept;
        this.shift = shift;
        this.coefficients = coefficients;
        this.r = r;
        this.rInverse = rInverse;
        this.xtxInverse = xtxInverse;
        this.residualSumSquares = rss;
        this.totalSumSquares = tss;
        this.n = n;
        this.intercept = intercept;
        this.uncentredSumSquares = uncentredSumSquares;
        this.constantColumns = constantColumns;
    }

    /**
     * @param intercept whether column 0 is the intercept (a column of ones, never shifted); the
     *                  total sum of squares is then taken about the mean
     */
    public static LeastSquaresSolution solve(QrAccumulator qr, boolean intercept, double tolerance) {
        List<Integer> kept = new ArrayList<>();
        for (int j = 0; j < qr.columns(); j++) {
            kept.add(j);
        }
        QrAccumulator current = qr;
        boolean changed = true;
        while (changed) {
            changed = false;
            double[][] r = current.r();
            double[] ss = current.columnSumSquares();
            for (int j = 0; j < r.length; j++) {
                double scale = Math.sqrt(ss[j]);
                if (scale == 0.0 || Math.abs(r[j][j]) <= tolerance * scale) {
                    current = current.without(j);
                    kept.remove(j);
                    changed = true;
                    break;
                }
            }
        }
        double[][] r = current.r();
        double[] z = current.z();
        int p = r.length;
        double[][] rInverse = upperInverse(r);
        double[] b = new double[p];
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int j = i; j < p; j++) {
                s += rInverse[i][j] * z[j];
            }
            b[i] = s;
        }
        double[][] xtxInverse = gram(rInverse);
        boolean hasIntercept = intercept && !kept.isEmpty() && kept.get(0) == 0;
        double tss = current.residualSumSquares();
        for (int i = hasIntercept ? 1 : 0; i < p; i++) {
            tss += z[i] * z[i];
        }
        double uncentred = hasIntercept ? tss + z[0] * z[0] : tss;
        int[] keptColumns = kept.stream().mapToInt(Integer::intValue).toArray();
        return new LeastSquaresSolution(keptColumns, current.shift(), b, r, rInverse, xtxInverse,
                current.residualSumSquares(), tss, current.rows(), hasIntercept, uncentred,
                withoutVariation(qr, keptColumns, intercept, tolerance));
    }

    /**
     * The dropped columns (original indices) that have no variation of their own: with an
     * intercept in column 0, those the intercept alone explains (by the same tolerance that drops
     * a column); without one, columns of zeros.
     */
    static int[] withoutVariation(QrAccumulator qr, int[] kept, boolean intercept, double tolerance) {
        List<Integer> constant = new ArrayList<>();
        double[] ss = qr.columnSumSquares();
        boolean interceptKept = intercept && kept.length > 0 && kept[0] == 0;
        for (int j = intercept ? 1 : 0, at = 0; j < qr.columns(); j++) {
            while (at < kept.length && kept[at] < j) {
                at++;
            }
            if (at < kept.length && kept[at] == j) {
                continue;
            }
            boolean none;
            if (ss[j] == 0.0) {
                none = true;
            } else if (interceptKept) {
                double[][] r = qr.subset(new int[] {0, j}).r();
                none = Math.abs(r[1][1]) <= tolerance * Math.sqrt(ss[j]);
            } else {
                none = false;
            }
            if (none) {
                constant.add(j);
            }
        }
        return constant.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Whether the response has no variation: with an intercept, its spread about the mean is
     * below {@code 1e-12} of its size (rounding, not data: a constant answer gives about 1e-16);
     * with fixed effects absorbed, its spread within the levels is below {@code 1e-12} of its size
     * before ({@link #absorbedFrom}); otherwise, every response is 0. The estimates are then
     * rounding noise.
     */
    public boolean responseWithoutVariation() {
        if (totalSumSquares == 0.0) {
            return true;
        }
        double scale = intercept ? uncentredSumSquares : absorbedResponseSumSquares;
        return totalSumSquares <= CONSTANT_RESPONSE * CONSTANT_RESPONSE * scale;
    }

    /**
     * For data from which fixed effects were absorbed: the response's sum of squares before
     * demeaning, against which the demeaned response counts as without variation (the same value
     * within every level), as {@link #responseWithoutVariation()} does about the mean with an
     * intercept.
     */
    public void absorbedFrom(double responseSumSquares) {
        this.absorbedResponseSumSquares = responseSumSquares;
    }

    /** Relative spread (standard deviation over root mean square) below which a response counts as constant. */
    static final double CONSTANT_RESPONSE = 1e-12;

    /** Rows in the fit. */
    public long rows() {
        return n;
    }

    /** Original indices of the dropped columns without variation of their own (see {@link #withoutVariation}). */
    public int[] constantColumns() {
        return constantColumns.clone();
    }

    private static double[][] upperInverse(double[][] r) {
        int p = r.length;
        double[][] inv = new double[p][p];
        for (int j = p - 1; j >= 0; j--) {
            inv[j][j] = 1.0 / r[j][j];
            for (int i = j - 1; i >= 0; i--) {
                double s = 0;
                for (int m = i + 1; m <= j; m++) {
                    s += r[i][m] * inv[m][j];
                }
                inv[i][j] = -s / r[i][i];
            }
        }
        return inv;
    }

    /** The coefficients in the shifted coordinates (kept columns). */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** Indices (in the original design) of the columns estimated. */
    public int[] kept() {
        return kept.clone();
    }

    /** The residual of one observation, from its full design row (every original column). */
    public double residual(double[] fullRow, double y) {
        double r = y;
        for (int j = 0; j < kept.length; j++) {
            r = Math.fma(-coefficients[j], fullRow[kept[j]] - shift[j], r);
        }
        return r;
    }

    /**
     * One step of iterative refinement (Golub and Van Loan, 5.3.8): with {@code g = X'r}, the
     * shifted design times the residuals of the current coefficients (summed with compensation),
     * the correction {@code (X'X)^-1 g = R^-1 R^-T g} is added. It recovers the last digits on
     * ill-conditioned designs such as the Wampler polynomials. The residual sum of squares
     * summed from the same residuals replaces the factor's (it is stationary at the optimum, so
     * the small correction does not move it), which keeps the digits of near-perfect fits.
     */
    public void refine(double[] g, double residualSumSquares) {
        this.residualSumSquares = residualSumSquares;
        int p = coefficients.length;
        double[] w = new double[p];
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int m = 0; m <= i; m++) {
                s += rInverse[m][i] * g[m];
            }
            w[i] = s;
        }
        for (int i = 0; i < p; i++) {
            double s = 0;
            for (int j = i; j < p; j++) {
                s += rInverse[i][j] * w[j];
            }
            coefficients[i] += s;
        }
    }

    /** The kept, shifted design row of one observation. */
    public double[] shiftedRow(double[] fullRow) {
        double[] row = new double[kept.length];
        for (int j = 0; j < kept.length; j++) {
            row[j] = fullRow[kept[j]] - shift[j];
        }
        return row;
    }

    /**
     * Coefficients in the original coordinates: only the intercept moves,
     * {@code b0 = b0' - sum_j shift_j b_j}.
     */
    public double[] originalCoefficients() {
        double[] b = coefficients.clone();
        if (intercept) {
            for (int j = 1; j < b.length; j++) {
                b[0] -= shift[j] * coefficients[j];
            }
        }
        return b;
    }

    /**
     * {@code (X'X)^-1} in the original coordinates. The factor of the original design is the
     * shifted one times {@code M} (identity with the shifts in row 0), which only changes row 0
     * of {@code R}; inverting that triangle directly keeps the intercept's digits, which moving
     * the shifted inverse ({@code T V T'}) would cancel away on designs like Wampler's.
     */
    double[][] xtxInverseOriginal() {
        if (!intercept) {
            return xtxInverse;
        }
        int p = r.length;
        double[][] ru = new double[p][];
        for (int i = 0; i < p; i++) {
            ru[i] = r[i].clone();
        }
        for (int j = 1; j < p; j++) {
            ru[0][j] = Math.fma(shift[j], r[0][0], r[0][j]);
        }
        return gram(upperInverse(ru));
    }

    /** A meat matrix of shifted rows moved to the original coordinates: {@code M' A M}. */
    double[][] meatToOriginal(double[][] a) {
        if (!intercept) {
            return a;
        }
        int p = a.length;
        double[][] out = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                out[i][j] = a[i][j] + shift[i] * a[0][j] + a[i][0] * shift[j] + shift[i] * shift[j] * a[0][0];
            }
        }
        return out;
    }

    /** {@code U U'} for an upper triangular {@code U}. */
    private static double[][] gram(double[][] u) {
        int p = u.length;
        double[][] g = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                double s = 0;
                for (int m = j; m < p; m++) {
                    s += u[i][m] * u[j][m];
                }
                g[i][j] = s;
                g[j][i] = s;
            }
        }
        return g;
    }
}
