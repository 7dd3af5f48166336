package dev.empathy.lib.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.lib.formula.CellCoding;
import dev.empathy.lib.formula.Formula;
import dev.empathy.lib.formula.ModelFrame;
import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.formula.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The by-cell route of the Spark pass ({@link CellSums} per partition, {@link CellMerge} on the
 * driver) without Spark: NIST StRD certified values, and the same estimates and cluster errors
 * as the design-row route of {@link Ols} however the rows are split into partitions and
 * whatever order their levels are met in.
 */
class CellSumsTest {

    /** Numbers the levels of one column in the order a partition meets them, as the Spark reader does. */
    private static final class Ids {
        final Map<String, Integer> ids = new LinkedHashMap<>();

        int id(String value) {
            return ids.computeIfAbsent(value, v -> ids.size());
        }

        String[] names() {
            return ids.keySet().toArray(String[]::new);
        }
    }

    /** Fits by cells with the rows split into {@code parts} partitions (row i goes to part i % parts). */
    private static OlsFit fitByCells(Formula formula, double[] y, double[][] numeric, String[][] categorical,
                                     String[] cluster, int parts, OlsOptions options) {
        CellCoding coding = new CellCoding(formula);
        List<CellSums> sums = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            CellSums s = new CellSums(coding, cluster != null, 1 << 26);
            Ids[] levels = new Ids[coding.categoricals().size()];
            for (int c = 0; c < levels.length; c++) {
                levels[c] = new Ids();
            }
            Ids clusters = new Ids();
            double[] g = new double[coding.monomialCount()];
            int[] cell = new int[levels.length];
            // Each part reads its rows backwards from the end, so parts meet levels in different orders.
            for (int i = p + (y.length - 1 - p) / parts * parts; i >= 0; i -= parts) {
                for (int c = 0; c < levels.length; c++) {
                    cell[c] = levels[c].id(categorical[i][c]);
                }
                coding.monomials(numeric[i], g);
                s.add(cell, g, y[i], cluster == null ? -1 : clusters.id(cluster[i]));
            }
            String[][] names = new String[levels.length][];
            for (int c = 0; c < levels.length; c++) {
                names[c] = levels[c].names();
            }
            s.label(names, clusters.names());
            sums.add(s);
        }
        Map<String, Set<String>> found = CellMerge.levels(coding, sums);
        Map<String, List<String>> sorted = new HashMap<>();
        found.forEach((c, v) -> sorted.put(c, ModelSpec.sortLevels(v, false)));
        ModelSpec spec = new ModelSpec(formula, sorted);
        CellMerge merge = new CellMerge(sums, spec);
        LeastSquaresSolution solution = LeastSquaresSolution.solve(merge.factor(), formula.intercept(),
                options.collinearityTolerance());
        RobustMeat meat = options.covariance() == CovarianceType.CLUSTER ? merge.clusterMeat(solution) : null;
        return Ols.finish(spec.names(), solution, meat, options);
    }

    static List<NistStrd.NistSet> sets() throws IOException {
        return NistStrd.sets();
    }

    /**
     * The by-cell route has no refinement pass (the rows are read once), so it keeps fewer digits
     * than {@link Ols} on the hardest sets; measured here (2026-11-26) it still meets the issue's
     * floor of 8 digits on the lower- and average-difficulty sets.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sets")
    void reachesTheCertifiedDigitsOnOnePartitionAndOnThree(NistStrd.NistSet set) {
        Design design = NistStrd.design(set);
        int n = set.y().length;
        int k = design.names().size();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            names.add("v" + j);
        }
        Formula formula = Formula.parse("y ~ " + String.join(" + ", names) + (design.intercept() ? "" : " - 1"));
        double[][] numeric = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                numeric[i][j] = design.columns()[j][i];
            }
        }
        String[][] none = new String[n][0];
        for (int parts : new int[] {1, 3}) {
            OlsFit fit = fitByCells(formula, set.y(), numeric, none, null, parts, OlsOptions.defaults());
            double minCoef = 99;
            double minSe = 99;
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%s by cells (%d parts): LRE", set.name(),
                    parts));
            for (int j = 0; j < set.certified().length; j++) {
                Estimate e = fit.estimates().get(j);
                double lc = NistStrd.lre(e.estimate(), set.certified()[j][0]);
                double ls = NistStrd.lre(e.stdError(), set.certified()[j][1]);
                minCoef = Math.min(minCoef, lc);
                minSe = Math.min(minSe, ls);
                table.append(String.format(Locale.ROOT, " B%d %.1f/%.1f", j, lc, ls));
            }
            System.out.println(table);
            double floor = switch (set.name()) {
                case "Filip" -> 6.0;
                case "Wampler4", "Wampler5" -> 5.0;
                default -> 8.0;
            };
            assertTrue(minCoef >= floor && minSe >= floor, table + " - below " + floor);
        }
    }

    @Test
    void categoricalsInteractionsAndClustersAgreeWithTheDesignRowRoute() {
        Random random = new Random(11);
        int n = 900;
        String[] a = new String[n];
        double[] b = new double[n];
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        String[] cluster = new String[n];
        String[] letters = {"north", "south", "east"};
        for (int i = 0; i < n; i++) {
            a[i] = letters[random.nextInt(3)];
            b[i] = random.nextInt(4) * 10;
            x1[i] = 50 + random.nextGaussian();
            x2[i] = 1000 + 100 * random.nextDouble();
            cluster[i] = "c" + random.nextInt(40);
            y[i] = 3 + 0.5 * x1[i] - 0.01 * x2[i] + (a[i].equals("south") ? 1 : 0) + 0.02 * b[i]
                    + 0.3 * (a[i].equals("east") ? x1[i] - 50 : 0) + (cluster[i].hashCode() % 7) * 0.1
                    + random.nextGaussian();
        }
        String text = "y ~ x1 + log(x2) + C(a) + C(b) + x1:C(a) + C(a):C(b)";
        Formula formula = Formula.parse(text);
        Table table = Table.builder().numbers("y", y).numbers("x1", x1).numbers("x2", x2).texts("a", a)
                .numbers("b", b).texts("cl", cluster).build();
        ModelFrame frame = ModelFrame.of(formula, table);
        OlsOptions options = OlsOptions.defaults().with(CovarianceType.CLUSTER);
        OlsFit byRows = Ols.fit(frame.design(), frame.response(), cluster, options);

        CellCoding coding = new CellCoding(formula);
        assertEquals(List.of("a", "b"), coding.categoricals());
        assertEquals(List.of("x1", "x2"), coding.numerics());
        double[][] numeric = new double[n][];
        String[][] categorical = new String[n][];
        for (int i = 0; i < n; i++) {
            numeric[i] = new double[] {x1[i], x2[i]};
            categorical[i] = new String[] {a[i], ModelSpec.levelOf(b[i])};
        }
        for (int parts : new int[] {1, 4}) {
            OlsFit byCells = fitByCells(formula, y, numeric, categorical, cluster, parts, options);
            assertEquals(byRows.terms(), byCells.terms());
            assertEquals(byRows.statistics().clusters(), byCells.statistics().clusters());
            for (int j = 0; j < byRows.estimates().size(); j++) {
                Estimate e = byRows.estimates().get(j);
                Estimate c = byCells.estimates().get(j);
                assertEquals(e.estimate(), c.estimate(), 1e-10 * Math.max(1, Math.abs(e.estimate())), e.term());
                assertEquals(e.stdError(), c.stdError(), 1e-10 * e.stdError(), "se " + e.term());
            }
            assertEquals(byRows.statistics().rSquared(), byCells.statistics().rSquared(), 1e-12);
        }
    }
}
