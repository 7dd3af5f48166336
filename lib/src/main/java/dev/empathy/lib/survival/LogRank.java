package dev.empathy.lib.survival;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;

/**
 * The log-rank test of equal survival across groups (Mantel 1966; R's {@code survdiff} with
 * {@code rho = 0}): at each event time the observed events of each group are compared with
 * those expected under one common hazard, {@code chi2 = (O - E)' V^-1 (O - E)} over all groups
 * but the last, with {@code groups - 1} degrees of freedom and the hypergeometric variance.
 */
public final class LogRank {

    /** The test's statistic, degrees of freedom and p-value. */
    public record Result(double chiSquare, int df, double pValue) {
    }

    private LogRank() {
    }

    public static Result test(Map<String, TreeMap<Double, KaplanMeier.TimeCount>> counts) {
        List<String> groups = new ArrayList<>(counts.keySet());
        int g = groups.size();
        if (g < 2) {
            throw new IllegalArgumentException("the log-rank test needs at least two groups, found " + g);
        }
        TreeSet<Double> times = new TreeSet<>();
        counts.values().forEach(m -> times.addAll(m.keySet()));
        long[] atRisk = new long[g];
        for (int k = 0; k < g; k++) {
            atRisk[k] = counts.get(groups.get(k)).values().stream().mapToLong(c -> c.events() + c.censored()).sum();
        }
        double[] observedMinusExpected = new double[g];
        double[][] variance = new double[g][g];
        for (double t : times) {
            long[] d = new long[g];
            long[] c = new long[g];
            long dTotal = 0;
            long nTotal = 0;
            for (int k = 0; k < g; k++) {
                KaplanMeier.TimeCount tc = counts.get(groups.get(k)).get(t);
                if (tc != null) {
                    d[k] = tc.events();
                    c[k] = tc.censored();
                }
                dTotal += d[k];
                nTotal += atRisk[k];
            }
            if (dTotal > 0) {
                double factor = nTotal > 1 ? (double) dTotal * (nTotal - dTotal) / ((double) nTotal * nTotal * (nTotal - 1)) : 0;
                for (int k = 0; k < g; k++) {
                    observedMinusExpected[k] += d[k] - (double) dTotal * atRisk[k] / nTotal;
                    for (int l = 0; l < g; l++) {
                        double delta = k == l ? (double) atRisk[k] * nTotal : 0;
                        variance[k][l] += factor * (delta - (double) atRisk[k] * atRisk[l]);
                    }
                }
            }
            for (int k = 0; k < g; k++) {
                atRisk[k] -= d[k] + c[k];
            }
        }
        int df = g - 1;
        double[][] v = new double[df][df];
        double[] u = new double[df];
        for (int k = 0; k < df; k++) {
            u[k] = observedMinusExpected[k];
            for (int l = 0; l < df; l++) {
                v[k][l] = variance[k][l];
            }
        }
        double[] solved = new LUDecomposition(new Array2DRowRealMatrix(v, false)).getSolver()
                .solve(new ArrayRealVector(u, false)).toArray();
        double chi = 0;
        for (int k = 0; k < df; k++) {
            chi += u[k] * solved[k];
        }
        return new Result(chi, df, 1 - new ChiSquaredDistribution(df).cumulativeProbability(chi));
    }
}
