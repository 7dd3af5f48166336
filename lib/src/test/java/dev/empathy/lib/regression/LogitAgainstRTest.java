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
 * Logistic regression against R on {@code datasets::infert} (248 women, 83 matched strata),
 * written by R's {@code write.csv} to {@code r/infert.csv} and read back:
 *
 * <pre>
 * # R 4.2.2, sandwich 3.0.2
 * d <- read.csv("infert.csv"); options(digits = 15)
 * m <- glm(case ~ spontaneous + induced + age + factor(education), family = binomial, data = d,
 *          control = glm.control(epsilon = 1e-14, maxit = 100))
 * coef(m)   # -2.4979130165079799 1.2171285738496072 0.4437331568126041 0.0204909041862606
 *           #  0.0862029629946475 0.1634766198349781
 * sqrt(diag(vcov(m)))  # 1.3070459255777738 0.2134142448689006 0.2107040578565170 0.0299827814206538
 *                      # 0.7168950965805057 0.7047779755515799
 * sqrt(diag(vcovCL(m, cluster = ~stratum, type = "HC1")))
 *                      # 0.7093824414829861 0.2164869128580040 0.1754830201522714 0.0159844283680048
 *                      # 0.3319124561211217 0.3126486401959933
 * logLik(m)            # -139.469626060775;  deviance 278.939252121551, null 316.171110816404
 * summary(m)$coefficients[, 4]  # p: 5.59900061736500e-02 1.17629170622803e-08 3.52083056832263e-02 ...
 * </pre>
 */
class LogitAgainstRTest {

    static ModelFrame frame;
    static Object[] strata;

    @BeforeAll
    static void read() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                LogitAgainstRTest.class.getResourceAsStream("/r/infert.csv")), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line; (line = in.readLine()) != null; ) {
                rows.add(line.replace("\"", "").split(","));
            }
        }
        int n = rows.size();
        String[] education = new String[n];
        double[][] numbers = new double[6][n];
        for (int i = 0; i < n; i++) {
            String[] r = rows.get(i);
            education[i] = r[0];
            for (int j = 1; j <= 6; j++) {
                numbers[j - 1][i] = Double.parseDouble(r[j]);
            }
        }
        Table table = Table.builder().texts("education", education).numbers("age", numbers[0])
                .numbers("parity", numbers[1]).numbers("induced", numbers[2]).numbers("case", numbers[3])
                .numbers("spontaneous", numbers[4]).numbers("stratum", numbers[5]).build();
        frame = ModelFrame.of(Formula.parse("case ~ spontaneous + induced + age + C(education)"), table);
        strata = frame.valuesAt(table, "stratum");
    }

    @Test
    void classicalMatchesGlm() {
        LogitFit fit = Logit.fit(frame.design(), frame.response(), null, OlsOptions.defaults());
        assertTrue(fit.converged());
        assertEquals(List.of("Intercept", "spontaneous", "induced", "age", "C(education)[T.12+ yrs]",
                "C(education)[T.6-11yrs]"), fit.estimates().stream().map(Estimate::term).toList());
        double[] b = {-2.4979130165079799, 1.2171285738496072, 0.4437331568126041, 0.0204909041862606,
            0.0862029629946475, 0.1634766198349781};
        double[] se = {1.3070459255777738, 0.2134142448689006, 0.2107040578565170, 0.0299827814206538,
            0.7168950965805057, 0.7047779755515799};
        for (int j = 0; j < b.length; j++) {
            assertRelative(b[j], fit.estimates().get(j).estimate(), 1e-9, "b" + j);
            assertRelative(se[j], fit.estimates().get(j).stdError(), 1e-9, "se" + j);
        }
        assertRelative(-139.469626060775, fit.logLikelihood(), 1e-12, "log-likelihood");
        assertRelative(316.171110816404, fit.nullDeviance(), 1e-12, "null deviance");
        assertRelative(5.59900061736500e-02, fit.estimates().get(0).pValue(), 1e-8, "p intercept");
        assertRelative(1.17629170622803e-08, fit.estimates().get(1).pValue(), 1e-7, "p spontaneous");
    }

    @Test
    void clusterMatchesVcovCl() {
        LogitFit fit = Logit.fit(frame.design(), frame.response(), strata,
                OlsOptions.defaults().with(CovarianceType.CLUSTER));
        double[] se = {0.7093824414829861, 0.2164869128580040, 0.1754830201522714, 0.0159844283680048,
            0.3319124561211217, 0.3126486401959933};
        for (int j = 0; j < se.length; j++) {
            assertRelative(se[j], fit.estimates().get(j).stdError(), 1e-9, "cluster se" + j);
        }
        assertEquals(83, fit.clusters());
    }
}
