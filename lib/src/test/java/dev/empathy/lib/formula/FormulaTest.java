package dev.empathy.lib.formula;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FormulaTest {

    private static final Table TINY = Table.builder()
            .numbers("y", new double[] {1, 2, 3, 4, 5})
            .numbers("x", new double[] {0.5, 1, 2, 4, 8})
            .texts("g", new String[] {"b", "a", "c", "a", "b"})
            .numbers("z", new double[] {1, 2, 3, 4, 5})
            .build();

    private static List<String> labels(Formula f) {
        return f.terms().stream().map(Term::label).toList();
    }

    @Test
    void parsesTermsInteractionsAndIntercept() {
        Formula f = Formula.parse("csat ~ empathy*C(channel) + log(hours) - 1");
        assertEquals("csat", f.response());
        assertFalse(f.intercept());
        assertEquals(List.of("empathy", "C(channel)", "log(hours)", "empathy:C(channel)"), labels(f));
        assertEquals(List.of("csat", "empathy", "channel", "hours"), f.columns());

        Formula g = Formula.parse("y~a:b+a+ 0");
        assertEquals(List.of("a", "a:b"), labels(g));
        assertFalse(g.intercept());
        assertTrue(Formula.parse("y ~ a + 1").intercept());
        assertEquals(List.of("b"), labels(Formula.parse("y ~ a*b - a - a:b")));
        assertEquals(List.of("a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"), labels(Formula.parse("y ~ a*b*c")));
    }

    @Test
    void parsesSurvivalAndLogResponses() {
        Formula cox = Formula.parse("Surv(time, status) ~ age + C(sex)");
        assertTrue(cox.isSurvival());
        assertEquals("time", cox.response());
        assertEquals("status", cox.event());
        assertFalse(cox.intercept(), "a Cox model has no intercept");
        Formula km = Formula.parse("Surv(time, status) ~ 1");
        assertTrue(km.terms().isEmpty());
        Formula log = Formula.parse("log(y) ~ x");
        assertTrue(log.logResponse());
        assertEquals("log(y) ~ x", log.toString());
    }

    @Test
    void explainsSyntaxErrors() {
        assertEquals("formula 'y x': a formula needs '~' between the response and the terms, as in 'y ~ x + C(g)' "
                + "at position 1", assertThrows(FormulaException.class, () -> Formula.parse("y x")).getMessage());
        assertEquals("formula 'y ~ sqrt(x)': unknown function sqrt(); the formula language has C() and log() at "
                + "position 12", assertThrows(FormulaException.class, () -> Formula.parse("y ~ sqrt(x)")).getMessage());
        assertThrows(FormulaException.class, () -> Formula.parse("y ~ x +"));
        assertThrows(FormulaException.class, () -> Formula.parse("y ~ C(x"));
    }

    /** R 4.2.2: {@code model.matrix(y ~ x*g + log(z) - 1, d)} on the TINY data (printed by R). */
    @Test
    void codesLikeRsModelMatrixWithoutIntercept() {
        ModelFrame frame = ModelFrame.of(Formula.parse("y ~ x*C(g) + log(z) - 1"), TINY);
        assertEquals(List.of("x", "C(g)[a]", "C(g)[b]", "C(g)[c]", "log(z)", "x:C(g)[T.b]", "x:C(g)[T.c]"),
                frame.design().names());
        double[][] expected = {
            {0.5, 0, 1, 0, 0.0, 0.5, 0},
            {1.0, 1, 0, 0, 0.6931472, 0.0, 0},
            {2.0, 0, 0, 1, 1.0986123, 0.0, 2},
            {4.0, 1, 0, 0, 1.3862944, 0.0, 0},
            {8.0, 0, 1, 0, 1.6094379, 8.0, 0}};
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(expected[i][j], frame.design().columns()[j][i], 5e-8, "row " + i + " column " + j);
            }
        }
    }

    /** R 4.2.2: {@code model.matrix(y ~ x*g, d)}. */
    @Test
    void codesLikeRsModelMatrixWithIntercept() {
        ModelFrame frame = ModelFrame.of(Formula.parse("y ~ x*C(g)"), TINY);
        assertEquals(List.of("Intercept", "x", "C(g)[T.b]", "C(g)[T.c]", "x:C(g)[T.b]", "x:C(g)[T.c]"),
                frame.design().names());
        assertArrayEquals(new double[] {1, 0, 0, 0, 1}, frame.design().columns()[2]);
        assertArrayEquals(new double[] {0.5, 0, 0, 0, 8}, frame.design().columns()[4]);
        assertArrayEquals(new double[] {0, 0, 2, 0, 0}, frame.design().columns()[5]);
    }

    @Test
    void dropsAndCountsRowsWithMissingValues() {
        Table t = Table.builder()
                .numbers("y", new double[] {1, Double.NaN, 3, 4})
                .numbers("x", new double[] {1, 2, Double.NaN, 4})
                .texts("g", new String[] {"a", "b", "a", null})
                .build();
        ModelFrame frame = ModelFrame.of(Formula.parse("y ~ x + C(g)"), t);
        assertEquals(3, frame.rowsDropped());
        assertArrayEquals(new int[] {0}, frame.rowsUsed());
        FormulaException e = assertThrows(FormulaException.class, () -> ModelFrame.of(Formula.parse("x ~ y"),
                Table.builder().numbers("x", new double[] {Double.NaN, 1}).numbers("y", new double[] {1, Double.NaN})
                        .build()));
        assertEquals("no rows left: all 2 rows have a missing value in x, y", e.getMessage());
    }

    @Test
    void namesTheClosestColumnsTextOutsideCAndBadLogs() {
        assertEquals("unknown column 'zz' in formula 'y ~ zz'; closest: z, g, x",
                assertThrows(FormulaException.class, () -> ModelFrame.of(Formula.parse("y ~ zz"), TINY)).getMessage());
        assertEquals("column 'g' holds text: write C(g) to use it as a categorical",
                assertThrows(FormulaException.class, () -> ModelFrame.of(Formula.parse("y ~ g"), TINY)).getMessage());
        Table t = Table.builder().numbers("y", new double[] {1, 2, 3}).numbers("x", new double[] {-1, 0, 2}).build();
        assertEquals("log(x): 2 rows have x <= 0, where the logarithm is not defined",
                assertThrows(FormulaException.class, () -> ModelFrame.of(Formula.parse("y ~ log(x)"), t)).getMessage());
    }

    @Test
    void levelsSortNumbersByValue() {
        assertEquals(List.of("2", "10", "100"), ModelSpec.sortLevels(List.of("10", "2", "100"), true));
        assertEquals(List.of("10", "100", "2"), ModelSpec.sortLevels(List.of("10", "2", "100"), false));
        assertEquals("3", ModelSpec.levelOf(3.0));
        assertEquals("2.5", ModelSpec.levelOf(2.5));
    }
}
