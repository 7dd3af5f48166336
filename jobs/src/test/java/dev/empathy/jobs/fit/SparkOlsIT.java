package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.FormulaException;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.Estimate;
import dev.empathy.lib.regression.OlsFit;
import dev.empathy.lib.regression.OlsOptions;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark face of OLS against the same R figures as the plain-Java face (see
 * {@code OlsAgainstRTest} in lib: R 4.2.2, sandwich 3.0.2, {@code lm(y ~ x + x2)} on
 * {@code sandwich::PetersenCL} with {@code x2 = x^2}), and its independence of partitioning and
 * row order.
 */
class SparkOlsIT {

    static Dataset<Row> petersen;

    @BeforeAll
    static void read() {
        // The CSV R wrote lives with the lib tests; Maven runs each module's tests from its own folder.
        Path csv = Path.of("../lib/src/test/resources/r/PetersenCL.csv");
        petersen = SharedSpark.session().read().option("header", "true").option("inferSchema", "true")
                .csv(csv.toString()).withColumn("x2", col("x").multiply(col("x"))).cache();
    }

    private static OlsFit fit(Dataset<Row> data, CovarianceType type, String cluster) {
        return SparkOls.fit(ModelData.bind(data, Formula.parse("y ~ x + x2"), cluster),
                OlsOptions.defaults().with(type)).fit();
    }

    private static void near(double expected, double actual, double rel, String what) {
        double error = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(error <= rel, String.format(Locale.ROOT, "%s: expected %.17g got %.17g (%.2g)", what, expected,
                actual, error));
    }

    @Test
    void matchesRForClassicalHc1AndClusterErrors() {
        OlsFit classical = fit(petersen, CovarianceType.CLASSICAL, null);
        near(1.0338450421942715, classical.estimate("x").estimate(), 1e-10, "x");
        near(-0.0242187144278448, classical.estimate("x2").estimate(), 1e-10, "x2");
        near(0.0348017601357030, classical.estimate("Intercept").stdError(), 1e-10, "se intercept");
        near(0.207987185492207, classical.statistics().rSquared(), 1e-10, "r2");
        assertEquals(5000, classical.statistics().n());

        OlsFit hc1 = fit(petersen, CovarianceType.HC1, null);
        near(0.0283843452097658, hc1.estimate("x").stdError(), 1e-10, "hc1 se x");
        near(0.0204440080241388, hc1.estimate("x2").stdError(), 1e-10, "hc1 se x2");

        OlsFit cluster = fit(petersen, CovarianceType.CLUSTER, "firm");
        near(0.0730136403419373, cluster.estimate("Intercept").stdError(), 1e-10, "cl se intercept");
        near(0.0503513368857682, cluster.estimate("x").stdError(), 1e-10, "cl se x");
        near(0.0272570622586024, cluster.estimate("x2").stdError(), 1e-10, "cl se x2");
        assertEquals(500, cluster.statistics().clusters());
        near(1.0338450421942715, cluster.estimate("x").estimate(), 1e-10, "refined x");
    }

    @Test
    void aDateClusterColumnGroupsLikeTheIdItWasMadeFrom() {
        Dataset<Row> dated = petersen.withColumn("firm_day",
                org.apache.spark.sql.functions.date_add(org.apache.spark.sql.functions.lit("2020-01-01").cast("date"),
                        col("firm").cast("int")));
        OlsFit byDay = fit(dated, CovarianceType.CLUSTER, "firm_day");
        near(0.0503513368857682, byDay.estimate("x").stdError(), 1e-10, "cl se x by a date column");
        assertEquals(500, byDay.statistics().clusters());
    }

    @Test
    void theTwoPassClusterErrorsForManyClustersAgreeWithR() {
        OlsFit cluster = SparkOls.fit(ModelData.bind(petersen, Formula.parse("y ~ x + x2"), "firm"),
                OlsOptions.defaults().with(CovarianceType.CLUSTER), false).fit();
        near(0.0730136403419373, cluster.estimate("Intercept").stdError(), 1e-10, "cl se intercept");
        near(0.0503513368857682, cluster.estimate("x").stdError(), 1e-10, "cl se x");
        near(0.0272570622586024, cluster.estimate("x2").stdError(), 1e-10, "cl se x2");
        assertEquals(500, cluster.statistics().clusters());
    }

    @Test
    void partitionsAndRowOrderDoNotMatter() {
        OlsFit one = fit(petersen.repartition(1), CovarianceType.CLUSTER, "firm");
        OlsFit eight = fit(petersen.repartition(8), CovarianceType.CLUSTER, "firm");
        OlsFit shuffled = fit(petersen.orderBy(rand(7)), CovarianceType.CLUSTER, "firm");
        for (OlsFit other : new OlsFit[] {eight, shuffled}) {
            for (int j = 0; j < 3; j++) {
                Estimate a = one.estimates().get(j);
                Estimate b = other.estimates().get(j);
                near(a.estimate(), b.estimate(), 1e-10, a.term());
                near(a.stdError(), b.stdError(), 1e-10, "se " + a.term());
            }
        }
    }

    @Test
    void countsDroppedRowsAndNamesUnknownColumns() {
        Dataset<Row> withNulls = SharedSpark.session().sql(
                "select * from values (1.0, 2.0, 'a'), (2.0, null, 'b'), (3.0, 5.0, null), (4.0, 3.0, 'a'), "
                        + "(6.0, 1.0, 'b'), (5.0, 4.0, 'b'), (7.0, 2.0, 'a') as t(y, x, g)");
        ModelData model = ModelData.bind(withNulls, Formula.parse("y ~ x + C(g)"), null);
        assertEquals(7, model.rowsRead());
        assertEquals(5, model.countUsed());
        assertEquals(5, SparkOls.fit(model, OlsOptions.defaults()).rowsUsed());
        FormulaException e = assertThrows(FormulaException.class,
                () -> ModelData.bind(withNulls, Formula.parse("y ~ xx"), null));
        assertEquals("unknown column 'xx' in formula 'y ~ xx'; closest: x, g, y", e.getMessage());
    }
}
