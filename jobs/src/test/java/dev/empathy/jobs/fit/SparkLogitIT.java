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

    private static LogitFit fit(Dataset<Row> data, CovarianceType type, long driverValues) {
        return SparkLogit.fit(ModelData.bind(data, Formula.parse("case ~ spontaneous + induced + age + C(education)"),
                type == CovarianceType.CLUSTER ? "stratum" : null), OlsOptions.defaults().with(type), driverValues)
                .fit();
    }

    /**
     * Over Spark (the rows in persisted blocks, laid out by cluster, the cluster meat summed
     * within partitions) the fit matches R as on the driver, and each route gives the same bits
     * whatever the input's partitions and row order.
     */
    @Test
    void overSparkBlocksMatchesRAndEachRouteIsBitForBit() {
        LogitFit sparkOne = fit(infert.repartition(1), CovarianceType.CLUSTER, 0);
        LogitFit sparkMany = fit(infert.orderBy(rand(7)).repartition(5), CovarianceType.CLUSTER, 0);
        near(1.2171285738496072, sparkOne.estimate("spontaneous").estimate(), 1e-9);
        near(0.2164869128580040, sparkOne.estimate("spontaneous").stdError(), 1e-9);
        near(0.7093824414829861, sparkOne.estimate("Intercept").stdError(), 1e-9);
        assertEquals(83, sparkOne.clusters());
        LogitFit driverOne = fit(infert.repartition(1), CovarianceType.CLUSTER, Long.MAX_VALUE);
        LogitFit driverMany = fit(infert.orderBy(rand(7)).repartition(5), CovarianceType.CLUSTER, Long.MAX_VALUE);
        for (int j = 0; j < sparkOne.estimates().size(); j++) {
            assertEquals(sparkOne.estimates().get(j).estimate(), sparkMany.estimates().get(j).estimate());
            assertEquals(sparkOne.estimates().get(j).stdError(), sparkMany.estimates().get(j).stdError());
            assertEquals(driverOne.estimates().get(j).estimate(), driverMany.estimates().get(j).estimate());
            assertEquals(driverOne.estimates().get(j).stdError(), driverMany.estimates().get(j).stdError());
        }
        LogitFit hc1 = fit(infert.repartition(2), CovarianceType.HC1, 0);
        LogitFit hc1Driver = fit(infert.repartition(3), CovarianceType.HC1, Long.MAX_VALUE);
        for (int j = 0; j < hc1.estimates().size(); j++) {
            near(hc1Driver.estimates().get(j).stdError(), hc1.estimates().get(j).stdError(), 1e-10);
        }
    }
}
