package dev.empathy.lib.regression;

import dev.empathy.lib.formula.CellCoding;
import dev.empathy.lib.formula.ModelSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The driver's half of {@link CellSums}: once every partition's levels are known, it moves the
 * partitions' cell factors into one design factor and their per-cluster sums into cluster
 * scores. Both moves are exact linear maps: within a cell the shifted design rows are
 * {@code x - S = B (g - s)} with {@code B = A + (A s - S) e_0'} (the constant monomial carries
 * the shifts), so {@code R B'} has the Gram matrix of the cell's design rows; and a local full
 * column maps onto one design column or onto none.
 */
public final class CellMerge {

    private final List<CellSums> parts;
    private final ModelSpec spec;
    private final CellCoding coding;
    private final boolean intercept;
    private final int width;
    /** Per part, per categorical column: local level id to index in the spec's levels. */
    private final List<int[][]> globalLevels = new ArrayList<>();
    private final double[] shift;
    private final double responseMean;
    private final long rows;

    /** The levels of each categorical column met in rows that were used, over all parts. */
    public static Map<String, Set<String>> levels(CellCoding coding, List<CellSums> parts) {
        Map<String, Set<String>> levels = new LinkedHashMap<>();
        List<String> columns = coding.categoricals();
        columns.forEach(c -> levels.put(c, new LinkedHashSet<>()));
        for (CellSums p : parts) {
            for (CellSums.Cell cell : p.cells) {
                for (int c = 0; c < columns.size(); c++) {
                    levels.get(columns.get(c)).add(p.levelNames[c][cell.levels[c]]);
                }
            }
        }
        return levels;
    }

    public CellMerge(List<CellSums> parts, ModelSpec spec) {
        this.parts = parts;
        this.spec = spec;
        this.coding = parts.get(0).coding();
        this.intercept = coding.formula().intercept();
        this.width = spec.width();
        List<String> columns = coding.categoricals();
        for (CellSums p : parts) {
            int[][] map = new int[columns.size()][];
            for (int c = 0; c < columns.size(); c++) {
                List<String> sorted = spec.levels().get(columns.get(c));
                Map<String, Integer> at = new HashMap<>();
                for (int i = 0; i < sorted.size(); i++) {
                    at.put(sorted.get(i), i);
                }
                String[] names = p.levelNames[c];
                map[c] = new int[names.length];
                for (int l = 0; l < names.length; l++) {
                    map[c][l] = at.getOrDefault(names[l], -1);
                }
            }
            globalLevels.add(map);
        }
        // The centring shift: the design's column means (the intercept unshifted), and the response's mean.
        double[] sum = new double[width];
        double sumY = 0;
        long n = 0;
        for (int p = 0; p < parts.size(); p++) {
            for (CellSums.Cell cell : parts.get(p).cells) {
                int[] filled = designColumns(p, cell);
                for (int t = 0; t < filled.length; t++) {
                    if (filled[t] >= 0) {
                        sum[filled[t]] += cell.sumG[coding.termMonomial(t)];
                    }
                }
                sumY += cell.sumY;
                n += cell.n;
            }
        }
        this.rows = n;
        this.shift = new double[width];
        if (intercept && n > 0) {
            for (int j = 1; j < width; j++) {
                shift[j] = sum[j] / n;
            }
        }
        this.responseMean = n > 0 ? sumY / n : 0;
    }

    public long rows() {
        return rows;
    }

    /** The response's mean over the rows used. */
    public double responseMean() {
        return responseMean;
    }

    /** Per term, the design column a cell of part {@code p} fills (-1 for none). */
    private int[] designColumns(int p, CellSums.Cell cell) {
        int[][] map = globalLevels.get(p);
        int[] global = new int[cell.levels.length];
        for (int c = 0; c < global.length; c++) {
            global[c] = map[c][cell.levels[c]];
        }
        return coding.designColumns(spec, global);
    }

    /** The design's factor, centred on the column means, with every part's rows. */
    public QrAccumulator factor() {
        QrAccumulator qr = new QrAccumulator(shift);
        int m = coding.monomialCount();
        double[] v = new double[width];
        for (int p = 0; p < parts.size(); p++) {
            for (CellSums.Cell cell : parts.get(p).cells) {
                int[] columns = designColumns(p, cell);
                double[] s = cell.qr.shift();
                double[][] r = cell.qr.r();
                double[] z = cell.qr.z();
                for (int i = 0; i < m; i++) {
                    double[] ri = r[i];
                    java.util.Arrays.fill(v, 0.0);
                    // x - S = A (g - s) + (A s - S) * 1: the constant monomial carries both shifts.
                    if (intercept) {
                        v[0] += ri[0];
                    }
                    for (int t = 0; t < columns.length; t++) {
                        int j = columns[t];
                        if (j >= 0) {
                            int mono = coding.termMonomial(t);
                            v[j] += ri[mono] + ri[0] * s[mono];
                        }
                    }
                    for (int j = 0; j < width; j++) {
                        v[j] -= ri[0] * shift[j];
                    }
                    qr.addShiftedRow(v, z[i]);
                }
                qr.addCounts(cell.qr.rows(), cell.qr.residualSumSquares());
            }
        }
        return qr;
    }

    /** Whether every part kept its per-cluster sums, so {@link #clusterMeat} can run. */
    public boolean clustersKept() {
        for (CellSums p : parts) {
            if (p.clustersDropped()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The cluster-robust meat {@code sum_g u_g u_g'} over the solution's kept columns in its
     * shifted coordinates, with {@code u_g} the sum over the cluster's rows of residual times
     * shifted design row, from the per-cluster sums and the coefficients.
     */
    public RobustMeat clusterMeat(LeastSquaresSolution solution) {
        int[] kept = solution.kept();
        double[] b = solution.coefficients();
        int k = kept.length;
        int[] keptAt = new int[width];
        java.util.Arrays.fill(keptAt, -1);
        for (int a = 0; a < k; a++) {
            keptAt[kept[a]] = a;
        }
        Map<Object, double[]> scores = new HashMap<>();
        for (int p = 0; p < parts.size(); p++) {
            CellSums part = parts.get(p);
            int fw = part.fullWidth();
            int[] design = fullToDesign(p, part);
            double[] s = part.fullShift == null ? new double[fw] : java.util.Arrays.copyOf(part.fullShift, fw);
            // The coefficients in the part's full coordinates: e = (y - c) - bFull'(x_full - s).
            double[] bFull = new double[fw];
            for (int f = 0; f < fw; f++) {
                int j = design[f];
                bFull[f] = j >= 0 && keptAt[j] >= 0 ? b[keptAt[j]] : 0.0;
            }
            // Per design column, the part's shift moved into the design (T s).
            double[] ts = new double[width];
            for (int f = 0; f < fw; f++) {
                if (design[f] >= 0) {
                    ts[design[f]] += s[f];
                }
            }
            if (intercept) {
                double c = bFull[0] - part.responseShift;
                for (int f = 1; f < fw; f++) {
                    c += bFull[f] * s[f];
                }
                for (int a = 0; a < k; a++) {
                    if (kept[a] != 0) {
                        c -= b[a] * shift[kept[a]];
                    }
                }
                bFull[0] = c;
            }
            double[] uFull = new double[fw];
            for (int q = 0; q < part.clusterGrams.length; q++) {
                double[] gram = part.clusterGrams[q];
                if (gram == null) {
                    continue;
                }
                double[] cross = part.clusterCross[q];
                for (int f = 0; f < fw; f++) {
                    double u = f < cross.length ? cross[f] : 0.0;
                    for (int h = 0; h < fw; h++) {
                        int i = Math.max(f, h);
                        int at = i * (i + 1) / 2 + Math.min(f, h);
                        if (at < gram.length) {
                            u -= gram[at] * bFull[h];
                        }
                    }
                    uFull[f] = u;
                }
                double[] u = scores.computeIfAbsent(part.clusterKeys[q], key -> new double[k]);
                for (int f = 0; f < fw; f++) {
                    int j = design[f];
                    if (j >= 0 && keptAt[j] >= 0) {
                        u[keptAt[j]] += uFull[f];
                    }
                }
                if (intercept) {
                    for (int a = 0; a < k; a++) {
                        if (kept[a] != 0) {
                            u[a] += (ts[kept[a]] - shift[kept[a]]) * uFull[0];
                        }
                    }
                }
            }
        }
        double[][] meat = new double[k][k];
        scores.entrySet().stream().sorted((x, y) -> x.getKey().toString().compareTo(y.getKey().toString()))
                .forEach(e -> {
                    double[] u = e.getValue();
                    for (int a = 0; a < k; a++) {
                        for (int c = 0; c < k; c++) {
                            meat[a][c] += u[a] * u[c];
                        }
                    }
                });
        return RobustMeat.of(CovarianceType.CLUSTER, meat, scores.size());
    }

    /** Per local full column of part {@code p}, its design column (-1 for a reference level). */
    private int[] fullToDesign(int p, CellSums part) {
        int[][] map = globalLevels.get(p);
        int[] design = new int[part.fullWidth()];
        for (int f = 0; f < design.length; f++) {
            int[] key = part.fullKeys.get(f);
            int t = key[0];
            if (t < 0) {
                design[f] = 0;
                continue;
            }
            int[] cats = coding.termCategoricals(t);
            int[] byFactor = new int[cats.length];
            int next = 1;
            for (int i = 0; i < cats.length; i++) {
                byFactor[i] = cats[i] < 0 ? 0 : map[cats[i]][key[next++]];
            }
            design[f] = spec.termColumn(t, byFactor);
        }
        return design;
    }
}
