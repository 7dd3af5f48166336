package dev.empathy.lib.regression;

import java.util.Map;
import java.util.TreeMap;

/**
 * The first pass of an {@link OrderedLogit}, mergeable across partitions: the response's
 * distinct values with their counts (the ordered levels, sorted ascending, and the marginal
 * cumulative proportions the thresholds start from), and an updating QR of the design rows
 * (intercept included) that finds the aliased and constant terms as a logit does.
 *
 * <p>At most {@link OrderedLogit#MAX_LEVELS} + 1 distinct values are kept: one more tells that the
 * response is not an ordered scale, whatever the true count.
 */
public final class OrderedLogitStart implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final TreeMap<Double, Long> counts = new TreeMap<>();
    private final QrAccumulator qr;
    private boolean tooManyLevels;

    /** @param width the design width, intercept included */
    public OrderedLogitStart(int width) {
        this.qr = new QrAccumulator(new double[width]);
    }

    /** One observation: its full design row (intercept in column 0) and its response. */
    public void add(double[] row, double y) {
        qr.add(row, 0.0);
        count(y, 1);
    }

    private void count(double y, long n) {
        if (tooManyLevels) {
            return;
        }
        counts.merge(y == 0.0 ? 0.0 : y, n, Long::sum);
        if (counts.size() > OrderedLogit.MAX_LEVELS) {
            tooManyLevels = true;
        }
    }

    public void merge(OrderedLogitStart other) {
        qr.merge(other.qr);
        tooManyLevels |= other.tooManyLevels;
        for (Map.Entry<Double, Long> e : other.counts.entrySet()) {
            count(e.getKey(), e.getValue());
        }
    }

    public long rows() {
        return qr.rows();
    }

    /** Whether the response has more than {@link OrderedLogit#MAX_LEVELS} distinct values. */
    public boolean tooManyLevels() {
        return tooManyLevels;
    }

    /** The distinct response values, ascending. */
    public double[] levels() {
        return counts.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The rows at each of {@link #levels()}. */
    public long[] counts() {
        return counts.values().stream().mapToLong(Long::longValue).toArray();
    }

    QrAccumulator qr() {
        return qr;
    }
}
