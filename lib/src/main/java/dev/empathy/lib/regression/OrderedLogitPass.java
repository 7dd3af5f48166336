package dev.empathy.lib.regression;

import java.util.Arrays;

/**
 * One Newton-Raphson pass of an {@link OrderedLogit} at the current parameters, mergeable across
 * partitions: the log-likelihood, its gradient and its Hessian, summed over rows.
 *
 * <p>Parameters {@code theta = (beta, zeta)}: the coefficients of the kept design columns, then
 * the {@code J - 1} thresholds. A row of category {@code c} (0-based) has
 * {@code a = zeta_c - x'beta} and {@code b = zeta_(c-1) - x'beta} ({@code a = +inf} in the top
 * category, {@code b = -inf} in the bottom one), probability {@code p = F(a) - F(b)} with
 * {@code F} the logistic function, computed as {@code F(a) F(-b) (1 - e^(b - a))} so that it
 * keeps its digits when both are near 1. With {@code l = log p}:
 *
 * <pre>
 * l_a  = f(a)/p,  l_b = -f(b)/p,  f = F(1 - F)
 * l_aa = f(a)(1 - 2F(a))/p - l_a^2,  l_bb = -f(b)(1 - 2F(b))/p - l_b^2,  l_ab = -l_a l_b
 * </pre>
 *
 * and by the chain rule ({@code da = (-x, e_c)}, {@code db = (-x, e_(c-1))}) the gradient
 * {@code l_a da + l_b db} and the Hessian {@code l_aa da da' + l_bb db db' + l_ab (da db' + db da')}.
 */
public final class OrderedLogitPass implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** R's {@code glm.fit} test for probabilities numerically 0 or 1: within {@code 10 * eps}. */
    private static final double EXTREME = 10 * 2.220446049250313e-16;

    private final double[] theta;
    private final int[] kept;
    private final double[] levels;
    private final double[] gradient;
    /** Upper triangle of the Hessian of the log-likelihood. */
    private final double[][] hessian;
    private double logLikelihood;
    private long rows;
    private long extreme;

    /**
     * @param theta  the kept coefficients, then the thresholds (ascending)
     * @param kept   the design columns (of the full row, intercept in column 0) the coefficients go with
     * @param levels the response's ordered levels, ascending
     */
    public OrderedLogitPass(double[] theta, int[] kept, double[] levels) {
        this.theta = theta.clone();
        this.kept = kept.clone();
        this.levels = levels.clone();
        int p = theta.length;
        this.gradient = new double[p];
        this.hessian = new double[p][p];
    }

    /** The category index of a response value, or -1 when it is not one of the levels. */
    static int category(double[] levels, double y) {
        int c = Arrays.binarySearch(levels, y);
        return c < 0 ? -1 : c;
    }

    /**
     * What one row contributes: the derivatives of its log-probability with respect to
     * {@code a} and {@code b}, as described in the class comment.
     */
    record Row(int category, double logP, double la, double lb, double laa, double lbb, double lab,
               boolean extreme) {
    }

    static Row row(double[] theta, int[] kept, double[] levels, double[] x, double y) {
        int c = category(levels, y);
        if (c < 0) {
            throw new IllegalArgumentException("ordered logit: the response " + y + " is not one of the levels "
                    + Arrays.toString(levels));
        }
        int k = kept.length;
        int q = levels.length - 1;
        double eta = 0;
        for (int j = 0; j < k; j++) {
            eta += theta[j] * x[kept[j]];
        }
        boolean extreme = false;
        for (int j = 0; j < q; j++) {
            double cumulative = logistic(theta[k + j] - eta);
            if (cumulative < EXTREME || cumulative > 1 - EXTREME) {
                extreme = true;
            }
        }
        if (q == 0) {
            return new Row(c, 0, 0, 0, 0, 0, 0, false);
        }
        boolean bottom = c == 0;
        boolean top = c == q;
        double a = top ? Double.POSITIVE_INFINITY : theta[k + c] - eta;
        double b = bottom ? Double.NEGATIVE_INFINITY : theta[k + c - 1] - eta;
        if (bottom) {
            // p = F(a): l_a = F(-a), l_aa = -F(a) F(-a).
            double fa = logistic(a);
            double fna = logistic(-a);
            return new Row(c, logLogistic(a), fna, 0, -fa * fna, 0, 0, extreme);
        }
        if (top) {
            // p = F(-b): l_b = -F(b), l_bb = -F(b) F(-b).
            double fb = logistic(b);
            double fnb = logistic(-b);
            return new Row(c, logLogistic(-b), 0, -fb, 0, -fb * fnb, 0, extreme);
        }
        double fa = logistic(a);
        double fna = logistic(-a);
        double fb = logistic(b);
        double fnb = logistic(-b);
        double gap = -Math.expm1(b - a);
        double p = fa * fnb * gap;
        double logP = logLogistic(a) + logLogistic(-b) + Math.log(gap);
        double densityA = fa * fna;
        double densityB = fb * fnb;
        double la = densityA / p;
        double lb = -densityB / p;
        double laa = densityA * (fna - fa) / p - la * la;
        double lbb = -densityB * (fnb - fb) / p - lb * lb;
        return new Row(c, logP, la, lb, laa, lbb, -la * lb, extreme);
    }

    /** The score of one row, {@code l_a da + l_b db}, into {@code out} (length of theta). */
    static void score(Row r, int[] kept, double[] x, double[] out) {
        int k = kept.length;
        Arrays.fill(out, 0.0);
        double slope = -(r.la() + r.lb());
        for (int j = 0; j < k; j++) {
            out[j] = slope * x[kept[j]];
        }
        int q = out.length - k;
        if (r.category() < q) {
            out[k + r.category()] += r.la();
        }
        if (r.category() > 0) {
            out[k + r.category() - 1] += r.lb();
        }
    }

    /** One observation: its full design row (intercept in column 0) and its response. */
    public void add(double[] x, double y) {
        Row r = row(theta, kept, levels, x, y);
        rows++;
        if (r.extreme()) {
            extreme++;
        }
        int k = kept.length;
        int p = theta.length;
        if (p == k) {
            return;
        }
        logLikelihood += r.logP();
        int c = r.category();
        int upper = c < p - k ? k + c : -1;
        int lower = c > 0 ? k + c - 1 : -1;
        double slope = -(r.la() + r.lb());
        double curvature = r.laa() + r.lbb() + 2 * r.lab();
        double withUpper = -(r.laa() + r.lab());
        double withLower = -(r.lbb() + r.lab());
        for (int i = 0; i < k; i++) {
            double xi = x[kept[i]];
            gradient[i] += slope * xi;
            double ci = curvature * xi;
            double[] h = hessian[i];
            for (int j = i; j < k; j++) {
                h[j] += ci * x[kept[j]];
            }
            if (upper >= 0) {
                h[upper] += withUpper * xi;
            }
            if (lower >= 0) {
                h[lower] += withLower * xi;
            }
        }
        if (upper >= 0) {
            gradient[upper] += r.la();
            hessian[upper][upper] += r.laa();
        }
        if (lower >= 0) {
            gradient[lower] += r.lb();
            hessian[lower][lower] += r.lbb();
        }
        if (upper >= 0 && lower >= 0) {
            hessian[lower][upper] += r.lab();
        }
    }

    public void merge(OrderedLogitPass other) {
        int p = theta.length;
        logLikelihood += other.logLikelihood;
        rows += other.rows;
        extreme += other.extreme;
        for (int i = 0; i < p; i++) {
            gradient[i] += other.gradient[i];
            for (int j = i; j < p; j++) {
                hessian[i][j] += other.hessian[i][j];
            }
        }
    }

    public double logLikelihood() {
        return logLikelihood;
    }

    public long rows() {
        return rows;
    }

    /** Rows with a cumulative probability numerically 0 or 1 (within {@code 10 * eps}). */
    public long extremeRows() {
        return extreme;
    }

    double[] theta() {
        return theta.clone();
    }

    double[] gradient() {
        return gradient.clone();
    }

    /** The information matrix {@code -H}, both triangles filled. */
    double[][] information() {
        int p = theta.length;
        double[][] m = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                m[i][j] = -hessian[i][j];
                m[j][i] = -hessian[i][j];
            }
        }
        return m;
    }

    static double logistic(double t) {
        return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
    }

    /** {@code log F(t)}, without underflow for large negative {@code t}. */
    static double logLogistic(double t) {
        return t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t));
    }
}
