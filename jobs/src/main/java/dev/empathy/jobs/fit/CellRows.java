package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.CellCoding;
import dev.empathy.lib.regression.CellSums;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * One partition's reader for {@link CellSums}: takes Spark's internal rows one at a time,
 * drops the incomplete ones, numbers levels and clusters ({@link LocalIds}) and counts what the
 * log checks need. The per-row work sits in a small method of its own so the JIT compiles it
 * early and whole, rather than as a replacement of a long-running loop.
 */
final class CellRows {

    private final CellCoding coding;
    private final boolean logResponse;
    private final InternalRowValues values;
    private final int ySlot;
    private final int[] numericSlots;
    private final boolean[] numericLogged;
    private final int[] loggedSlots;
    private final LocalIds[] levels;
    private final LocalIds clusterIds;
    private final CellSums sums;
    private final long[] nonPositive;
    private final double[] numeric;
    private final double[] g;
    private final int[] cell;
    private long read;

    CellRows(CellCoding coding, Map<String, Integer> index, StructType schema, List<String> logged, String cluster,
             boolean clusters, long maxBytes) {
        this.coding = coding;
        this.logResponse = coding.formula().logResponse();
        this.values = new InternalRowValues(index, schema);
        this.ySlot = values.slotOf(coding.formula().response());
        List<String> numerics = coding.numerics();
        this.numericSlots = numerics.stream().mapToInt(values::slotOf).toArray();
        this.numericLogged = new boolean[numerics.size()];
        for (int i = 0; i < numericLogged.length; i++) {
            numericLogged[i] = logged.contains(numerics.get(i));
        }
        this.loggedSlots = logged.stream().mapToInt(values::slotOf).toArray();
        List<String> categoricals = coding.categoricals();
        this.levels = new LocalIds[categoricals.size()];
        for (int c = 0; c < levels.length; c++) {
            levels[c] = ids(categoricals.get(c));
        }
        this.clusterIds = cluster == null ? null : ids(cluster);
        this.sums = new CellSums(coding, clusters, maxBytes);
        this.nonPositive = new long[logged.size()];
        this.numeric = new double[numerics.size()];
        this.g = new double[coding.monomialCount()];
        this.cell = new int[levels.length];
    }

    private LocalIds ids(String column) {
        int s = values.slotOf(column);
        return new LocalIds(values.position(s), values.type(s));
    }

    /** Reads one row; false once the partition met too many cells (the rest need not be read). */
    boolean accept(InternalRow row) {
        values.of(row);
        read++;
        for (int l = 0; l < loggedSlots.length; l++) {
            if (values.numberAt(loggedSlots[l]) <= 0) {
                nonPositive[l]++;
            }
        }
        double y = values.numberAt(ySlot);
        if (logResponse) {
            y = y > 0 ? Math.log(y) : Double.NaN;
        }
        if (Double.isNaN(y)) {
            return true;
        }
        for (int i = 0; i < numericSlots.length; i++) {
            double v = values.numberAt(numericSlots[i]);
            if (Double.isNaN(v) || (numericLogged[i] && v <= 0)) {
                return true;
            }
            numeric[i] = v;
        }
        for (int c = 0; c < levels.length; c++) {
            int id = levels[c].id(row);
            if (id < 0) {
                return true;
            }
            cell[c] = id;
        }
        int clusterId = -1;
        if (clusterIds != null) {
            // With a cluster column a row without a cluster is not used at all.
            clusterId = clusterIds.id(row);
            if (clusterId < 0) {
                return true;
            }
        }
        coding.monomials(numeric, g);
        sums.add(cell, g, y, clusterId);
        return !sums.tooManyCells();
    }

    /** The partition's result: the cell sums (labelled), the rows read, the non-positive counts of logged columns. */
    Object[] finish() {
        String[][] names = new String[levels.length][];
        for (int c = 0; c < levels.length; c++) {
            names[c] = levels[c].names();
        }
        sums.label(names, clusterIds == null ? new Object[0] : clusterIds.keys());
        return new Object[] {sums, read, nonPositive};
    }
}
