package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.survival.CoxFit;
import dev.empathy.lib.survival.SurvivalRow;
import dev.empathy.lib.survival.Ties;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark face of Kaplan-Meier, log-rank and Cox against R's survival package on
 * {@code survival::lung} (the R calls and printed values are in {@code SurvivalAgainstRTest} in
 * lib): {@code survfit(Surv(time, event) ~ sex)}, {@code survdiff} chi-square 10.3267419548856,
 * {@code coxph(Surv(time, event) ~ age + sex + ph.ecog)} with Efron ties.
 */
class SparkSurvivalIT {

    static Dataset<Row> lung;

    @BeforeAll
    static void read() {
        lung = SharedSpark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(Path.of("../lib/src/test/resources/r/lung.csv").toString());
    }

    private static void near(double expected, double actual, double rel) {
        assertTrue(Math.abs(actual - expected) <= rel * Math.abs(expected), expected + " vs " + actual);
    }

    @Test
    void kaplanMeierAndLogRankMatchR() {
        SparkSurvival.KmResult km = SparkSurvival.kaplanMeier(
                ModelData.bind(lung, Formula.parse("Surv(time, event) ~ C(sex)"), null), 0.95);
        assertEquals(206, km.rows().size());
        SurvivalRow r = km.rows().get(185);
        assertEquals("2", r.group());
        assertEquals(473.0, r.time());
        near(0.411046135106688, r.survival(), 1e-12);
        near(0.0625843689164016, r.stdError(), 1e-12);
        near(0.304992921940121, r.ciLow(), 1e-12);
        near(10.3267419548856, km.logRank().chiSquare(), 1e-12);
        assertEquals(228, km.rowsUsed());
    }

    @Test
    void coxMatchesCoxphWhateverThePartitionsAndRoute() {
        Formula f = Formula.parse("Surv(time, event) ~ age + sex + ph.ecog");
        SparkSurvival.CoxResult overSpark = SparkSurvival.cox(ModelData.bind(lung.repartition(1), f, null), Ties.EFRON,
                0.95, 0);
        SparkSurvival.CoxResult onDriver = SparkSurvival.cox(ModelData.bind(lung.orderBy(rand(5)).repartition(6), f,
                null), Ties.EFRON, 0.95);
        assertFalse(overSpark.onDriver());
        assertTrue(onDriver.onDriver(), "227 rows of 3 columns are far below DRIVER_VALUES");
        CoxFit one = overSpark.fit();
        CoxFit many = onDriver.fit();
        double[] b = {0.0110667645961186, -0.5526123955318371, 0.4637284751157322};
        double[] se = {0.0092674110143657, 0.1677390537834223, 0.1135772661613712};
        for (int j = 0; j < 3; j++) {
            near(b[j], one.estimates().get(j).estimate(), 1e-9);
            near(se[j], one.estimates().get(j).stdError(), 1e-9);
            near(one.estimates().get(j).estimate(), many.estimates().get(j).estimate(), 1e-10);
            near(one.estimates().get(j).stdError(), many.estimates().get(j).stdError(), 1e-10);
        }
        assertEquals(227, one.n());
        assertEquals(164, one.events());
        near(-729.230121374862, one.logLikelihood(), 1e-13);
    }

    /**
     * Counting-process rows against R 4.2.2, survival 3.4, on {@code survival::heart} (Stanford heart
     * transplant, 172 rows of 103 patients; {@code transplant} written as 0/1 to {@code r/heart.csv}):
     * <pre>
     * coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart, ties = "efron",
     *       control = coxph.control(eps = 1e-14, iter.max = 100))
     * coef  0.0271666409576770 -0.1463463456741978 -0.6372098899681299 -0.0102507724090744
     * se    0.0137141152103179  0.0704679795188534  0.3672259961804730  0.3137547983374869
     * loglik -298.121355672984 -290.565616218490
     * </pre>
     */
    @Test
    void coxWithEntryTimesMatchesCoxph() {
        Dataset<Row> heart = SharedSpark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(Path.of("../lib/src/test/resources/r/heart.csv").toString());
        Formula f = Formula.parse("Surv(start, stop, event) ~ age + year + surgery + transplant");
        assertEquals("start", f.start());
        for (long driverValues : new long[] {0, SparkSurvival.DRIVER_VALUES}) {
            SparkSurvival.CoxResult r = SparkSurvival.cox(ModelData.bind(heart.repartition(3), f, null), Ties.EFRON,
                    0.95, driverValues);
            assertEquals(driverValues > 0, r.onDriver());
            CoxFit fit = r.fit();
            double[] b = {0.0271666409576770, -0.1463463456741978, -0.6372098899681299, -0.0102507724090744};
            double[] se = {0.0137141152103179, 0.0704679795188534, 0.3672259961804730, 0.3137547983374869};
            for (int j = 0; j < 4; j++) {
                near(b[j], fit.estimates().get(j).estimate(), 1e-7);
                near(se[j], fit.estimates().get(j).stdError(), 1e-7);
            }
            assertEquals(172, fit.n());
            assertEquals(75, fit.events());
            near(-298.121355672984, fit.nullLogLikelihood(), 1e-12);
            near(-290.565616218490, fit.logLikelihood(), 1e-12);
        }
    }
}
