package dev.empathy.lib.regression;

import java.util.Arrays;

/**
 * The triangular factor of a least-squares problem, built one row at a time with Givens
 * rotations and mergeable across partitions: after rows {@code (x_i, y_i)} it holds upper
 * triangular {@code R} and {@code z} with {@code R'R = X'X} and {@code R'z = X'y}, plus the
 * residual sum of squares of the full model. This is the updating QR of Gentleman (1973) and
 * Miller's AS 274 (without their square-root-free scaling), which is also what R's
 * {@code biglm} uses: as stable as a Householder QR, and never forms {@code X'X}.
 *
 * <p>{@link #merge} feeds the rows of another accumulator's {@code [R | z]} into this one: the
 * result equals the pass over both row sets up to rounding, so partitions combine exactly (TSQR).
 *
 * <p>Columns may be shifted by a fixed vector before they enter (centring); the caller undoes
 * the shift on the estimates. Centring is what keeps polynomial and trend designs such as NIST's
 * Filip and Longley accurate.
 */
public final class QrAccumulator implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int p;
    private final double[] shift;
    private final double[][] r;
    private final double[] z;
    private final double[] columnSumSquares;
    private double residualSumSquares;
    private long rows;
    private transient double[] buffer;

    /**
     * @param shift subtracted from each column as rows enter; zeros for no shift. A column that
     *              must stay as it is (the intercept) has a zero shift.
     */
    public QrAccumulator(double[] shift) {
        this.p = shift.length;
        this.shift = shift.clone();
        this.r = new double[p][p];
        this.z = new double[p];
        this.columnSumSquares = new double[p];
    }

    public int columns() {
        return p;
    }

    public long rows() {
        return rows;
    }

    public double[] shift() {
        return shift.clone();
    }

    /** Adds one observation. {@code x} is not modified. */
    public void add(double[] x, double y) {
        if (buffer == null) {
            buffer = new double[p];
        }
        double[] row = buffer;
        for (int j = 0; j < p; j++) {
            row[j] = x[j] - shift[j];
            columnSumSquares[j] += row[j] * row[j];
        }
        rotateIn(row, y);
        rows++;
    }

    /**
     * Adds a row that is already in this accumulator's shifted coordinates and stands for data
     * rather than one observation (a row of another factor moved into this design, see
     * {@link #addCounts}). {@code row} is not modified.
     */
    public void addShiftedRow(double[] row, double y) {
        double[] copy = row.clone();
        for (int j = 0; j < p; j++) {
            columnSumSquares[j] += copy[j] * copy[j];
        }
        rotateIn(copy, y);
    }

    /** Counts {@code rows} observations and a residual sum of squares already rotated in by {@link #addShiftedRow}. */
    public void addCounts(long rows, double residualSumSquares) {
        this.rows += rows;
        this.residualSumSquares += residualSumSquares;
    }

    /** Adds every row of {@code other}: the combined factor of both row sets. */
    public void merge(QrAccumulator other) {
        if (other.p != p || !Arrays.equals(other.shift, shift)) {
            throw new IllegalArgumentException("accumulators differ in columns or shift");
        }
        for (int i = 0; i < p; i++) {
            rotateIn(other.r[i].clone(), other.z[i]);
        }
        for (int j = 0; j < p; j++) {
            columnSumSquares[j] += other.columnSumSquares[j];
        }
        residualSumSquares += other.residualSumSquares;
        rows += other.rows;
    }

    private void rotateIn(double[] row, double y) {
        for (int i = 0; i < p; i++) {
            double xi = row[i];
            if (xi == 0.0) {
                continue;
            }
            double di = r[i][i];
            double norm = Math.sqrt(di * di + xi * xi);
            double c = di / norm;
            double s = xi / norm;
            r[i][i] = norm;
            double[] ri = r[i];
            for (int j = i + 1; j < p; j++) {
                double a = ri[j];
                double b = row[j];
                ri[j] = c * a + s * b;
                row[j] = c * b - s * a;
            }
            double a = z[i];
            z[i] = c * a + s * y;
            y = c * y - s * a;
        }
        residualSumSquares += y * y;
    }

    /** A copy of {@code R}. */
    public double[][] r() {
        double[][] copy = new double[p][];
        for (int i = 0; i < p; i++) {
            copy[i] = r[i].clone();
        }
        return copy;
    }

    public double[] z() {
        return z.clone();
    }

    /** Sum of squares of each (shifted) column, the scale for collinearity checks. */
    public double[] columnSumSquares() {
        return columnSumSquares.clone();
    }

    /** Residual sum of squares of the model with every column. */
    public double residualSumSquares() {
        return residualSumSquares;
    }

    /**
     * The factor of the design reduced to the columns {@code keep} (ascending): the rows of
     * {@code [R | z]} restricted to them have the Gram matrix of the reduced design, so they are
     * rotated into a fresh factor; the residual sum of squares grows by what the other columns
     * explained. One pass over the data thus gives every sub-model's fit (as a relative
     * importance decomposition needs).
     */
    public QrAccumulator subset(int[] keep) {
        double[] newShift = new double[keep.length];
        for (int k = 0; k < keep.length; k++) {
            newShift[k] = shift[keep[k]];
        }
        QrAccumulator reduced = new QrAccumulator(newShift);
        for (int i = 0; i < p; i++) {
            double[] row = new double[keep.length];
            for (int k = 0; k < keep.length; k++) {
                row[k] = r[i][keep[k]];
            }
            reduced.rotateIn(row, z[i]);
        }
        for (int k = 0; k < keep.length; k++) {
            reduced.columnSumSquares[k] = columnSumSquares[keep[k]];
        }
        reduced.residualSumSquares += residualSumSquares;
        reduced.rows = rows;
        return reduced;
    }

    /**
     * The same factor without column {@code drop}: the rows of {@code [R | z]} minus that column
     * have the Gram matrix of the design without it, so they are rotated into a fresh factor.
     * The residual sum of squares grows by what the column explained.
     */
    public QrAccumulator without(int drop) {
        double[] newShift = new double[p - 1];
        for (int j = 0, k = 0; j < p; j++) {
            if (j != drop) {
                newShift[k++] = shift[j];
            }
        }
        QrAccumulator reduced = new QrAccumulator(newShift);
        for (int i = 0; i < p; i++) {
            double[] row = new double[p - 1];
            for (int j = 0, k = 0; j < p; j++) {
                if (j != drop) {
                    row[k++] = r[i][j];
                }
            }
            reduced.rotateIn(row, z[i]);
        }
        for (int j = 0, k = 0; j < p; j++) {
            if (j != drop) {
                reduced.columnSumSquares[k++] = columnSumSquares[j];
            }
        }
        reduced.residualSumSquares += residualSumSquares;
        reduced.rows = rows;
        return reduced;
    }
}
