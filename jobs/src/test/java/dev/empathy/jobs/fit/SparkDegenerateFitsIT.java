package dev.empathy.jobs.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.FitNote;
import dev.empathy.lib.regression.LogitFit;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.UnfittableException;
import dev.empathy.lib.survival.CoxFit;
import dev.empathy.lib.survival.Ties;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The Spark fits pass the lib fits' notes and {@link UnfittableException} through. The R calls
 * and printed values of these small data sets are quoted in lib's {@code DegenerateFitsTest} and
 * {@code CoxDegenerateTest}; a counting-process Cox model with every entry time 0 is the same
 * model as {@code Surv(time, status)}.
 */
class SparkDegenerateFitsIT {

    private static final StructType SCHEMA = new StructType()
            .add("start", DataTypes.DoubleType).add("time", DataTypes.DoubleType)
            .add("status", DataTypes.DoubleType).add("none", DataTypes.DoubleType)
            .add("z", DataTypes.DoubleType).add("x", DataTypes.DoubleType)
            .add("y", DataTypes.DoubleType).add("five", DataTypes.DoubleType).add("tenth", DataTypes.DoubleType)
            .add("channel", DataTypes.StringType).add("agent", DataTypes.StringType);

    /** Eight rows: x = 1 has the first four events (monotone likelihood) and separates y. */
    private static Dataset<Row> eight(int partitions) {
        double[] time = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] status = {1, 1, 1, 1, 1, 0, 1, 0};
        double[] x = {1, 1, 1, 1, 0, 0, 0, 0};
        double[] z = {0.5, 1.2, -0.3, 0.8, 1.1, -0.7, 0.2, 0.4};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rows.add(RowFactory.create(0.0, time[i], status[i], 0.0, z[i], x[i], time[i] > 4 ? 1.0 : 0.0, 5.0, 0.1,
                    "chat", "a1"));
        }
        return SharedSpark.session().createDataFrame(rows, SCHEMA).repartition(partitions);
    }

    private static void near(double expected, double actual, double rel) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected), expected + " vs " + actual);
    }

    @Test
    void logitSeparationAndASingleClusterAreNoted() {
        LogitFit fit = SparkLogit.fit(ModelData.bind(eight(2), Formula.parse("y ~ time"), "agent"),
                OlsOptions.defaults().with(CovarianceType.CLUSTER)).fit();
        assertTrue(fit.has(FitNote.Problem.SEPARATION), fit.toString());
        assertTrue(fit.has(FitNote.Problem.SINGLE_CLUSTER), fit.toString());
        assertFalse(fit.usable());
        assertTrue(fit.estimate("time").estimate() > 10);
    }

    @Test
    void aLogitWithoutUsableRowsIsUnfittable() {
        Dataset<Row> empty = eight(1).filter("time > 100");
        assertThrows(UnfittableException.class, () -> SparkLogit.fit(ModelData.bind(empty, Formula.parse("y ~ z"), null),
                OlsOptions.defaults()));
    }

    @Test
    void coxMonotoneLikelihoodAndNoEventsAreNotedWithEntryTimes() {
        CoxFit fit = SparkSurvival.cox(ModelData.bind(eight(3), Formula.parse("Surv(start, time, status) ~ z + x"),
                null), Ties.EFRON, 0.95).fit();
        assertTrue(fit.has(FitNote.Problem.MONOTONE_LIKELIHOOD), fit.toString());
        assertEquals(8, fit.n());
        assertEquals(6, fit.events());
        // R: coxph(..., control = coxph.control(eps = 1e-14)) gives z 0.595489278392382, x NA.
        near(0.595489278392382, fit.estimate("z").estimate(), 1e-7);

        CoxFit none = SparkSurvival.cox(ModelData.bind(eight(2), Formula.parse("Surv(start, time, none) ~ z"), null),
                Ties.EFRON, 0.95).fit();
        assertTrue(none.has(FitNote.Problem.NO_EVENTS), none.toString());
        assertEquals(List.of("z"), none.aliased());
        assertEquals(0, none.events());
    }

    @Test
    void olsNotesAConstantResponseASingleLevelAndASingleCluster() {
        OlsFit fit = SparkOls.fit(ModelData.bind(eight(2), Formula.parse("five ~ z + C(channel)"), "agent"),
                OlsOptions.defaults().with(CovarianceType.CLUSTER)).fit();
        assertTrue(fit.has(FitNote.Problem.CONSTANT_RESPONSE), fit.toString());
        assertTrue(fit.has(FitNote.Problem.SINGLE_LEVEL), fit.toString());
        assertTrue(fit.has(FitNote.Problem.SINGLE_CLUSTER), fit.toString());
        assertFalse(fit.usable());
        assertTrue(Double.isNaN(fit.statistics().rSquared()));
        assertTrue(Double.isNaN(fit.estimate("z").stdError()));
    }

    @Test
    void olsWithFewerRowsThanCoefficientsIsUnfittable() {
        Dataset<Row> two = eight(1).filter("time <= 2");
        UnfittableException e = assertThrows(UnfittableException.class, () -> SparkOls.fit(
                ModelData.bind(two, Formula.parse("y ~ z + x + time"), null), OlsOptions.defaults()));
        assertEquals("ols: 2 usable rows cannot estimate 4 coefficients and a residual variance: 2 rows read, 2 used",
                e.getMessage());
    }

    /** 0.1 on every row: the level's mean is not exactly 0.1, so the demeaned response is rounding, not 0. */
    @Test
    void absorbedFitsNoteAConstantResponse() {
        for (String y : List.of("five", "tenth")) {
            OlsFit fit = SparkAbsorb.fit(ModelData.bind(eight(2), Formula.parse(y + " ~ z - 1"), null,
                    List.of("agent")), List.of("agent"), OlsOptions.defaults()).fit();
            assertTrue(fit.has(FitNote.Problem.CONSTANT_RESPONSE), y + ": " + fit);
        }
    }
}
