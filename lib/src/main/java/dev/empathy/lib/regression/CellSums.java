package dev.empathy.lib.regression;

import dev.empathy.lib.formula.CellCoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One partition's least-squares pieces by cell ({@link CellCoding}), built without knowing the
 * levels: the caller numbers the levels it meets (per categorical column, from 0) and the
 * clusters, and {@link CellMerge} moves everything into the design once every partition's
 * levels are known. Per row the work is an updating QR over the row's monomials (a dozen
 * columns where the design may have dozens) and, for cluster errors, a Gram update over the
 * row's nonzero design entries only.
 *
 * <p>Per cell: a square-root-free updating QR ({@link ScaledQr}) of {@code [g | y]} shifted by the cell's first row, and
 * the sums of {@code g} and {@code y} (for the design's centring). Per cluster: the Gram matrix
 * and the cross products with {@code y} of the row's entries in a partition-local <em>full</em>
 * coding (every level of every categorical term, reference levels included), whose columns map
 * onto design columns or onto nothing (reference levels). The dense columns (intercept and
 * terms without categoricals) are shifted by the partition's first row, as is {@code y}, so the
 * scores keep their digits.
 */
public final class CellSums implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final CellCoding coding;
    private final boolean intercept;
    private final int monomials;
    private final long maxCells;
    private final long maxClusterDoubles;

    final List<Cell> cells = new ArrayList<>();
    private int[] table = new int[64];
    private boolean tooManyCells;

    /** Local full columns: the intercept and dense terms first, then categorical ones as met. */
    final List<int[]> fullKeys = new ArrayList<>();
    private transient Map<List<Integer>, Integer> fullIds = new HashMap<>();
    /** Per dense full column, its shift (the first row's value); zero for the others. */
    double[] fullShift;
    double responseShift;
    private boolean shifted;
    private final int[] denseFull;
    /** How many full columns are dense: the intercept and the terms without categoricals, ids 0..dense-1. */
    private int dense;

    /** Per local cluster id: packed lower-triangular Gram ({@code i(i+1)/2 + j}), then {@code X'(y - c)}. */
    double[][] clusterGrams;
    double[][] clusterCross;
    private int clusterCount;
    private boolean clustersDropped;
    private long clusterDoubles;

    /** Level names per categorical column by local id, and cluster keys by local id; set by {@link #label}. */
    String[][] levelNames;
    Object[] clusterKeys;

    /** One cell: its local levels, its factor and sums. */
    static final class Cell implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final int[] levels;
        final ScaledQr qr;
        final double[] sumG;
        double sumY;
        long n;
        /** Per term the local full column (or -1 without clusters); the pair positions in the packed Gram. */
        final int[] full;
        final int[] pairs;
        /** The local full column of each nonzero entry (intercept first), and scratch for their values. */
        int[] ids;
        /** The term of each entry, -1 for the intercept. */
        int[] terms;
        transient double[] values;

        Cell(int[] levels, ScaledQr qr, int[] full, int[] pairs) {
            this.levels = levels;
            this.qr = qr;
            this.sumG = new double[qr.columns()];
            this.full = full;
            this.pairs = pairs;
        }
    }

    /**
     * @param clusters       whether to keep per-cluster sums for cluster standard errors
     * @param maxBytes       the memory a partition may use for cells and clusters; beyond it the
     *                       cells give up ({@link #tooManyCells}) or the cluster sums are dropped
     *                       ({@link #clustersDropped}) and the caller takes another route
     */
    public CellSums(CellCoding coding, boolean clusters, long maxBytes) {
        this.coding = coding;
        this.intercept = coding.formula().intercept();
        this.monomials = coding.monomialCount();
        long cellBytes = 8L * (monomials + 1) * (monomials + 6) + 64;
        this.maxCells = Math.max(1000, maxBytes / cellBytes);
        this.maxClusterDoubles = maxBytes / 8;
        this.denseFull = new int[coding.terms()];
        Arrays.fill(denseFull, -1);
        if (clusters) {
            clusterGrams = new double[16][];
            clusterCross = new double[16][];
            if (intercept) {
                fullKey(List.of(-1));
            }
            for (int t = 0; t < coding.terms(); t++) {
                if (coding.isDense(t)) {
                    denseFull[t] = fullKey(List.of(t));
                }
            }
            dense = fullKeys.size();
        } else {
            clustersDropped = true;
        }
    }

    private int fullKey(List<Integer> key) {
        Integer id = fullIds.get(key);
        if (id == null) {
            id = fullKeys.size();
            fullIds.put(key, id);
            fullKeys.add(key.stream().mapToInt(Integer::intValue).toArray());
        }
        return id;
    }

    /** Whether the partition met more cells than its memory allows; the sums are then incomplete. */
    public boolean tooManyCells() {
        return tooManyCells;
    }

    /** Whether the per-cluster sums were never kept or were given up for memory. */
    public boolean clustersDropped() {
        return clustersDropped;
    }

    public long rows() {
        long n = 0;
        for (Cell c : cells) {
            n += c.n;
        }
        return n;
    }

    /**
     * Adds one complete row.
     *
     * @param levels  per categorical column, the local id of the row's level
     * @param g       the row's monomials ({@link CellCoding#monomials})
     * @param cluster the local cluster id (from 0, dense), or -1 without clusters
     */
    public void add(int[] levels, double[] g, double y, int cluster) {
        if (tooManyCells) {
            return;
        }
        Cell cell = cell(levels, g);
        if (cell == null) {
            return;
        }
        cell.qr.add(g, y);
        for (int m = 0; m < monomials; m++) {
            cell.sumG[m] += g[m];
        }
        cell.sumY += y;
        cell.n++;
        if (!clustersDropped && cluster >= 0) {
            buffer(cell, g, y, cluster);
        }
    }

    /** Rows wait here and enter their clusters' sums grouped by cluster, which keeps each cluster's Gram in cache. */
    private static final int BATCH = 1 << 15;
    private transient Cell[] pendingCell;
    private transient int[] pendingCluster;
    private transient double[] pendingG;
    private transient double[] pendingY;
    private transient int pending;

    private void buffer(Cell cell, double[] g, double y, int cluster) {
        if (pendingCell == null) {
            pendingCell = new Cell[BATCH];
            pendingCluster = new int[BATCH];
            pendingG = new double[BATCH * monomials];
            pendingY = new double[BATCH];
        }
        pendingCell[pending] = cell;
        pendingCluster[pending] = cluster;
        System.arraycopy(g, 0, pendingG, pending * monomials, monomials);
        pendingY[pending] = y;
        if (++pending == BATCH) {
            flush();
        }
    }

    /** Adds the waiting rows to their clusters, cluster by cluster (a counting sort on the dense ids). */
    public void flush() {
        if (pending == 0) {
            return;
        }
        int clusters = 0;
        for (int i = 0; i < pending; i++) {
            clusters = Math.max(clusters, pendingCluster[i] + 1);
        }
        int[] start = new int[clusters + 1];
        for (int i = 0; i < pending; i++) {
            start[pendingCluster[i] + 1]++;
        }
        for (int c = 0; c < clusters; c++) {
            start[c + 1] += start[c];
        }
        int[] order = new int[pending];
        for (int i = 0; i < pending; i++) {
            order[start[pendingCluster[i]]++] = i;
        }
        double[] g = new double[monomials];
        for (int o = 0; o < pending && !clustersDropped; o++) {
            int i = order[o];
            System.arraycopy(pendingG, i * monomials, g, 0, monomials);
            addToCluster(pendingCell[i], g, pendingY[i], pendingCluster[i]);
        }
        java.util.Arrays.fill(pendingCell, 0, pending, null);
        pending = 0;
    }

    private void addToCluster(Cell cell, double[] g, double y, int cluster) {
        if (!shifted) {
            shifted = true;
            fullShift = new double[Math.max(fullKeys.size(), 1)];
            if (intercept) {
                for (int t = 0; t < denseFull.length; t++) {
                    if (denseFull[t] >= 0) {
                        fullShift[denseFull[t]] = g[coding.termMonomial(t)];
                    }
                }
                responseShift = y;
            }
        }
        if (cluster >= clusterGrams.length) {
            int size = Math.max(cluster + 1, clusterGrams.length * 2);
            clusterGrams = Arrays.copyOf(clusterGrams, size);
            clusterCross = Arrays.copyOf(clusterCross, size);
        }
        int width = fullKeys.size();
        double[] gram = clusterGrams[cluster];
        if (gram == null || gram.length < width * (width + 1) / 2) {
            gram = grow(cluster, width);
            if (gram == null) {
                return;
            }
        }
        double[] cross = clusterCross[cluster];
        // The row's nonzero full entries: the dense ones first (full ids 0..dense-1), then one per categorical term.
        if (cell.values == null) {
            cell.values = new double[cell.ids.length];
        }
        double[] v = cell.values;
        int[] ids = cell.ids;
        int[] terms = cell.terms;
        int count = ids.length;
        for (int a = 0; a < count; a++) {
            int t = terms[a];
            int f = ids[a];
            v[a] = t < 0 ? 1.0 : g[coding.termMonomial(t)] - (f < fullShift.length ? fullShift[f] : 0.0);
        }
        double r = y - responseShift;
        // The dense block is a contiguous corner of the packed triangle; the rest goes by pair positions.
        for (int a = 0; a < dense; a++) {
            double va = v[a];
            cross[a] += va * r;
            int base = a * (a + 1) / 2;
            for (int b = 0; b <= a; b++) {
                gram[base + b] += va * v[b];
            }
        }
        int[] pairs = cell.pairs;
        int q = 0;
        for (int a = dense; a < count; a++) {
            double va = v[a];
            cross[ids[a]] += va * r;
            for (int b = 0; b <= a; b++) {
                gram[pairs[q++]] += va * v[b];
            }
        }
    }

    /** Widens one cluster's arrays to the current full width; null when the memory bound is hit. */
    private double[] grow(int cluster, int width) {
        double[] old = clusterGrams[cluster];
        int oldDoubles = old == null ? 0 : old.length + clusterCross[cluster].length;
        int cap = Math.max(width, old == null ? width : width + 8);
        long added = (long) cap * (cap + 1) / 2 + cap - oldDoubles;
        if (old == null) {
            clusterCount++;
        }
        clusterDoubles += added;
        if (clusterDoubles > maxClusterDoubles) {
            clustersDropped = true;
            clusterGrams = null;
            clusterCross = null;
            return null;
        }
        double[] gram = old == null ? new double[cap * (cap + 1) / 2] : Arrays.copyOf(old, cap * (cap + 1) / 2);
        clusterGrams[cluster] = gram;
        clusterCross[cluster] = old == null ? new double[cap] : Arrays.copyOf(clusterCross[cluster], cap);
        return gram;
    }

    private Cell cell(int[] levels, double[] g) {
        int mask = table.length - 1;
        int h = hash(levels) & mask;
        while (table[h] != 0) {
            Cell c = cells.get(table[h] - 1);
            if (Arrays.equals(c.levels, levels)) {
                return c;
            }
            h = (h + 1) & mask;
        }
        if (cells.size() >= maxCells) {
            tooManyCells = true;
            return null;
        }
        Cell c = newCell(levels.clone(), g);
        cells.add(c);
        table[h] = cells.size();
        if (cells.size() * 2 > table.length) {
            rehash();
        }
        return c;
    }

    private Cell newCell(int[] levels, double[] g) {
        double[] shift = g.clone();
        shift[0] = 0.0;
        int terms = coding.terms();
        int[] full = new int[terms];
        Arrays.fill(full, -1);
        int[] pairs = null;
        int[] ids = null;
        int[] order = null;
        if (!clustersDropped) {
            for (int t = 0; t < terms; t++) {
                if (denseFull[t] >= 0) {
                    full[t] = denseFull[t];
                    continue;
                }
                int[] cats = coding.termCategoricals(t);
                List<Integer> key = new ArrayList<>();
                key.add(t);
                for (int c : cats) {
                    if (c >= 0) {
                        key.add(levels[c]);
                    }
                }
                full[t] = fullKey(key);
            }
            // Dense entries first, in full-id order (the intercept, then dense terms), then categorical terms.
            int count = terms + (intercept ? 1 : 0);
            ids = new int[count];
            order = new int[count];
            int n = 0;
            if (intercept) {
                ids[n] = 0;
                order[n++] = -1;
            }
            for (int t = 0; t < terms; t++) {
                if (denseFull[t] >= 0) {
                    ids[n] = full[t];
                    order[n++] = t;
                }
            }
            for (int t = 0; t < terms; t++) {
                if (denseFull[t] < 0) {
                    ids[n] = full[t];
                    order[n++] = t;
                }
            }
            pairs = new int[count * (count + 1) / 2 - dense * (dense + 1) / 2];
            int q = 0;
            for (int a = dense; a < count; a++) {
                for (int b = 0; b <= a; b++) {
                    int i = Math.max(ids[a], ids[b]);
                    int j = Math.min(ids[a], ids[b]);
                    pairs[q++] = i * (i + 1) / 2 + j;
                }
            }
        }
        Cell c = new Cell(levels, new ScaledQr(shift), full, pairs);
        c.ids = ids;
        c.terms = order;
        return c;
    }

    private static int hash(int[] levels) {
        int h = 0;
        for (int l : levels) {
            h = h * 0x9E3779B1 + l;
        }
        return h ^ (h >>> 15);
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int mask = bigger.length - 1;
        for (int i = 0; i < cells.size(); i++) {
            int h = hash(cells.get(i).levels) & mask;
            while (bigger[h] != 0) {
                h = (h + 1) & mask;
            }
            bigger[h] = i + 1;
        }
        table = bigger;
    }

    /**
     * Names what the partition met, before it leaves: per categorical column the level written
     * as text by local id, and the cluster keys by local id.
     */
    public void label(String[][] levelNames, Object[] clusterKeys) {
        flush();
        this.levelNames = levelNames;
        this.clusterKeys = clusterKeys;
    }

    int clusterCount() {
        return clusterCount;
    }

    int fullWidth() {
        return fullKeys.size();
    }

    CellCoding coding() {
        return coding;
    }

    boolean intercept() {
        return intercept;
    }
}
