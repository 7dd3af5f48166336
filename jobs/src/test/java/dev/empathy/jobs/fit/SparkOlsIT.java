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

    /**
     * As {@link #fit(Dataset, CovarianceType, String)} through the command's entry, which solves
     * these 5,000 rows on the driver.
     */
    private static OlsFit onDriver(Dataset<Row> data, CovarianceType type, String cluster) {
        SparkOls.Result r = SparkOls.fit(ModelData.bind(data, Formula.parse("y ~ x + x2"), cluster),
                OlsOptions.defaults().with(type), SparkOls.DRIVER_VALUES);
        assertEquals(SparkOls.Route.DRIVER, r.route());
        return r.fit();
    }

    private static void near(double expected, double actual, double rel, String what) {
        double error = Math.abs(actual - expected) / Math.abs(expected);
        assertTrue(error <= rel, String.format(Locale.ROOT, "%s: expected %.17g got %.17g (%.2g)", what, expected,
                actual, error));
    }

    @Test
    void matchesRForClassicalHc1AndClusterErrors() {
        matchesR(SparkOlsIT::fit);
    }

    @Test
    void solvedOnTheDriverItMatchesRAsWell() {
        matchesR(SparkOlsIT::onDriver);
    }

    private interface Route {
        OlsFit fit(Dataset<Row> data, CovarianceType type, String cluster);
    }

    private static void matchesR(Route route) {
        OlsFit classical = route.fit(petersen, CovarianceType.CLASSICAL, null);
        near(1.0338450421942715, classical.estimate("x").estimate(), 1e-10, "x");
        near(-0.0242187144278448, classical.estimate("x2").estimate(), 1e-10, "x2");
        near(0.0348017601357030, classical.estimate("Intercept").stdError(), 1e-10, "se intercept");
        near(0.207987185492207, classical.statistics().rSquared(), 1e-10, "r2");
        assertEquals(5000, classical.statistics().n());

        OlsFit hc1 = route.fit(petersen, CovarianceType.HC1, null);
        near(0.0283843452097658, hc1.estimate("x").stdError(), 1e-10, "hc1 se x");
        near(0.0204440080241388, hc1.estimate("x2").stdError(), 1e-10, "hc1 se x2");

        OlsFit cluster = route.fit(petersen, CovarianceType.CLUSTER, "firm");
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

    /**
     * Categoricals (text and numeric), a numeric-by-categorical and a categorical-by-categorical
     * interaction, a logarithm, and a level met only on rows dropped for a missing response.
     * R 4.2.2, sandwich 3.0.2, on {@code d <- read.csv("PetersenCL.csv")} with
     * <pre>
     * d$half &lt;- ifelse(d$firm %% 2 == 0, "even", "odd"); d$band &lt;- d$firm %% 3; d$xs &lt;- d$x + 10
     * d$y2 &lt;- ifelse(d$year == 10 &amp; d$band == 2, NA, d$y)
     * d$zone &lt;- ifelse(d$year == 10 &amp; d$band == 2, "lost", ifelse(d$firm %% 5 == 0, "north", "south"))
     * m &lt;- lm(y2 ~ x + factor(year) + factor(half) + factor(band) + factor(zone) + log(xs)
     *         + x:factor(half) + factor(half):factor(band), data = d)
     * cbind(coef(m), sqrt(diag(vcov(m))), sqrt(diag(vcovHC(m, type = "HC1"))),
     *       sqrt(diag(vcovCL(m, cluster = ~firm, type = "HC1"))))   # printed with digits = 17
     * summary(m)$r.squared  # 0.21038732253796483, nobs(m) = 4833; "lost" is not a level (drop.unused.levels)
     * </pre>
     */
    private static final double[][] CELLS_R = {
        {-8.2109149718395944006, 9.1901720407638993748, 9.3246083949615847786, 12.6379035831541415291},
        {0.7543060063895941081, 0.4077623710425621328, 0.4120398886483346290, 0.5566629843757090468},
        {-0.0055291638205316870, 0.1265626667365604141, 0.1278444038653434034, 0.0859238777051703345},
        {-0.1443057585849346069, 0.1264928336288349831, 0.1238720411166335938, 0.0859965763339284039},
        {-0.2004102385707821898, 0.1265014591796405630, 0.1258646075322455704, 0.0890856053728456415},
        {-0.0569526963713754206, 0.1265122082041727769, 0.1230639263584279719, 0.0867518379082630742},
        {-0.1282732257715284152, 0.1264963297552837429, 0.1247256551799759416, 0.0840661244849448264},
        {-0.1905993130769630672, 0.1265293966521733315, 0.1270306435142029844, 0.0870707338154223243},
        {-0.1509048315637938342, 0.1265125468999178660, 0.1292169227312842950, 0.0933666941715231430},
        {-0.1515527410772994910, 0.1264924708608742010, 0.1259466803015382164, 0.0875995839048443331},
        {-0.0063440084347625054, 0.1430310525027830015, 0.1460260585488042384, 0.1016105433177672546},
        {0.0221418296931762716, 0.0982185994581990518, 0.0987516040348175722, 0.2295848415961910249},
        {-0.0456690812584948924, 0.0986342088754205149, 0.0952526073861296729, 0.2142414220960418836},
        {-0.0756392178207629384, 0.1014415572305155666, 0.1021458700029896499, 0.2341366489678569640},
        {-0.0650508009810395471, 0.0721413989908984282, 0.0733681308752862360, 0.1693037681371808434},
        {3.6633981157583037636, 3.9984189834891119553, 4.0564001140745036267, 5.4998283645025445310},
        {-0.2092144688600218183, 0.0584470809651479323, 0.0579269881240654372, 0.1019747989823375500},
        {0.0230528061892884759, 0.1390168550915568679, 0.1388802803747335446, 0.3236591841551398341},
        {0.1102317272118742975, 0.1426468324250637354, 0.1430944446169485629, 0.3311863210609446995},
    };

    private static final String CELLS_FORMULA =
            "y2 ~ x + C(year) + C(half) + C(band) + C(zone) + log(xs) + x:C(half) + C(half):C(band)";

    private static Dataset<Row> cellsData() {
        return petersen.selectExpr("firm", "year", "x",
                "case when firm % 2 = 0 then 'even' else 'odd' end as half", "firm % 3 as band", "x + 10 as xs",
                "case when year = 10 and firm % 3 = 2 then null else y end as y2",
                "case when year = 10 and firm % 3 = 2 then 'lost' when firm % 5 = 0 then 'north' else 'south' end as zone");
    }

    private static void matchesCellsR(OlsFit fit, int column, String what) {
        assertEquals(CELLS_R.length, fit.estimates().size(), what);
        assertEquals("C(zone)[T.south]", fit.estimates().get(14).term());
        assertEquals("C(half)[T.odd]:C(band)[T.2]", fit.estimates().get(18).term());
        for (int j = 0; j < CELLS_R.length; j++) {
            Estimate e = fit.estimates().get(j);
            near(CELLS_R[j][0], e.estimate(), 1e-9, what + " " + e.term());
            near(CELLS_R[j][column], e.stdError(), 1e-9, what + " se " + e.term());
        }
        near(0.21038732253796483, fit.statistics().rSquared(), 1e-10, what + " r2");
        assertEquals(4833, fit.statistics().n());
    }

    @Test
    void categoricalsAndInteractionsMatchRByEveryRoute() {
        Dataset<Row> data = cellsData();
        Formula f = Formula.parse(CELLS_FORMULA);
        OlsOptions classical = OlsOptions.defaults();
        matchesCellsR(SparkOls.fit(ModelData.bind(data, f, null), classical).fit(), 1, "classical");
        matchesCellsR(SparkOls.fit(ModelData.bind(data, f, null), classical.with(CovarianceType.HC1)).fit(), 2, "hc1");
        SparkOls.Result cluster = SparkOls.fit(ModelData.bind(data, f, "firm"), classical.with(CovarianceType.CLUSTER));
        matchesCellsR(cluster.fit(), 3, "cluster by cells");
        assertEquals(500, cluster.fit().statistics().clusters());
        assertEquals(5000, cluster.rowsRead());
        assertEquals(4833, cluster.rowsUsed());
        matchesCellsR(SparkOls.fit(ModelData.bind(data.repartition(7), f, "firm"),
                classical.with(CovarianceType.CLUSTER)).fit(), 3, "cluster by cells, 7 partitions");
        matchesCellsR(SparkOls.fit(ModelData.bind(data, f, "firm"), classical.with(CovarianceType.CLUSTER), false)
                .fit(), 3, "cluster by a second pass");
        matchesCellsR(SparkOls.fit(ModelData.bind(data, f, "firm"), classical.with(CovarianceType.CLUSTER), true, false)
                .fit(), 3, "cluster by design rows");
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

    @Test
    void everySparkRouteRefusesWhatItCannotFit() {
        Dataset<Row> few = SharedSpark.session().sql(
                "select * from values (1.0, 2.0, 'a', 'k'), (2.0, null, 'b', 'k'), (3.0, 5.0, null, 'k') "
                        + "as t(y, x, g, agent)");
        for (boolean byCells : new boolean[] {true, false}) {
            // One complete row: x is constant on it, so only the intercept is estimable, with nothing left over.
            CannotFitException df = assertThrows(CannotFitException.class, () -> SparkOls.fit(
                    ModelData.bind(few, Formula.parse("y ~ x + C(g)"), null), OlsOptions.defaults(), true, byCells));
            assertEquals("ols: 1 usable row cannot estimate 2 coefficients and a residual variance: 3 rows read, "
                    + "1 used; rows dropped by column: x 1 (missing), g 1 (missing)", df.getMessage(),
                    "by cells " + byCells);
            // One cluster: the fit is noted (standard errors NaN); empathy fit refuses it (FitRefusesIT).
            var one = SparkOls.fit(ModelData.bind(few, Formula.parse("y ~ 1"), "agent"), OlsOptions.defaults()
                    .with(CovarianceType.CLUSTER), true, byCells).fit();
            assertTrue(one.has(dev.empathy.lib.regression.FitNote.Problem.SINGLE_CLUSTER), "by cells " + byCells);
            assertTrue(Double.isNaN(one.estimate("Intercept").stdError()), "by cells " + byCells);
        }
    }
}
