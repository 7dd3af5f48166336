package dev.empathy.lib.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.ModelFrame;
import dev.empathy.lib.formula.Table;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kaplan-Meier, log-rank and Cox against R's {@code survival} on {@code survival::lung} (228
 * patients; {@code event = status - 1}), written by R to {@code r/lung.csv} and read back:
 *
 * <pre>
 * # R 4.2.2, survival 3.5.3; options(digits = 15)
 * d <- read.csv("lung.csv")
 * s <- summary(survfit(Surv(time, event) ~ sex, data = d), censored = TRUE)   # 206 rows
 * #  strata time n.risk n.event n.censor surv              std.err            lower             upper
 * #  sex=1   11   138    3       0       0.978260869565217 0.0124139182765252 0.954230116249187 1.000000000000000
 * #  sex=1   12   135    1       0       0.971014492753623 0.0142811692210120 0.943423496588074 0.999412404447735
 * #  sex=1   59   125    1       0       0.898550724637681 0.0257013674551300 0.849562953991532 0.950363243775516
 * #  sex=2  192    69    0       1       0.818672080078268 0.0410697769150212 0.742007540408355 0.903257633110883
 * #  sex=2  473    22    1       0       0.411046135106688 0.0625843689164016 0.304992921940121 0.553976545132143
 * survdiff(Surv(time, event) ~ sex, data = d)$chisq        # 10.3267419548856, p 0.00131116452035551
 * m <- coxph(Surv(time, event) ~ age + sex + ph.ecog, data = d,
 *            control = coxph.control(eps = 1e-14, iter.max = 100))   # n = 227 (one ph.ecog missing)
 * coef(m)               #  0.0110667645961186 -0.5526123955318371  0.4637284751157322
 * sqrt(diag(vcov(m)))   #  0.0092674110143657  0.1677390537834223  0.1135772661613712
 * m$loglik              # -744.480455761440 -729.230121374862
 * # the same with ties = "breslow":
 * #   coef  0.0110411363857075 -0.5518895696376560  0.4629470403345499
 * #   se    0.00926677011420227 0.16774244801782776 0.11357405206057965
 * #   loglik -744.692819266161 -729.488705176773
 * </pre>
 */
class SurvivalAgainstRTest {

    static Table lung;

    @BeforeAll
    static void read() throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                SurvivalAgainstRTest.class.getResourceAsStream("/r/lung.csv")), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line; (line = in.readLine()) != null; ) {
                String[] p = line.split(",", -1);
                double[] r = new double[p.length];
                for (int i = 0; i < p.length; i++) {
                    r[i] = p[i].isEmpty() ? Double.NaN : Double.parseDouble(p[i]);
                }
                rows.add(r);
            }
        }
        String[] names = {"time", "event", "age", "sex", "ph.ecog", "inst"};
        Table.Builder b = Table.builder();
        for (int j = 0; j < names.length; j++) {
            double[] c = new double[rows.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = rows.get(i)[j];
            }
            b.numbers(names[j], c);
        }
        lung = b.build();
    }

    private static void near(double expected, double actual, double rel, String what) {
        double error = expected == 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(error <= rel, String.format(Locale.ROOT, "%s: expected %.15g got %.15g", what, expected, actual));
    }

    @Test
    void kaplanMeierMatchesSurvfit() {
        String[] sex = new String[lung.rows()];
        for (int i = 0; i < sex.length; i++) {
            sex[i] = "sex=" + (int) lung.numbers("sex")[i];
        }
        List<SurvivalRow> rows = KaplanMeier.fit(lung.numbers("time"), lung.numbers("event"), sex, 0.95);
        assertEquals(206, rows.size());
        Object[][] expected = {
            {0, "sex=1", 11.0, 138L, 3L, 0L, 0.978260869565217, 0.0124139182765252, 0.954230116249187, 1.0},
            {1, "sex=1", 12.0, 135L, 1L, 0L, 0.971014492753623, 0.0142811692210120, 0.943423496588074, 0.999412404447735},
            {9, "sex=1", 59.0, 125L, 1L, 0L, 0.898550724637681, 0.0257013674551300, 0.849562953991532, 0.950363243775516},
            {139, "sex=2", 192.0, 69L, 0L, 1L, 0.818672080078268, 0.0410697769150212, 0.742007540408355, 0.903257633110883},
            {185, "sex=2", 473.0, 22L, 1L, 0L, 0.411046135106688, 0.0625843689164016, 0.304992921940121, 0.553976545132143}};
        for (Object[] e : expected) {
            SurvivalRow r = rows.get((Integer) e[0]);
            assertEquals(e[1], r.group());
            assertEquals((Double) e[2], r.time());
            assertEquals(e[3], r.atRisk());
            assertEquals(e[4], r.events());
            assertEquals(e[5], r.censored());
            near((Double) e[6], r.survival(), 1e-12, "survival " + e[0]);
            near((Double) e[7], r.stdError(), 1e-12, "std error " + e[0]);
            near((Double) e[8], r.ciLow(), 1e-12, "ci low " + e[0]);
            near((Double) e[9], r.ciHigh(), 1e-12, "ci high " + e[0]);
        }
    }

    @Test
    void logRankMatchesSurvdiff() {
        Map<String, TreeMap<Double, KaplanMeier.TimeCount>> counts = new TreeMap<>();
        for (int i = 0; i < lung.rows(); i++) {
            boolean died = lung.numbers("event")[i] != 0;
            counts.computeIfAbsent("sex=" + (int) lung.numbers("sex")[i], k -> new TreeMap<>())
                    .merge(lung.numbers("time")[i], new KaplanMeier.TimeCount(died ? 1 : 0, died ? 0 : 1),
                            KaplanMeier.TimeCount::plus);
        }
        LogRank.Result r = LogRank.test(counts);
        near(10.3267419548856, r.chiSquare(), 1e-12, "chi-square");
        assertEquals(1, r.df());
        near(0.00131116452035551, r.pValue(), 1e-9, "p");
    }

    private static CoxFit cox(Ties ties) {
        ModelFrame frame = ModelFrame.of(Formula.parse("Surv(time, event) ~ age + sex + ph.ecog"), lung);
        int n = frame.response().length;
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = frame.design().columns()[j][i];
            }
        }
        return Cox.fit(frame.design().names(), x, frame.response(), frame.event(), ties, 0.95);
    }

    @Test
    void coxEfronMatchesCoxph() {
        CoxFit fit = cox(Ties.EFRON);
        assertEquals(227, fit.n());
        assertTrue(fit.converged());
        double[] b = {0.0110667645961186, -0.5526123955318371, 0.4637284751157322};
        double[] se = {0.0092674110143657, 0.1677390537834223, 0.1135772661613712};
        for (int j = 0; j < 3; j++) {
            near(b[j], fit.estimates().get(j).estimate(), 1e-9, "b" + j);
            near(se[j], fit.estimates().get(j).stdError(), 1e-9, "se" + j);
        }
        near(-744.480455761440, fit.nullLogLikelihood(), 1e-13, "null log-likelihood");
        near(-729.230121374862, fit.logLikelihood(), 1e-13, "log-likelihood");
    }

    @Test
    void coxBreslowMatchesCoxph() {
        CoxFit fit = cox(Ties.BRESLOW);
        double[] b = {0.0110411363857075, -0.5518895696376560, 0.4629470403345499};
        double[] se = {0.00926677011420227, 0.16774244801782776, 0.11357405206057965};
        for (int j = 0; j < 3; j++) {
            near(b[j], fit.estimates().get(j).estimate(), 1e-9, "b" + j);
            near(se[j], fit.estimates().get(j).stdError(), 1e-9, "se" + j);
        }
        near(-729.488705176773, fit.logLikelihood(), 1e-13, "log-likelihood");
    }
}
