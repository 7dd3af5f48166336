package dev.empathy.lib.regression;

import static dev.empathy.lib.regression.Tolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Classical, HC1 and cluster standard errors against R on Petersen's simulated panel
 * ({@code sandwich::PetersenCL}: 5,000 rows, 500 firms by 10 years), written to
 * {@code r/PetersenCL.csv} by R's {@code write.csv} and read back for every figure below:
 *
 * <pre>
 * # R 4.2.2, sandwich 3.0.2
 * d <- read.csv("PetersenCL.csv"); d$x2 <- d$x^2
 * m <- lm(y ~ x + x2, data = d); options(digits = 15)
 * coef(m)        #  0.0535256875021818  1.0338450421942715 -0.0242187144278448
 * summary(m)     # sigma 2.005197419298209, r2 0.207987185492207, adj 0.207670190169210,
 *                # F 656.12067561713 on 2 and 4997 DF;  logLik(m) -10571.9048128518
 * sqrt(diag(vcov(m)))                                   # 0.0348017601357030 0.0285943808473088 0.0204889800042134
 * sqrt(diag(vcovHC(m, type = "HC1")))                   # 0.0349398768567056 0.0283843452097658 0.0204440080241388
 * sqrt(diag(vcovCL(m, cluster = ~firm, type = "HC1")))  # 0.0730136403419373 0.0503513368857682 0.0272570622586024
 * sqrt(diag(vcovCL(m, cluster = ~year, type = "HC1")))  # 0.0459374319687877 0.0326249645092573 0.0268721310739346
 * V <- vcovCL(m, cluster = ~firm, type = "HC1"); b <- coef(m)
 * t(b[-1]) %*% solve(V[-1,-1]) %*% b[-1] / 2            # 212.189843301501 (Wald F)
 * b["x"] - qt(0.975, 499) * sqrt(V[2,2])                # 0.93491829073928 (t with G - 1 = 499 df)
 * 2 * pt(-abs(b["x2"] / sqrt(V[3,3])), 499)             # 0.374683887545197
 * </pre>
 */
class OlsAgainstRTest {

    private static final double REL = 1e-10;

    static Design design;
    static double[] y;
    static Integer[] firm;
    static Integer[] year;

    @BeforeAll
    static void read() throws IOException {
        if (design != null) {
            return;
        }
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                OlsAgainstRTest.class.getResourceAsStream("/r/PetersenCL.csv")), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line; (line = in.readLine()) != null; ) {
                String[] p = line.split(",");
                rows.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                        Double.parseDouble(p[3])});
            }
        }
        int n = rows.size();
        double[] x = new double[n];
        double[] x2 = new double[n];
        y = new double[n];
        firm = new Integer[n];
        year = new Integer[n];
        for (int i = 0; i < n; i++) {
            double[] r = rows.get(i);
            firm[i] = (int) r[0];
            year[i] = (int) r[1];
            x[i] = r[2];
            x2[i] = r[2] * r[2];
            y[i] = r[3];
        }
        design = Design.of(List.of("x", "x2"), List.of(x, x2), true);
    }

    private static void assertSe(OlsFit fit, double... expected) {
        for (int j = 0; j < expected.length; j++) {
            assertRelative(expected[j], fit.estimates().get(j).stdError(), REL, fit.covarianceType() + " se " + j);
        }
    }

    @Test
    void classicalMatchesLm() {
        OlsFit fit = Ols.fit(design, y, null, OlsOptions.defaults());
        assertEquals(List.of("Intercept", "x", "x2"), fit.terms());
        double[] b = {0.0535256875021818, 1.0338450421942715, -0.0242187144278448};
        for (int j = 0; j < 3; j++) {
            assertRelative(b[j], fit.estimates().get(j).estimate(), REL, "coefficient " + j);
        }
        assertSe(fit, 0.0348017601357030, 0.0285943808473088, 0.0204889800042134);
        FitStatistics s = fit.statistics();
        assertEquals(5000, s.n());
        assertEquals(3, s.k());
        assertRelative(2.005197419298209, s.rmse(), REL, "sigma");
        assertRelative(0.207987185492207, s.rSquared(), REL, "r2");
        assertRelative(0.207670190169210, s.adjRSquared(), REL, "adj r2");
        assertRelative(656.12067561713, s.fStatistic(), REL, "F");
        assertEquals(2, s.fDf1());
        assertEquals(4997, s.fDf2());
        assertRelative(-10571.9048128518, s.logLikelihood(), REL, "log-likelihood");
    }

    @Test
    void hc1MatchesSandwich() {
        assertSe(Ols.fit(design, y, null, OlsOptions.defaults().with(CovarianceType.HC1)),
                0.0349398768567056, 0.0283843452097658, 0.0204440080241388);
    }

    @Test
    void clusterMatchesVcovClWithStataAdjustmentAndGMinusOneDf() {
        OlsFit byFirm = Ols.fit(design, y, firm, OlsOptions.defaults().with(CovarianceType.CLUSTER));
        assertSe(byFirm, 0.0730136403419373, 0.0503513368857682, 0.0272570622586024);
        assertEquals(500, byFirm.statistics().clusters());
        assertEquals(499, byFirm.statistics().fDf2());
        assertRelative(212.189843301501, byFirm.statistics().fStatistic(), 1e-9, "Wald F");
        assertRelative(0.93491829073928, byFirm.estimate("x").ciLow(), 1e-9, "ci low with t(499)");
        assertRelative(0.374683887545197, byFirm.estimate("x2").pValue(), 1e-9, "p-value with t(499)");

        OlsFit byYear = Ols.fit(design, y, year, OlsOptions.defaults().with(CovarianceType.CLUSTER));
        assertSe(byYear, 0.0459374319687877, 0.0326249645092573, 0.0268721310739346);
    }

    @Test
    void rowOrderDoesNotMoveTheEstimates() {
        OlsFit ordered = Ols.fit(design, y, firm, OlsOptions.defaults().with(CovarianceType.CLUSTER));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(42));
        double[][] columns = new double[3][y.length];
        double[] ys = new double[y.length];
        Integer[] cs = new Integer[y.length];
        for (int i = 0; i < y.length; i++) {
            int from = order.get(i);
            for (int j = 0; j < 3; j++) {
                columns[j][i] = design.columns()[j][from];
            }
            ys[i] = y[from];
            cs[i] = firm[from];
        }
        OlsFit shuffled = Ols.fit(new Design(design.names(), columns, true), ys, cs,
                OlsOptions.defaults().with(CovarianceType.CLUSTER));
        for (int j = 0; j < 3; j++) {
            assertRelative(ordered.estimates().get(j).estimate(), shuffled.estimates().get(j).estimate(), 1e-12, "b" + j);
            assertRelative(ordered.estimates().get(j).stdError(), shuffled.estimates().get(j).stdError(), 1e-12, "se" + j);
        }
    }

    @Test
    void mergedPartitionsGiveTheSameFactorAsOnePass() {
        double[] shift = {0, 0.03, 1.0};
        QrAccumulator whole = new QrAccumulator(shift);
        QrAccumulator[] parts = {new QrAccumulator(shift), new QrAccumulator(shift), new QrAccumulator(shift)};
        double[] row = new double[3];
        for (int i = 0; i < y.length; i++) {
            design.row(i, row);
            whole.add(row, y[i]);
            parts[i % 3].add(row, y[i]);
        }
        parts[0].merge(parts[1]);
        parts[0].merge(parts[2]);
        LeastSquaresSolution a = LeastSquaresSolution.solve(whole, true, 1e-10);
        LeastSquaresSolution b = LeastSquaresSolution.solve(parts[0], true, 1e-10);
        for (int j = 0; j < 3; j++) {
            assertRelative(a.originalCoefficients()[j], b.originalCoefficients()[j], 1e-12, "b" + j);
        }
        assertRelative(a.residualSumSquares, b.residualSumSquares, 1e-12, "rss");
        assertEquals(5000, b.n);
    }

    @Test
    void anExactlyCollinearTermIsDroppedAndNamed() {
        double[] x = design.columns()[1];
        double[] twice = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            twice[i] = 2 * x[i] - 1;
        }
        Design collinear = Design.of(List.of("x", "x_again", "x2"), List.of(x, twice, design.columns()[2]), true);
        OlsFit fit = Ols.fit(collinear, y, null, OlsOptions.defaults());
        assertEquals(List.of("x_again"), fit.aliased());
        assertEquals(List.of("Intercept", "x", "x2"), fit.terms());
        assertRelative(1.0338450421942715, fit.estimate("x").estimate(), REL, "x");
        assertRelative(0.0285943808473088, fit.estimate("x").stdError(), REL, "se x");
    }

    @Test
    void clusterErrorsWithOneClusterAreNotDefinedAndNoted() {
        Integer[] one = new Integer[y.length];
        java.util.Arrays.fill(one, 7);
        OlsFit fit = Ols.fit(design, y, one, OlsOptions.defaults().with(CovarianceType.CLUSTER));
        assertTrue(fit.has(FitNote.Problem.SINGLE_CLUSTER));
        assertEquals("cluster standard errors need at least 2 clusters, found 1: standard errors are not defined",
                fit.notes().get(0).message());
        // The estimates do not depend on the standard errors: R's lm, as in classicalMatchesLm.
        assertRelative(1.0338450421942715, fit.estimate("x").estimate(), REL, "x");
        assertTrue(Double.isNaN(fit.estimate("x").stdError()));
        assertTrue(Double.isNaN(fit.estimate("x").pValue()));
        assertTrue(fit.usable());
    }
}
