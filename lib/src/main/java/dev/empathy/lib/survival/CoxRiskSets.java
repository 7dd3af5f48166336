package dev.empathy.lib.survival;

/**
 * The sums one distinct time contributes to a Cox partial likelihood at given coefficients, and
 * the running risk-set sums, so that the likelihood, score and information can be built from
 * per-time aggregates (arrays or a Spark group-by on time).
 *
 * <p>For each distinct time, from the latest to the earliest: everyone with that time joins the
 * risk set ({@code S0 = sum e^{eta}}, {@code S1 = sum x e^{eta}}, {@code S2 = sum x x' e^{eta}});
 * the {@code d} events at that time add {@code sum eta} to the log-likelihood and
 * {@code sum x} to the score, and for {@code l = 0..d-1} with {@code f = l/d} (Efron; 0 for
 * Breslow) the denominators {@code S0 - f D0} etc. enter, {@code D} being the events' own sums.
 */
public final class CoxRiskSets {

    private final int p;
    private final Ties ties;
    private double s0;
    private final double[] s1;
    private final double[][] s2;
    private double logLikelihood;
    private long eventCount;
    private final double[] score;
    private final double[][] information;

    public CoxRiskSets(int p, Ties ties) {
        this.p = p;
        this.ties = ties;
        this.s1 = new double[p];
        this.s2 = new double[p][p];
        this.score = new double[p];
        this.information = new double[p][p];
    }

    /**
     * One distinct time, taken in decreasing order.
     *
     * @param all    sums over everyone with this time: {e^eta, x e^eta (p), x x' e^eta (p*p)}
     * @param events sums over the events at this time: count d, sum eta, sum x (p),
     *               and {e^eta, x e^eta, x x' e^eta} as in {@code all}
     */
    public void addTime(TimeSums all, TimeSums events, long d, double sumEta, double[] sumX) {
        s0 += all.e;
        for (int i = 0; i < p; i++) {
            s1[i] += all.xe[i];
            for (int j = 0; j < p; j++) {
                s2[i][j] += all.xxe[i][j];
            }
        }
        if (d == 0) {
            return;
        }
        eventCount += d;
        logLikelihood += sumEta;
        for (int i = 0; i < p; i++) {
            score[i] += sumX[i];
        }
        for (long l = 0; l < d; l++) {
            double f = ties == Ties.EFRON ? (double) l / d : 0.0;
            double denominator = s0 - f * events.e;
            logLikelihood -= Math.log(denominator);
            double[] mean = new double[p];
            for (int i = 0; i < p; i++) {
                mean[i] = (s1[i] - f * events.xe[i]) / denominator;
                score[i] -= mean[i];
            }
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    information[i][j] += (s2[i][j] - f * events.xxe[i][j]) / denominator - mean[i] * mean[j];
                }
            }
        }
    }

    public double logLikelihood() {
        return logLikelihood;
    }

    /** Events over every time added. */
    public long events() {
        return eventCount;
    }

    public double[] score() {
        return score.clone();
    }

    public double[][] information() {
        double[][] copy = new double[p][];
        for (int i = 0; i < p; i++) {
            copy[i] = information[i].clone();
        }
        return copy;
    }

    /** Sums of {@code e^eta}, {@code x e^eta} and {@code x x' e^eta} over a set of subjects; mergeable. */
    public static final class TimeSums implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        double e;
        final double[] xe;
        final double[][] xxe;

        public TimeSums(int p) {
            xe = new double[p];
            xxe = new double[p][p];
        }

        public void add(double[] x, double expEta) {
            e += expEta;
            for (int i = 0; i < x.length; i++) {
                double a = x[i] * expEta;
                xe[i] += a;
                for (int j = 0; j < x.length; j++) {
                    xxe[i][j] += a * x[j];
                }
            }
        }

        public void merge(TimeSums o) {
            e += o.e;
            for (int i = 0; i < xe.length; i++) {
                xe[i] += o.xe[i];
                for (int j = 0; j < xe.length; j++) {
                    xxe[i][j] += o.xxe[i][j];
                }
            }
        }
    }
}
