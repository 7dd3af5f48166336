package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.ModelFrame;
import dev.empathy.lib.formula.Table;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.FitNote;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.OrderedLogit;
import dev.empathy.lib.regression.OrderedLogitFit;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark face of the ordered logit against R on {@code MASS::housing} expanded to 1,681 rows
 * ({@code r/housing.csv}; the R session, {@code polr(factor(sat) ~ infl + type + cont, Hess = TRUE,
 * control = list(reltol = 1e-12))} and the sandwich by block written out by hand, is quoted in
 * {@code OrderedLogitAgainstRTest} in lib and kept in {@code r/housing-polr.R}).
 */
class SparkOrderedLogitIT {

    static final String FORMULA = "sat ~ C(infl) + C(type) + C(cont)";

    static Dataset<Row> housing;

    @BeforeAll
    static void read() {
        housing = SharedSpark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(Path.of("../lib/src/test/resources/r/housing.csv").toString());
    }

    private static OrderedLogitFit fit(Dataset<Row> data, CovarianceType type) {
        return SparkOrderedLogit.fit(ModelData.bind(data, Formula.parse(FORMULA),
                type == CovarianceType.CLUSTER ? "block" : null), OlsOptions.defaults().with(type)).fit();
    }

    private static void near(double expected, double actual, double rel) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected), expected + " vs " + actual);
    }

    @Test
    void matchesPolrAndTheSandwichByHand() {
        OrderedLogitFit classical = fit(housing, CovarianceType.CLASSICAL);
        assertTrue(classical.usable(), classical::toString);
        // polr's own figures (1e-8 from the maximum), then the maximum by hand.
        near(-1.288819116009241, classical.estimate("C(infl)[T.Low]").estimate(), 1e-6);
        near(0.1271561476725834, classical.estimate("C(infl)[T.Low]").stdError(), 1e-6);
        near(-0.386044849851303, classical.estimate("2|3").estimate(), 1e-6);
        near(-1.288819110372256, classical.estimate("C(infl)[T.Low]").estimate(), 1e-12);
        near(0.1271561445677426, classical.estimate("C(infl)[T.Low]").stdError(), 1e-12);
        near(-1.572888251096501, classical.estimate("1|2").estimate(), 1e-12);
        near(0.1198886708035550, classical.estimate("2|3").stdError(), 1e-12);
        near(-1739.5746495294745, classical.logLikelihood(), 1e-14);
        OrderedLogitFit cluster = fit(housing.repartition(3), CovarianceType.CLUSTER);
        near(0.1240574595219665, cluster.estimate("C(infl)[T.Low]").stdError(), 1e-12);
        near(0.1760672310042429, cluster.estimate("C(type)[T.Terrace]").stdError(), 1e-12);
        near(0.1060985156363173, cluster.estimate("2|3").stdError(), 1e-12);
        assertEquals(24, cluster.clusters());
        OrderedLogitFit hc1 = fit(housing.repartition(2), CovarianceType.HC1);
        near(0.1289089919040297, hc1.estimate("C(infl)[T.Low]").stdError(), 1e-12);
        near(0.1215417723022886, hc1.estimate("2|3").stdError(), 1e-12);
    }

    @Test
    void matchesTheInMemoryFitWhateverThePartitionsAndRowOrder() {
        List<Row> collected = housing.collectAsList();
        int n = collected.size();
        double[] sat = new double[n];
        double[] block = new double[n];
        String[][] text = new String[3][n];
        for (int i = 0; i < n; i++) {
            Row r = collected.get(i);
            sat[i] = ((Number) r.getAs("sat")).doubleValue();
            block[i] = ((Number) r.getAs("block")).doubleValue();
            text[0][i] = r.getAs("infl");
            text[1][i] = r.getAs("type");
            text[2][i] = r.getAs("cont");
        }
        Table table = Table.builder().numbers("sat", sat).texts("infl", text[0]).texts("type", text[1])
                .texts("cont", text[2]).numbers("block", block).build();
        ModelFrame frame = ModelFrame.of(Formula.parse(FORMULA), table);
        OrderedLogitFit memory = OrderedLogit.fit(frame.design(), frame.response(), frame.valuesAt(table, "block"),
                OlsOptions.defaults().with(CovarianceType.CLUSTER));
        OrderedLogitFit one = fit(housing.repartition(1), CovarianceType.CLUSTER);
        OrderedLogitFit many = fit(housing.orderBy(rand(3)).repartition(8), CovarianceType.CLUSTER);
        assertEquals(memory.estimates().stream().map(Estimate::term).toList(),
                many.estimates().stream().map(Estimate::term).toList());
        for (int j = 0; j < memory.estimates().size(); j++) {
            Estimate m = memory.estimates().get(j);
            for (OrderedLogitFit spark : List.of(one, many)) {
                near(m.estimate(), spark.estimates().get(j).estimate(), 1e-10);
                near(m.stdError(), spark.estimates().get(j).stdError(), 1e-10);
            }
        }
    }

    @Test
    void oneLevelIsNotedNotThrown() {
        OrderedLogitFit fit = fit(housing.filter("sat = 2"), CovarianceType.CLUSTER);
        assertTrue(fit.has(FitNote.Problem.CONSTANT_RESPONSE), fit::toString);
        assertFalse(fit.usable());
        assertEquals(446, fit.n());
    }

    /**
     * Average changes in each level's probability, against R on {@code mtcars} (it ships with R;
     * {@code r/mtcars-gear.csv} is {@code write.csv(mtcars[, c("gear", "mpg", "qsec")])}). R 4.2.2,
     * MASS 7.3-58:
     * <pre>
     * fit <- polr(factor(gear) ~ mpg + qsec, data = mtcars, Hess = TRUE, control = list(reltol = 1e-12))
     * X <- as.matrix(mtcars[, c("mpg", "qsec")])
     * ame <- function(theta, term, delta) {            # mean over rows of P_k(x + delta e) - P_k(x)
     *   beta <- theta[1:2]; zeta <- theta[3:4]
     *   probs <- function(X) { eta <- as.vector(X %*% beta)
     *     cum <- cbind(0, sapply(zeta, function(z) plogis(z - eta)), 1); cum[, -1] - cum[, -ncol(cum)] }
     *   X1 <- X; X1[, term] <- X1[, term] + delta; colMeans(probs(X1) - probs(X)) }
     * theta <- c(coef(fit), fit$zeta); h <- 1e-6      # delta method, central differences, polr's vcov
     * G <- sapply(1:4, function(j) { e <- rep(0, 4); e[j] <- h
     *   (ame(theta + e, "mpg", 1) - ame(theta - e, "mpg", 1)) / (2 * h) })
     * sqrt(diag(G %*% vcov(fit) %*% t(G)))
     * # mpg +1:  est -0.04988807702939  0.02087821911257 0.02900985791682
     * #          se   0.00876548523801  0.00912583833939 0.00739233438962
     * # qsec -1: est -0.1204018584202   0.0435657156724  0.0768361427478
     * #          se   0.0321829513344   0.0180554487145  0.0363135107297
     * </pre>
     * polr's covariance inverts a numerically differentiated Hessian, so the standard errors agree
     * to about 1e-4; the changes to about 1e-5 (on these 32 rows polr's BFGS stops a few 1e-6 from the maximum
     * even at reltol 1e-12).
     */
    @Test
    void averageChangesInEachLevelsProbabilityMatchR() {
        Dataset<Row> mtcars = SharedSpark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(Path.of("../lib/src/test/resources/r/mtcars-gear.csv").toString()).repartition(2);
        ModelData model = ModelData.bind(mtcars, Formula.parse("gear ~ mpg + qsec"), null);
        SparkOrderedLogit.Result fitted = SparkOrderedLogit.fit(model, OlsOptions.defaults());
        List<SparkLogit.Change> mpg = SparkOrderedLogit.averageChanges(model, fitted, "mpg", 1.0);
        List<SparkLogit.Change> qsec = SparkOrderedLogit.averageChanges(model, fitted, "qsec", -1.0);
        double[][] expected = {
            {-0.04988807702939, 0.02087821911257, 0.02900985791682},
            {0.00876548523801, 0.00912583833939, 0.00739233438962},
            {-0.1204018584202, 0.0435657156724, 0.0768361427478},
            {0.0321829513344, 0.0180554487145, 0.0363135107297}};
        for (int k = 0; k < 3; k++) {
            near(expected[0][k], mpg.get(k).estimate(), 1e-5);
            near(expected[1][k], Math.sqrt(mpg.get(k).variance()), 1e-4);
            near(expected[2][k], qsec.get(k).estimate(), 1e-5);
            near(expected[3][k], Math.sqrt(qsec.get(k).variance()), 1e-4);
            assertEquals(32, mpg.get(k).n());
        }
        // The levels' changes add up to nothing: probabilities sum to one.
        assertEquals(0, mpg.stream().mapToDouble(SparkLogit.Change::estimate).sum(), 1e-15);
    }

    /** Over Spark (persisted blocks, cluster meat within partitions) the fit gives polr's and the sandwich's values. */
    @Test
    void overSparkBlocksMatchesTheDriverRoute() {
        OrderedLogitFit spark = SparkOrderedLogit.fit(ModelData.bind(housing.orderBy(rand(4)).repartition(4),
                Formula.parse(FORMULA), "block"), OlsOptions.defaults().with(CovarianceType.CLUSTER), 0).fit();
        near(-1.288819110372256, spark.estimate("C(infl)[T.Low]").estimate(), 1e-12);
        near(-1.572888251096501, spark.estimate("1|2").estimate(), 1e-12);
        near(0.1240574595219665, spark.estimate("C(infl)[T.Low]").stdError(), 1e-12);
        near(0.1760672310042429, spark.estimate("C(type)[T.Terrace]").stdError(), 1e-12);
        near(0.1060985156363173, spark.estimate("2|3").stdError(), 1e-12);
        near(-1739.5746495294745, spark.logLikelihood(), 1e-14);
    }
}
