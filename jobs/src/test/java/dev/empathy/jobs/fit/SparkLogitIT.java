package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.LogitFit;
import dev.empathy.lib.regression.OlsOptions;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark face of logit against R on {@code datasets::infert} (the R calls and printed values
 * are in {@code LogitAgainstRTest} in lib): {@code glm(case ~ spontaneous + induced + age +
 * factor(education), binomial)} and {@code vcovCL(m, cluster = ~stratum, type = "HC1")}.
 */
class SparkLogitIT {

    static Dataset<Row> infert;

    @BeforeAll
    static void read() {
        infert = SharedSpark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(Path.of("../lib/src/test/resources/r/infert.csv").toString());
    }

    private static LogitFit fit(Dataset<Row> data, CovarianceType type) {
        return SparkLogit.fit(ModelData.bind(data, Formula.parse("case ~ spontaneous + induced + age + C(education)"),
                type == CovarianceType.CLUSTER ? "stratum" : null), OlsOptions.defaults().with(type)).fit();
    }

    private static void near(double expected, double actual, double rel) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected), expected + " vs " + actual);
    }

    @Test
    void matchesGlmAndVcovCl() {
        LogitFit classical = fit(infert, CovarianceType.CLASSICAL);
        near(1.2171285738496072, classical.estimate("spontaneous").estimate(), 1e-9);
        near(0.2134142448689006, classical.estimate("spontaneous").stdError(), 1e-9);
        near(0.7047779755515799, classical.estimate("C(education)[T.6-11yrs]").stdError(), 1e-9);
        near(-139.469626060775, classical.logLikelihood(), 1e-12);
        LogitFit cluster = fit(infert.repartition(3), CovarianceType.CLUSTER);
        near(0.2164869128580040, cluster.estimate("spontaneous").stdError(), 1e-9);
        near(0.7093824414829861, cluster.estimate("Intercept").stdError(), 1e-9);
        assertEquals(83, cluster.clusters());
    }

    @Test
    void partitionsAndRowOrderDoNotMatter() {
        LogitFit one = fit(infert.repartition(1), CovarianceType.CLUSTER);
        LogitFit many = fit(infert.orderBy(rand(3)).repartition(8), CovarianceType.CLUSTER);
        for (int j = 0; j < one.estimates().size(); j++) {
            near(one.estimates().get(j).estimate(), many.estimates().get(j).estimate(), 1e-10);
            near(one.estimates().get(j).stdError(), many.estimates().get(j).stdError(), 1e-10);
        }
    }
}
