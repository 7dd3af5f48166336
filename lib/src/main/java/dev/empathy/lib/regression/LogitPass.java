package dev.empathy.lib.regression;

/**
 * One iteratively reweighted least squares (IRLS) pass of a logistic regression at the current
 * coefficients, mergeable across partitions: the weighted rows {@code sqrt(w) x} with working
 * response {@code sqrt(w) z}, {@code w = p(1 - p)}, {@code z = eta + (y - p)/w}, enter a
 * {@link QrAccumulator}; the log-likelihood is summed alongside. Solving the accumulated problem
 * gives the next coefficients (a Newton step), and at convergence its factor gives
 * {@code (X'WX)^-1}. {@link LogitGramPass} is the cheaper pass for the steps in between.
 */
public final class LogitPass implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Probabilities are kept this far from 0 and 1, as R's {@code binomial()} link does. */
    static final double EPSILON = 2.220446e-16;

    private final double[] beta;
    private final QrAccumulator qr;
    /** R's {@code glm.fit} test for fitted probabilities numerically 0 or 1: within {@code 10 * eps}. */
    static final double EXTREME = 10 * 2.220446049250313e-16;

    private double logLikelihood;
    private double sumY;
    private long extreme;

    public LogitPass(double[] beta) {
        this.beta = beta.clone();
        this.qr = new QrAccumulator(new double[beta.length]);
    }

    /** One observation: its design row and response (0 or 1). */
    public void add(double[] x, double y) {
        double eta = 0;
        for (int j = 0; j < beta.length; j++) {
            eta += beta[j] * x[j];
        }
        double p = 1 / (1 + Math.exp(-eta));
        if (p < EXTREME || p > 1 - EXTREME) {
            extreme++;
        }
        p = Math.min(1 - EPSILON, Math.max(EPSILON, p));
        double w = p * (1 - p);
        double root = Math.sqrt(w);
        double[] row = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            row[j] = root * x[j];
        }
        double z = eta + (y - p) / w;
        qr.add(row, root * z);
        logLikelihood += rowLogLikelihood(y, p);
        sumY += y;
    }

    /**
     * {@code y log(p) + (1 - y) log(1 - p)} for a response of 0 or 1, with one logarithm: the
     * same bits as the sum of both terms (the other is an exact zero), at half the logarithms.
     */
    static double rowLogLikelihood(double y, double p) {
        return y == 1 ? Math.log(p) : Math.log1p(-p);
    }

    public void merge(LogitPass other) {
        qr.merge(other.qr);
        logLikelihood += other.logLikelihood;
        sumY += other.sumY;
        extreme += other.extreme;
    }

    /** Rows whose fitted probability is numerically 0 or 1 (within {@code 10 * eps}, as R's {@code glm.fit}). */
    public long extremeRows() {
        return extreme;
    }

    public double logLikelihood() {
        return logLikelihood;
    }

    public long rows() {
        return qr.rows();
    }

    double sumY() {
        return sumY;
    }

    QrAccumulator qr() {
        return qr;
    }
}
