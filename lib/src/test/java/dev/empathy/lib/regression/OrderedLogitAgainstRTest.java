package dev.empathy.lib.regression;

import static dev.empathy.lib.regression.Tolerance.assertRelative;
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
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proportional-odds logit against R's {@code MASS::polr} on {@code MASS::housing} (Copenhagen
 * housing satisfaction, 72 cells with a count each), expanded to one row per resident (1,681
 * rows) and written by R's {@code write.csv} to {@code r/housing.csv}: {@code sat} 1 = Low,
 * 2 = Medium, 3 = High; {@code block} numbers the 24 combinations of infl, type and cont (the
 * clusters of the cluster-robust check). Text levels sort by code point here, so R runs in the C
 * collation and the reference levels are infl High, type Apartment, cont High.
 *
 * <pre>
 * # R 4.2.2, MASS 7.3-58.2
 * h <- housing[rep(seq_len(nrow(housing)), housing$Freq), c("Sat", "Infl", "Type", "Cont")]
 * d <- data.frame(sat = as.integer(h$Sat), infl = as.character(h$Infl), type = as.character(h$Type),
 *                 cont = as.character(h$Cont), block = as.integer(interaction(h$Infl, h$Type, h$Cont, drop = TRUE)))
 * write.csv(d, "housing.csv", row.names = FALSE)
 *
 * Sys.setlocale("LC_COLLATE", "C"); d <- read.csv("housing.csv"); options(digits = 15)
 * m <- polr(factor(sat) ~ infl + type + cont, data = d, Hess = TRUE, control = list(reltol = 1e-12))
 * summary(m)
 * Coefficients:
 *                       Value      Std. Error         t value
 * inflLow     -1.288819116009 0.1271561476726 -10.13572005443
 * inflMedium  -0.722425381014 0.1242704787359  -5.81333063462
 * typeAtrium   0.206163633748 0.1380363529506   1.49354593439
 * typeTerrace -0.518664655107 0.1334269749843  -3.88725484609
 * typeTower    0.572349997531 0.1192380118361   4.80006324088
 * contLow     -0.360284003320 0.0955357977406  -3.77119374979
 * Intercepts:
 *     Value            Std. Error       t value
 * 1|2  -1.572888248838   0.125698511767 -12.513181156487
 * 2|3  -0.386044849851   0.119888673260  -3.220027708646
 * Residual Deviance: 3479.14929905895
 * AIC: 3495.14929905895
 * logLik(m)   # -1739.57464952947 (df=8)
 * polr(factor(sat) ~ 1, data = d, control = list(reltol = 1e-12))   # logLik -1824.43881052282
 * </pre>
 *
 * polr maximises by BFGS and differentiates its gradient numerically for the Hessian, so its
 * figures carry about 1e-8 of error (ours differ from them by 1.2e-8 at most, standard errors by
 * 3e-8). Three Newton steps by hand from polr's estimates, with the analytic score {@code S}
 * (n x p) and Hessian {@code H} of the log-likelihood in {@code (beta, zeta)} written out in R
 * ({@code r/housing-polr.R}, which also writes the CSV and prints everything quoted here), reach a
 * score of 2e-14; ours agree with that maximum and with the sandwiches by hand to 1e-13:
 *
 * <pre>
 * theta   # -1.288819110372256 -0.722425372466330  0.206163631353028 -0.518664656927624
 *         #  0.572350002041979 -0.360284004569130 -1.572888251096501 -0.386044853636260
 * V <- solve(-H); sqrt(diag(V))
 *         #  0.1271561445677426 0.1242704754106408 0.1380363489123669 0.1334269710583918
 *         #  0.1192380085965917 0.0955357950023714 0.1256985115571736 0.1198886708035550
 * sum(log(pr))   # -1739.5746495294745
 * U <- rowsum(S, d$block); G <- nrow(U)   # 24
 * sqrt(diag(V %*% crossprod(U) %*% V * G / (G - 1) * (n - 1) / (n - p)))
 *         #  0.1240574595219665 0.1180394451198069 0.1229490127737998 0.1760672310042429
 *         #  0.1752033592284178 0.1202427543287758 0.0949769135714304 0.1060985156363173
 * sqrt(diag(V %*% crossprod(S) %*% V * n / (n - p)))
 *         #  0.1289089919040297 0.1267936343570794 0.1346558744231995 0.1329447918940966
 *         #  0.1211541237695668 0.0964859657317129 0.1276522648385661 0.1215417723022886
 * </pre>
 */
class OrderedLogitAgainstRTest {

    static final List<String> TERMS = List.of("C(infl)[T.Low]", "C(infl)[T.Medium]", "C(type)[T.Atrium]",
            "C(type)[T.Terrace]", "C(type)[T.Tower]", "C(cont)[T.Low]", "1|2", "2|3");

    static ModelFrame frame;
    static Object[] blocks;

    @BeforeAll
    static void read() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                OrderedLogitAgainstRTest.class.getResourceAsStream("/r/housing.csv")), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line; (line = in.readLine()) != null; ) {
                rows.add(line.replace("\"", "").split(","));
            }
        }
        int n = rows.size();
        double[] sat = new double[n];
        String[][] text = new String[3][n];
        double[] block = new double[n];
        for (int i = 0; i < n; i++) {
            String[] r = rows.get(i);
            sat[i] = Double.parseDouble(r[0]);
            for (int j = 0; j < 3; j++) {
                text[j][i] = r[j + 1];
            }
            block[i] = Double.parseDouble(r[4]);
        }
        Table table = Table.builder().numbers("sat", sat).texts("infl", text[0]).texts("type", text[1])
                .texts("cont", text[2]).numbers("block", block).build();
        frame = ModelFrame.of(Formula.parse("sat ~ C(infl) + C(type) + C(cont)"), table);
        blocks = frame.valuesAt(table, "block");
    }

    static OrderedLogitFit fit(CovarianceType type) {
        return OrderedLogit.fit(frame.design(), frame.response(), type == CovarianceType.CLUSTER ? blocks : null,
                OlsOptions.defaults().with(type), "sat");
    }

    @Test
    void matchesPolr() {
        OrderedLogitFit fit = fit(CovarianceType.CLASSICAL);
        assertTrue(fit.converged() && fit.notes().isEmpty(), fit::toString);
        assertEquals(TERMS, fit.estimates().stream().map(Estimate::term).toList());
        assertEquals(List.of("1", "2", "3"), fit.levels());
        assertEquals(1681, fit.n());
        double[] polr = {-1.288819116009241, -0.722425381014266, 0.206163633747787, -0.518664655107152,
            0.572349997530807, -0.360284003320446, -1.572888248838397, -0.386044849851303};
        double[] polrSe = {0.1271561476725834, 0.1242704787358733, 0.1380363529505559, 0.1334269749842694,
            0.1192380118361400, 0.0955357977405725, 0.1256985117667685, 0.1198886732604073};
        List<Estimate> e = fit.estimates();
        for (int j = 0; j < polr.length; j++) {
            assertRelative(polr[j], e.get(j).estimate(), 1e-6, TERMS.get(j));
            assertRelative(polrSe[j], e.get(j).stdError(), 1e-6, "se " + TERMS.get(j));
        }
        assertRelative(-1739.57464952947, fit.logLikelihood(), 1e-12, "log-likelihood");
        assertRelative(-1824.43881052282, fit.nullLogLikelihood(), 1e-12, "null log-likelihood");
        assertRelative(3495.14929905895, fit.aic(), 1e-12, "AIC");
    }

    @Test
    void matchesTheMaximumByHandToTwelveDigits() {
        OrderedLogitFit fit = fit(CovarianceType.CLASSICAL);
        double[] theta = {-1.288819110372256, -0.722425372466330, 0.206163631353028, -0.518664656927624,
            0.572350002041979, -0.360284004569130, -1.572888251096501, -0.386044853636260};
        double[] se = {0.1271561445677426, 0.1242704754106408, 0.1380363489123669, 0.1334269710583918,
            0.1192380085965917, 0.0955357950023714, 0.1256985115571736, 0.1198886708035550};
        for (int j = 0; j < theta.length; j++) {
            assertRelative(theta[j], fit.estimates().get(j).estimate(), 1e-12, TERMS.get(j));
            assertRelative(se[j], fit.estimates().get(j).stdError(), 1e-12, "se " + TERMS.get(j));
        }
        assertRelative(-1739.5746495294745, fit.logLikelihood(), 1e-14, "log-likelihood");
    }

    @Test
    void clusterAndHc1MatchTheSandwichByHand() {
        OrderedLogitFit cluster = fit(CovarianceType.CLUSTER);
        double[] clusterSe = {0.1240574595219665, 0.1180394451198069, 0.1229490127737998, 0.1760672310042429,
            0.1752033592284178, 0.1202427543287758, 0.0949769135714304, 0.1060985156363173};
        for (int j = 0; j < clusterSe.length; j++) {
            assertRelative(clusterSe[j], cluster.estimates().get(j).stdError(), 1e-12, "cluster se " + TERMS.get(j));
        }
        assertEquals(24, cluster.clusters());
        assertEquals(CovarianceType.CLUSTER, cluster.covarianceType());
        OrderedLogitFit hc1 = fit(CovarianceType.HC1);
        double[] hc1Se = {0.1289089919040297, 0.1267936343570794, 0.1346558744231995, 0.1329447918940966,
            0.1211541237695668, 0.0964859657317129, 0.1276522648385661, 0.1215417723022886};
        for (int j = 0; j < hc1Se.length; j++) {
            assertRelative(hc1Se[j], hc1.estimates().get(j).stdError(), 1e-12, "hc1 se " + TERMS.get(j));
        }
    }
}
