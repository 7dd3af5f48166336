package dev.empathy.jobs.fit;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.FormulaException;
import dev.empathy.lib.regression.FitNote;
import dev.empathy.lib.survival.CoxFit;
import dev.empathy.lib.survival.Ties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CoxGroups} against {@link SparkSurvival#cox(ModelData, Ties, double, long)} fitted alone
 * on each group's filtered rows, the route it replaces: the same estimates, covariance, counts and
 * notes to the last bit, and the same refusals, on the driver route and (driver limit 0) over
 * Spark; and the passes it saves.
 *
 * <p>The fixture, {@link #segments()}: counting-process rows {@code (start, stop]} in six
 * segments and some without one: {@code alpha} a usable segment with a null and a NaN exposure,
 * an empty interval and a NaN start; {@code beta} one customer with 0 contacts (no logarithm);
 * {@code gamma} nobody churns; {@code delta} one complete row for two coefficients; {@code epsilon}
 * one exposure for everyone (aliased); {@code eta} no {@code email} channel; {@code zeta}, asked
 * for, has no rows.
 */
class CoxGroupsIT {

    static final List<String> GROUPS = List.of("alpha", "beta", "gamma", "delta", "epsilon", "eta", "zeta");

    static Dataset<Row> data;

    @BeforeAll
    static void fixture() {
        data = segments();
    }

    static Dataset<Row> segments() {
        StructType schema = new StructType().add("segment", DataTypes.StringType)
                .add("start", DataTypes.DoubleType).add("stop", DataTypes.DoubleType)
                .add("churned", DataTypes.IntegerType).add("contacts", DataTypes.LongType)
                .add("x", DataTypes.DoubleType).add("channel", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        String[] channels = {"chat", "email", "phone"};
        for (String segment : List.of("alpha", "beta", "gamma", "epsilon", "eta")) {
            int n = segment.equals("alpha") ? 24 : 14;
            for (int i = 0; i < n; i++) {
                double start = i % 3 == 0 ? 0 : i % 5;
                double stop = start + 1 + (i * 7 + segment.length()) % 11;
                int churned = segment.equals("gamma") ? 0 : (i * 5 + segment.charAt(0)) % 3 == 0 ? 1 : 0;
                double x = segment.equals("epsilon") ? 4.0 : ((i * 37 + segment.charAt(1)) % 17) / 3.0;
                String channel = segment.equals("eta") ? channels[2 * (i % 2)] : channels[i % 3];
                rows.add(RowFactory.create(segment, start, stop, churned, 1L + i % 4, x, channel));
            }
        }
        rows.add(RowFactory.create("alpha", 0.0, 6.0, 1, 2L, null, "chat"));
        rows.add(RowFactory.create("alpha", 1.0, 7.0, 0, 3L, Double.NaN, "email"));
        rows.add(RowFactory.create("alpha", 5.0, 5.0, 1, 1L, 2.0, "phone"));
        rows.add(RowFactory.create("alpha", Double.NaN, 4.0, 0, 1L, 3.0, "chat"));
        rows.add(RowFactory.create("beta", 0.0, 3.0, 1, 0L, 1.5, "chat"));
        rows.add(RowFactory.create("delta", 0.0, 4.0, 1, 2L, 2.5, "chat"));
        rows.add(RowFactory.create("delta", 0.0, 6.0, 0, 1L, null, "email"));
        rows.add(RowFactory.create(null, 0.0, 9.0, 1, 2L, 3.5, "phone"));
        rows.add(RowFactory.create(null, 2.0, 8.0, 0, 2L, 1.0, null));
        return SharedSpark.session().createDataFrame(rows, schema).repartition(3);
    }

    // The overall model reads every column the groups' does (here contacts without its logarithm,
    // so that a group can be refused for it alone), and the group column besides.
    static final Formula OVERALL = Formula.parse("Surv(start, stop, churned) ~ x + contacts + C(segment)");
    static final Formula EACH = Formula.parse("Surv(start, stop, churned) ~ x + log(contacts)");

    @Test
    void everyGroupAsFittedAloneOnBothRoutes() {
        for (long driverValues : new long[] {SparkSurvival.DRIVER_VALUES, 0}) {
            CoxGroups.Result together = CoxGroups.fit(data, "segment", GROUPS, OVERALL, EACH, Ties.EFRON, 0.95,
                    driverValues);
            assertEquals(driverValues > 0, together.collected());
            assertSameOutcome(alone(data, OVERALL, driverValues), together.overall(), "all");
            assertEquals(GROUPS, List.copyOf(together.groups().keySet()));
            for (String g : GROUPS) {
                assertSameOutcome(alone(data.filter(col("segment").equalTo(g)), EACH, driverValues),
                        together.groups().get(g), g);
            }
            // The fixture meets what it is named for.
            Map<String, CoxGroups.Outcome> by = together.groups();
            assertTrue(by.get("alpha").get().fit().estimates().stream().noneMatch(e -> Double.isNaN(e.estimate())));
            assertEquals(driverValues > 0, by.get("alpha").get().onDriver());
            assertEquals("log(contacts): 1 rows have contacts <= 0, where the logarithm is not defined",
                    by.get("beta").refusal().getMessage());
            assertFalse(by.get("beta").refusal() instanceof CannotFitException);
            assertTrue(by.get("gamma").get().fit().notes().stream()
                    .anyMatch(n -> n.problem() == FitNote.Problem.NO_EVENTS));
            assertEquals("cox: 1 usable row cannot estimate 2 coefficients: 2 rows read, 1 used; rows dropped by "
                    + "column: x 1 (missing)", by.get("delta").refusal().getMessage());
            assertEquals(List.of("x"), by.get("epsilon").get().fit().aliased());
            assertEquals("cox: no usable rows: 0 rows read, 0 used", by.get("zeta").refusal().getMessage());
        }
    }

    /**
     * A refusal names the rows dropped by column as the group's own pass counts them: alpha's
     * five rows are one complete, a null and a NaN exposure (the NaN row counts as complete, as
     * Spark's filter for non-null sees it, and is then not used), an empty interval and a NaN
     * start (NaN above every number: not before the stop).
     */
    @Test
    void droppedRowsAreNamedAsAlone() {
        StructType schema = new StructType().add("segment", DataTypes.StringType)
                .add("start", DataTypes.DoubleType).add("stop", DataTypes.DoubleType)
                .add("churned", DataTypes.IntegerType).add("contacts", DataTypes.LongType)
                .add("x", DataTypes.DoubleType);
        Dataset<Row> few = SharedSpark.session().createDataFrame(List.of(
                RowFactory.create("alpha", 0.0, 5.0, 1, 4L, 2.0),
                RowFactory.create("alpha", 0.0, 6.0, 1, 2L, null),
                RowFactory.create("alpha", 1.0, 7.0, 0, 3L, Double.NaN),
                RowFactory.create("alpha", 5.0, 5.0, 1, 1L, 2.0),
                RowFactory.create("alpha", Double.NaN, 4.0, 0, 1L, 3.0),
                RowFactory.create("beta", 0.0, 3.0, 1, 2L, 1.5)), schema).repartition(2);
        Formula three = Formula.parse("Surv(start, stop, churned) ~ x + log(contacts) + contacts");
        CoxGroups.Result together = CoxGroups.fit(few, "segment", List.of("alpha"), OVERALL, three, Ties.EFRON, 0.95,
                SparkSurvival.DRIVER_VALUES);
        assertTrue(together.collected());
        CoxGroups.Outcome alpha = together.groups().get("alpha");
        assertSameOutcome(alone(few.filter(col("segment").equalTo("alpha")), three, SparkSurvival.DRIVER_VALUES),
                alpha, "alpha");
        assertEquals("cox: 2 usable rows cannot estimate 3 coefficients: 5 rows read, 2 used; rows dropped by column: "
                + "start 1 (NaN), x 2 (1 missing, 1 NaN), Surv(start, stop) 2 (start >= stop)",
                alpha.refusal().getMessage());
    }

    /**
     * Customer-level rows with a categorical in the groups' model, whose levels differ by group
     * (eta has no email); and the overall model refused for a logarithm, which sends every group
     * to its own fit.
     */
    @Test
    void levelsPerGroupAndAnOverallRefusal() {
        Formula overall = Formula.parse("Surv(stop, churned) ~ x + log(contacts) + C(channel) + C(segment)");
        Formula each = Formula.parse("Surv(stop, churned) ~ x + log(contacts) + C(channel)");
        Dataset<Row> positive = data.filter(col("contacts").gt(0));
        for (Dataset<Row> d : List.of(positive, data)) {
            CoxGroups.Result together = CoxGroups.fit(d, "segment", GROUPS, overall, each, Ties.EFRON, 0.95,
                    SparkSurvival.DRIVER_VALUES);
            assertEquals(d == positive, together.collected());
            assertSameOutcome(alone(d, overall, SparkSurvival.DRIVER_VALUES), together.overall(), "all");
            for (String g : GROUPS) {
                assertSameOutcome(alone(d.filter(col("segment").equalTo(g)), each, SparkSurvival.DRIVER_VALUES),
                        together.groups().get(g), g);
            }
            assertEquals(List.of("x", "log(contacts)", "C(channel)[T.phone]"), together.groups().get("eta").get().fit()
                    .estimates().stream().map(e -> e.term()).toList());
            assertEquals(4, together.groups().get("alpha").get().fit().estimates().size());
        }
    }

    /**
     * The queries (SQL executions, and jobs outside one) as {@code scripts/profile-run.py} counts
     * them: two for the seven groups' and the overall model (the overall model's levels pass,
     * then the collect), where fitting them alone takes two each and one more per refusal naming
     * its dropped rows. Over persisted rows, as retention's are: over a shuffle (the fixture's
     * {@code repartition}) {@code javaRDD()} first runs the shuffle in a query of its own, once
     * per collect on either route (3 instead of 2 here).
     */
    @Test
    void twoQueriesInsteadOfTwoPerModel() throws Exception {
        Dataset<Row> kept = segments().persist();
        Queries queries = new Queries(SharedSpark.session().sparkContext());
        try {
            kept.count();
            CoxGroups.Result together = queries.count("together", () -> CoxGroups.fit(kept, "segment", GROUPS,
                    OVERALL, EACH, Ties.EFRON, 0.95, SparkSurvival.DRIVER_VALUES));
            assertTrue(together.collected());
            assertEquals(2, queries.last());
            queries.count("alone", () -> {
                alone(kept, OVERALL, SparkSurvival.DRIVER_VALUES);
                GROUPS.forEach(g -> alone(kept.filter(col("segment").equalTo(g)), EACH, SparkSurvival.DRIVER_VALUES));
                return null;
            });
            // all, alpha, gamma, epsilon, eta and zeta (no rows: none dropped): a levels pass and a
            // collect each; beta: its levels pass refuses the logarithm; delta: a third query counts
            // the rows its refusal names as dropped.
            assertEquals(2 * 6 + 1 + 3, queries.last());
        } finally {
            queries.close();
            kept.unpersist();
        }
    }

    /**
     * Formulas whose groups' rows the overall model's do not bound are fitted each alone: the
     * groups' formula reads a column the overall one does not ({@code contacts}), or the overall
     * one reads a column besides the group column that the groups' does not ({@code channel}),
     * or their {@code Surv(...)} differ.
     */
    @Test
    void formulasNotSharingRowsAreFittedAlone() {
        Formula overall = Formula.parse("Surv(start, stop, churned) ~ x + C(segment)");
        List<Formula[]> pairs = List.of(
                new Formula[] {overall, EACH},
                new Formula[] {Formula.parse("Surv(start, stop, churned) ~ x + C(channel) + C(segment)"),
                        Formula.parse("Surv(start, stop, churned) ~ x")},
                new Formula[] {overall, Formula.parse("Surv(stop, churned) ~ x")});
        for (Formula[] pair : pairs) {
            CoxGroups.Result together = CoxGroups.fit(data, "segment", GROUPS, pair[0], pair[1], Ties.EFRON, 0.95,
                    SparkSurvival.DRIVER_VALUES);
            assertFalse(together.collected(), pair[0] + " | " + pair[1]);
            assertSameOutcome(alone(data, pair[0], SparkSurvival.DRIVER_VALUES), together.overall(), "all");
            for (String g : GROUPS) {
                assertSameOutcome(alone(data.filter(col("segment").equalTo(g)), pair[1], SparkSurvival.DRIVER_VALUES),
                        together.groups().get(g), g);
            }
        }
        // The same formula overall and in the groups shares its rows: the group column need not be read.
        Formula same = Formula.parse("Surv(start, stop, churned) ~ x");
        assertTrue(CoxGroups.fit(data, "segment", List.of("alpha"), same, same, Ties.EFRON, 0.95,
                SparkSurvival.DRIVER_VALUES).collected());
    }

    /** Counts the queries of the jobs started inside {@link #count}: by job group, once the listener bus is empty. */
    private static final class Queries extends SparkListener implements AutoCloseable {
        private final SparkContext context;
        private final Map<String, Set<String>> byGroup = new ConcurrentHashMap<>();
        private String group;

        Queries(SparkContext context) {
            this.context = context;
            context.addSparkListener(this);
        }

        <T> T count(String name, java.util.function.Supplier<T> work) throws Exception {
            group = "cox-groups-" + name + "-" + System.nanoTime();
            context.setJobGroup(group, name, false);
            try {
                return work.get();
            } finally {
                context.clearJobGroup();
                context.listenerBus().waitUntilEmpty();
            }
        }

        int last() {
            return byGroup.getOrDefault(group, Set.of()).size();
        }

        @Override
        public void onJobStart(SparkListenerJobStart start) {
            java.util.Properties p = start.properties();
            String g = p == null ? null : p.getProperty("spark.jobGroup.id");
            if (g == null) {
                return;
            }
            String query = p.getProperty("spark.sql.execution.id");
            byGroup.computeIfAbsent(g, k -> ConcurrentHashMap.newKeySet())
                    .add(query != null ? "query " + query : "job " + start.jobId());
        }

        @Override
        public void close() {
            context.removeSparkListener(this);
        }
    }

    private static CoxGroups.Outcome alone(Dataset<Row> rows, Formula formula, long driverValues) {
        try {
            return new CoxGroups.Outcome(SparkSurvival.cox(ModelData.bind(rows, formula, null), Ties.EFRON, 0.95,
                    driverValues), null);
        } catch (FormulaException e) {
            return new CoxGroups.Outcome(null, e);
        }
    }

    /** The same fit to the bit (records compare doubles as Double.compare does, arrays by their bits), or the same refusal. */
    private static void assertSameOutcome(CoxGroups.Outcome expected, CoxGroups.Outcome actual, String group) {
        if (expected.refusal() != null) {
            assertNull(actual.result(), group);
            assertNotNull(actual.refusal(), group);
            assertEquals(expected.refusal().getClass(), actual.refusal().getClass(), group);
            assertEquals(expected.refusal().getMessage(), actual.refusal().getMessage(), group);
            return;
        }
        assertNull(actual.refusal(), () -> group + ": " + actual.refusal());
        SparkSurvival.CoxResult e = expected.result();
        SparkSurvival.CoxResult a = actual.result();
        assertEquals(e.rowsRead(), a.rowsRead(), group);
        assertEquals(e.rowsUsed(), a.rowsUsed(), group);
        assertEquals(e.onDriver(), a.onDriver(), group);
        CoxFit ef = e.fit();
        CoxFit af = a.fit();
        assertEquals(ef.estimates(), af.estimates(), group);
        assertEquals(ef.n(), af.n(), group);
        assertEquals(ef.events(), af.events(), group);
        assertEquals(Double.doubleToLongBits(ef.nullLogLikelihood()), Double.doubleToLongBits(af.nullLogLikelihood()),
                group);
        assertEquals(Double.doubleToLongBits(ef.logLikelihood()), Double.doubleToLongBits(af.logLikelihood()), group);
        assertEquals(ef.iterations(), af.iterations(), group);
        assertEquals(ef.converged(), af.converged(), group);
        assertTrue(Arrays.deepEquals(ef.covariance(), af.covariance()), group);
        assertEquals(ef.aliased(), af.aliased(), group);
        assertEquals(ef.notes(), af.notes(), group);
    }
}
