package dev.empathy.lib.regression;

/**
 * {@code X'r} and {@code r'r} for iterative refinement, summed with Neumaier's compensation and
 * mergeable across partitions. {@link #total()} returns {@code k + 1} values, {@code r'r} last.
 */
public final class GradientSum implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] sum;
    private final double[] compensation;

    public GradientSum(int k) {
        this.sum = new double[k + 1];
        this.compensation = new double[k + 1];
    }

    /** One observation: its kept, shifted design row and its residual. */
    public void add(double[] shiftedRow, double residual) {
        int k = sum.length - 1;
        for (int j = 0; j <= k; j++) {
            accumulate(j, (j < k ? shiftedRow[j] : residual) * residual);
        }
    }

    /** Adds totals summed elsewhere ({@link #total()} of other sums). */
    public void addTotals(double[] totals) {
        for (int j = 0; j < sum.length; j++) {
            accumulate(j, totals[j]);
        }
    }

    public void merge(GradientSum other) {
        for (int j = 0; j < sum.length; j++) {
            accumulate(j, other.sum[j]);
            accumulate(j, other.compensation[j]);
        }
    }

    private void accumulate(int j, double term) {
        double t = sum[j] + term;
        compensation[j] += Math.abs(sum[j]) >= Math.abs(term) ? (sum[j] - t) + term : (term - t) + sum[j];
        sum[j] = t;
    }

    public double[] total() {
        double[] out = new double[sum.length];
        for (int j = 0; j < sum.length; j++) {
            out[j] = sum[j] + compensation[j];
        }
        return out;
    }
}
