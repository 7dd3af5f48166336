package dev.empathy.lib.regression;

/**
 * One cheap Newton pass of a logistic regression at the current coefficients, mergeable across
 * partitions: over the kept design columns only, the weighted Gram matrix {@code X'WX} (its upper
 * triangle), {@code w = p(1 - p)}, and the score {@code X'(y - p)}, with the log-likelihood and the
 * counts of {@link LogitPass} alongside. Each row adds {@code m(m+1)/2} products for its {@code m}
 * non-zero kept entries (design rows are mostly zeros: dummy columns), where the Givens rotations
 * of {@link LogitPass} cost about {@code 2p^2} flops on a row made dense by the rotations.
 *
 * <p>{@link #newtonStep} solves {@code X'WX d = X'(y - p)} by Cholesky. The next coefficients are
 * {@code beta + d}, the same IRLS step as the QR's solution for {@code z = eta + (y - p)/w}, but in
 * delta form: the solve's rounding error is relative to the step, which goes to zero, so the
 * converged coefficients are as accurate as the QR route's although {@code X'WX} squares the
 * condition number. The probabilities, log-likelihood and extreme rows are computed as
 * {@link LogitPass} computes them, so both passes give the same bits at the same coefficients.
 */
public final class LogitGramPass implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The smallest Cholesky pivot accepted, relative to its diagonal entry: the step's relative
     * error is about the scaled condition number times eps, so below this (a column within about
     * 1e-6 of the span of the earlier ones, in the weighted norm) the step falls back to the QR.
     */
    static final double MIN_PIVOT = 1e-12;

    private final double[] beta;
    private final int[] kept;
    /** Row-major {@code k x k}, upper triangle only. */
    private final double[] gram;
    private final double[] score;
    private double logLikelihood;
    private double sumY;
    private long rows;
    private long extreme;
    private transient int[] at;
    private transient double[] value;

    /**
     * @param beta coefficients of every design column (zero for those not kept)
     * @param kept the design columns estimated, ascending
     */
    public LogitGramPass(double[] beta, int[] kept) {
        this.beta = beta.clone();
        this.kept = kept.clone();
        this.gram = new double[kept.length * kept.length];
        this.score = new double[kept.length];
    }

    /** One observation: its design row (every column) and response (0 or 1). */
    public void add(double[] x, double y) {
        int k = kept.length;
        if (at == null) {
            at = new int[k];
            value = new double[k];
        }
        // eta over the non-zero kept entries: the terms skipped are exact zeros (beta is zero off
        // the kept columns), so the sum has LogitPass's bits.
        int m = 0;
        double eta = 0;
        for (int a = 0; a < k; a++) {
            double v = x[kept[a]];
            if (v != 0) {
                at[m] = a;
                value[m++] = v;
                eta += beta[kept[a]] * v;
            }
        }
        double p = 1 / (1 + Math.exp(-eta));
        if (p < LogitPass.EXTREME || p > 1 - LogitPass.EXTREME) {
            extreme++;
        }
        p = Math.min(1 - LogitPass.EPSILON, Math.max(LogitPass.EPSILON, p));
        double w = p * (1 - p);
        double residual = y - p;
        for (int s = 0; s < m; s++) {
            int a = at[s];
            double wa = w * value[s];
            int base = a * k;
            for (int t = s; t < m; t++) {
                gram[base + at[t]] += wa * value[t];
            }
            score[a] += residual * value[s];
        }
        logLikelihood += LogitPass.rowLogLikelihood(y, p);
        sumY += y;
        rows++;
    }

    public void merge(LogitGramPass other) {
        if (!java.util.Arrays.equals(other.kept, kept)) {
            throw new IllegalArgumentException("Gram passes differ in their columns");
        }
        for (int i = 0; i < gram.length; i++) {
            gram[i] += other.gram[i];
        }
        for (int i = 0; i < score.length; i++) {
            score[i] += other.score[i];
        }
        logLikelihood += other.logLikelihood;
        sumY += other.sumY;
        rows += other.rows;
        extreme += other.extreme;
    }

    /**
     * The Newton step {@code (X'WX)^-1 X'(y - p)} over the kept columns (in their order), or null
     * when {@code X'WX} is not numerically positive definite: a Cholesky pivot at most
     * {@code max(tolerance^2, MIN_PIVOT)} of its diagonal entry. The pivot is the squared norm of
     * the weighted column's part outside the earlier columns, so {@code tolerance^2} is the QR's
     * collinearity test; the caller then takes the step by the QR, which decides what to drop.
     */
    public double[] newtonStep(double tolerance) {
        int k = kept.length;
        double floor = Math.max(tolerance * tolerance, MIN_PIVOT);
        double[] u = gram.clone();
        for (int j = 0; j < k; j++) {
            double d = u[j * k + j];
            for (int i = 0; i < j; i++) {
                d -= u[i * k + j] * u[i * k + j];
            }
            if (!(d > floor * gram[j * k + j])) {
                return null;
            }
            double root = Math.sqrt(d);
            u[j * k + j] = root;
            for (int c = j + 1; c < k; c++) {
                double s = u[j * k + c];
                for (int i = 0; i < j; i++) {
                    s -= u[i * k + j] * u[i * k + c];
                }
                u[j * k + c] = s / root;
            }
        }
        // U'U d = score: forward through U', then back through U.
        double[] d = score.clone();
        for (int j = 0; j < k; j++) {
            double s = d[j];
            for (int i = 0; i < j; i++) {
                s -= u[i * k + j] * d[i];
            }
            d[j] = s / u[j * k + j];
        }
        for (int j = k - 1; j >= 0; j--) {
            double s = d[j];
            for (int c = j + 1; c < k; c++) {
                s -= u[j * k + c] * d[c];
            }
            d[j] = s / u[j * k + j];
        }
        for (double v : d) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        return d;
    }

    public double logLikelihood() {
        return logLikelihood;
    }

    public long rows() {
        return rows;
    }

    public long extremeRows() {
        return extreme;
    }

    double sumY() {
        return sumY;
    }
}
