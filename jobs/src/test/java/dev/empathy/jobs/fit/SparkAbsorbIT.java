package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OlsOptions;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Absorbed fixed effects over Spark against R's dummy-variable models on PetersenCL (the R calls
 * and printed values are in {@code AbsorbedFixedEffectsTest} in lib).
 */
class SparkAbsorbIT {

    static Dataset<Row> petersen;

    @BeforeAll
    static void read() {
        petersen = SharedSpark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(Path.of("../lib/src/test/resources/r/PetersenCL.csv").toString()).repartition(3);
    }

    private static void near(double expected, double actual, double rel) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected), expected + " vs " + actual);
    }

    private static OlsFit fit(List<String> absorb, CovarianceType type) {
        return SparkAbsorb.fit(ModelData.bind(petersen, Formula.parse("y ~ x - 1"),
                type == CovarianceType.CLUSTER ? "firm" : null, absorb), absorb, OlsOptions.defaults().with(type)).fit();
    }

    @Test
    void oneFactorMatchesTheDummyModel() {
        OlsFit classical = fit(List.of("firm"), CovarianceType.CLASSICAL);
        near(0.96987486895481, classical.estimate("x").estimate(), 1e-11);
        near(0.0297014941063322, classical.estimate("x").stdError(), 1e-11);
        near(0.0301419733916585, fit(List.of("firm"), CovarianceType.CLUSTER).estimate("x").stdError(), 1e-11);
    }

    @Test
    void twoFactorsMatchTheDummyModel() {
        OlsFit classical = fit(List.of("firm", "year"), CovarianceType.CLASSICAL);
        near(0.970049263396332, classical.estimate("x").estimate(), 1e-9);
        near(0.0297661992936097, classical.estimate("x").stdError(), 1e-9);
        near(0.030217414414389, fit(List.of("firm", "year"), CovarianceType.CLUSTER).estimate("x").stdError(), 1e-9);
    }
}
