package dev.empathy.lib.regression;

/**
 * The updating QR of {@link QrAccumulator} without square roots: Gentleman's (1973) scaled
 * rotations as in Miller's AS 274, holding {@code R = D^(1/2) Rbar} with {@code Rbar} unit upper
 * triangular. Each row costs one division per column instead of a square root and a division,
 * which matters in the per-cell accumulators of the Spark pass ({@link CellSums}); the factor
 * and {@code z} are read out in the usual form.
 */
final class ScaledQr implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int p;
    private final double[] shift;
    private final double[] d;
    /** Row-major strict upper triangle of {@code Rbar}: row i holds columns i+1..p-1. */
    private final double[] rbar;
    private final int[] rowStart;
    private final double[] thetab;
    private double residualSumSquares;
    private long rows;
    private transient double[] buffer;

    ScaledQr(double[] shift) {
        this.p = shift.length;
        this.shift = shift.clone();
        this.d = new double[p];
        this.rowStart = new int[p];
        int at = 0;
        for (int i = 0; i < p; i++) {
            rowStart[i] = at;
            at += p - 1 - i;
        }
        this.rbar = new double[at];
        this.thetab = new double[p];
    }

    int columns() {
        return p;
    }

    long rows() {
        return rows;
    }

    double[] shift() {
        return shift.clone();
    }

    double residualSumSquares() {
        return residualSumSquares;
    }

    /** Adds one observation; {@code x} is not modified. */
    void add(double[] x, double y) {
        if (buffer == null) {
            buffer = new double[p];
        }
        double[] row = buffer;
        for (int j = 0; j < p; j++) {
            row[j] = x[j] - shift[j];
        }
        double w = 1.0;
        for (int i = 0; i < p; i++) {
            double xi = row[i];
            if (xi == 0.0) {
                continue;
            }
            double di = d[i];
            double dpi = di + w * xi * xi;
            double cbar = di / dpi;
            double sbar = w * xi / dpi;
            w *= cbar;
            d[i] = dpi;
            int at = rowStart[i] - (i + 1);
            for (int k = i + 1; k < p; k++) {
                double xk = row[k];
                double r = rbar[at + k];
                row[k] = xk - xi * r;
                rbar[at + k] = cbar * r + sbar * xk;
            }
            double t = thetab[i];
            double yk = y;
            y = yk - xi * t;
            thetab[i] = cbar * t + sbar * yk;
            if (w == 0.0) {
                rows++;
                return;
            }
        }
        residualSumSquares += w * y * y;
        rows++;
    }

    /** {@code R = D^(1/2) Rbar}. */
    double[][] r() {
        double[][] r = new double[p][p];
        for (int i = 0; i < p; i++) {
            double s = Math.sqrt(d[i]);
            r[i][i] = s;
            for (int k = i + 1; k < p; k++) {
                r[i][k] = s * rbar[rowStart[i] + k - i - 1];
            }
        }
        return r;
    }

    /** {@code z = D^(1/2) thetab}, so {@code R'z = X'y}. */
    double[] z() {
        double[] z = new double[p];
        for (int i = 0; i < p; i++) {
            z[i] = Math.sqrt(d[i]) * thetab[i];
        }
        return z;
    }
}
