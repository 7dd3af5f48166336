package dev.empathy.jobs.fit;

import dev.empathy.jobs.spark.Deterministic;
import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.RobustMeat;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A model's usable rows encoded once through its formula into primitive blocks (the design
 * row-major in one {@code double[]}, the responses, a cluster number per row), so that every
 * pass of a likelihood fit is a loop over arrays: no row objects, no level look-ups, no shuffle.
 *
 * <p>Two routes, the same arithmetic:
 * <ul>
 * <li><b>Driver</b>, when the usable rows times (design width + 2) are at most
 * {@link #DRIVER_VALUES}: one Spark pass encodes the rows where they are (no shuffle), the
 * blocks are collected once, and the rows are sorted on the driver by their values (design,
 * response, then cluster key), a total order of what matters, so the sums do not depend on how
 * Spark partitioned or ordered the input. The passes then run on the driver over
 * {@link #CHUNKS} fixed slices of the sorted rows (in parallel on the driver's cores), merged in
 * slice order: the same bits whatever the number of threads, executors or partitions.</li>
 * <li><b>Spark</b>, above it: the rows in the model's deterministic layout
 * ({@link ModelData#data()}: clustered models by a hash of the cluster, so all of a cluster's
 * rows sit in one partition), encoded once into one block per partition, persisted as
 * deserialized objects; every pass folds each block and merges the partitions' results in
 * partition order, and the cluster meat is summed within each partition (no shuffle).</li>
 * </ul>
 * Rows without a cluster key are used by the likelihood passes and left out of the cluster
 * meat, as before.
 */
final class ModelRows implements AutoCloseable {

    /**
     * Usable rows times (design width + 2) up to which the rows are collected to the driver and
     * the passes run there: 2^25 values (256 MiB of doubles), e.g. 1.5 million rows of a
     * 20-column design. Above it every pass is a Spark job over persisted blocks.
     */
    static final long DRIVER_VALUES = 1L << 25;

    /** Fixed slices of the driver's rows: passes fold each slice and merge them in this order. */
    static final int CHUNKS = 16;

    /** One partition's (or one driver slice's) encoded rows. */
    static final class Block implements Serializable {
        private static final long serialVersionUID = 1L;
        final int n;
        final int width;
        /** Design rows, row-major: row i is {@code x[i * width .. (i + 1) * width)}. */
        final double[] x;
        final double[] y;
        /** Per row its cluster's number within this block, -1 without a key; null when not clustered. */
        final int[] cluster;
        /** Distinct clusters in the block. */
        final int clusters;

        Block(int n, int width, double[] x, double[] y, int[] cluster, int clusters) {
            this.n = n;
            this.width = width;
            this.x = x;
            this.y = y;
            this.cluster = cluster;
            this.clusters = clusters;
        }

        /** Copies row {@code i}'s design into {@code out}. */
        void row(int i, double[] out) {
            System.arraycopy(x, i * width, out, 0, width);
        }
    }

    /** A fresh, empty accumulator of a block. */
    interface Fresh<A> extends Serializable {
        A get();
    }

    /** Adds one row: its design {@code x} and response {@code y}. */
    interface Fold<A> extends Serializable {
        void add(A accumulator, double[] x, double y);
    }

    private final int width;
    private final long rows;
    private final List<Block> local;
    private final JavaRDD<Block> blocks;

    private ModelRows(int width, long rows, List<Block> local, JavaRDD<Block> blocks) {
        this.width = width;
        this.rows = rows;
        this.local = local;
        this.blocks = blocks;
    }

    /** The rows the passes use. */
    long rows() {
        return rows;
    }

    /** Whether the rows sit on the driver. */
    boolean onDriver() {
        return local != null;
    }

    /**
     * The rows of a likelihood fit with {@code covariance}: the complete rows of the levels pass
     * decide the route, and each row keeps its cluster when the errors are robust and the model
     * has a cluster column; cluster errors without one are an {@link IllegalArgumentException}.
     */
    static ModelRows forFit(ModelData model, ModelSpec spec, CovarianceType covariance, long driverValues) {
        if (covariance == CovarianceType.CLUSTER && model.cluster() == null) {
            throw new IllegalArgumentException("cluster standard errors need a cluster column");
        }
        boolean clustered = covariance != CovarianceType.CLASSICAL && model.cluster() != null;
        return encode(model, spec, clustered, model.rowsComplete(), driverValues);
    }

    /**
     * Encodes the usable rows of {@code model} (the response known and the design encoded) with
     * {@code spec}; {@code clustered} keeps each row's cluster number. {@code expectedRows} (the
     * complete rows of the levels pass) decides the route against {@code driverValues}.
     */
    static ModelRows encode(ModelData model, ModelSpec spec, boolean clustered, long expectedRows,
                            long driverValues) {
        int width = spec.width();
        String cluster = clustered ? model.cluster() : null;
        if (expectedRows * (width + 2L) <= driverValues) {
            return onDriver(model.source(), model.index(), spec, cluster);
        }
        Dataset<Row> data = model.data();
        Map<String, Integer> index = model.index();
        StructType schema = data.schema();
        JavaRDD<Block> blocks = data.queryExecution().toRdd().toJavaRDD().mapPartitions((Iterator<InternalRow> it) -> {
            Encoder e = new Encoder(spec, index, schema, cluster, false);
            while (it.hasNext()) {
                e.add(it.next());
            }
            return List.of(e.block()).iterator();
        }, true).persist(StorageLevel.MEMORY_AND_DISK());
        long n = 0;
        for (Integer count : blocks.map(b -> b.n).collect()) {
            n += count;
        }
        return new ModelRows(width, n, null, blocks);
    }

    /** Encodes where the rows are, collects, sorts by value and slices (see the class comment). */
    private static ModelRows onDriver(Dataset<Row> source, Map<String, Integer> index, ModelSpec spec,
                                      String cluster) {
        int width = spec.width();
        StructType schema = source.schema();
        List<Object[]> parts = source.queryExecution().toRdd().toJavaRDD().mapPartitions((Iterator<InternalRow> it) -> {
            Encoder e = new Encoder(spec, index, schema, cluster, true);
            while (it.hasNext()) {
                e.add(it.next());
            }
            return List.<Object[]>of(e.raw()).iterator();
        }).collect();
        int n = 0;
        for (Object[] p : parts) {
            n += (Integer) p[0];
        }
        double[] x = new double[n * width];
        double[] y = new double[n];
        Object[] keys = cluster == null ? null : new Object[n];
        int at = 0;
        for (Object[] p : parts) {
            int m = (Integer) p[0];
            System.arraycopy((double[]) p[1], 0, x, at * width, m * width);
            System.arraycopy((double[]) p[2], 0, y, at, m);
            if (keys != null) {
                System.arraycopy((Object[]) p[3], 0, keys, at, m);
            }
            at += m;
        }
        Integer[] order = Deterministic.valueOrder(n, x, width, y, keys);
        // Slices of the sorted rows; cluster numbers in order of first appearance, across slices.
        List<Block> slices = new ArrayList<>(CHUNKS);
        Map<Object, Integer> ids = cluster == null ? null : new HashMap<>();
        for (int s = 0; s < CHUNKS; s++) {
            int from = (int) ((long) n * s / CHUNKS);
            int to = (int) ((long) n * (s + 1) / CHUNKS);
            int m = to - from;
            double[] sx = new double[m * width];
            double[] sy = new double[m];
            int[] sc = ids == null ? null : new int[m];
            for (int r = 0; r < m; r++) {
                int i = order[from + r];
                System.arraycopy(x, i * width, sx, r * width, width);
                sy[r] = y[i];
                if (sc != null) {
                    Object key = keys[i];
                    sc[r] = key == null ? -1 : ids.computeIfAbsent(key, k -> ids.size());
                }
            }
            slices.add(new Block(m, width, sx, sy, sc, ids == null ? 0 : ids.size()));
        }
        return new ModelRows(width, n, slices, null);
    }

    /**
     * One pass: each block folded into a fresh accumulator, the accumulators in block order
     * (partition order over Spark, slice order on the driver).
     */
    <A> List<A> fold(Fresh<A> fresh, Fold<A> fold) {
        int w = width;
        if (local != null) {
            return IntStream.range(0, local.size()).parallel()
                    .mapToObj(s -> foldBlock(local.get(s), fresh.get(), fold, w)).toList();
        }
        return blocks.map(b -> foldBlock(b, fresh.get(), fold, w)).collect();
    }

    private static <A> A foldBlock(Block b, A accumulator, Fold<A> fold, int width) {
        double[] row = new double[width];
        for (int i = 0; i < b.n; i++) {
            b.row(i, row);
            fold.add(accumulator, row, b.y[i]);
        }
        return accumulator;
    }

    /**
     * The HC1 or cluster meat of a likelihood model from every row's score ({@link ScoreSums.RowScore}):
     * {@code sum_i s_i s_i'} (HC1) or {@code sum_g u_g u_g'} over the clusters' score sums. Each
     * cluster's rows lie in one block over Spark; on the driver the clusters' sums run over the
     * whole sorted rows.
     */
    RobustMeat meat(CovarianceType type, int k, ScoreSums.RowScore score) {
        if (type == CovarianceType.HC1) {
            List<double[]> parts = fold(() -> new double[k * k], (m, x, y) -> {
                double[] s = new double[k];
                double w = score.score(x, y, s);
                for (int i = 0; i < k; i++) {
                    double a = w * w * s[i];
                    for (int j = i; j < k; j++) {
                        m[i * k + j] += a * s[j];
                    }
                }
            });
            double[][] m = square(parts, k);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < i; j++) {
                    m[i][j] = m[j][i];
                }
            }
            return RobustMeat.of(type, m, 0);
        }
        if (local != null) {
            // Cluster numbers run across the slices: sum the scores by cluster over all of them.
            int clusters = local.isEmpty() ? 0 : local.get(local.size() - 1).clusters;
            double[] u = new double[clusters * k];
            for (Block b : local) {
                addClusterScores(b, score, k, u);
            }
            double[] m = new double[k * k];
            outer(u, clusters, k, m);
            return RobustMeat.of(type, square(List.of(m), k), clusters);
        }
        List<double[]> parts = blocks.map(b -> {
            double[] u = new double[b.clusters * k];
            addClusterScores(b, score, k, u);
            double[] m = new double[k * k + 1];
            outer(u, b.clusters, k, m);
            m[k * k] = b.clusters;
            return m;
        }).collect();
        long clusters = 0;
        for (double[] p : parts) {
            clusters += (long) p[k * k];
        }
        return RobustMeat.of(type, square(parts, k), clusters);
    }

    /**
     * Adds the weighted score of every row of {@code b} that has a cluster to its cluster's sums
     * in {@code u} (k per cluster, by the block's cluster numbers).
     */
    private static void addClusterScores(Block b, ScoreSums.RowScore score, int k, double[] u) {
        double[] row = new double[b.width];
        double[] s = new double[k];
        for (int i = 0; i < b.n; i++) {
            if (b.cluster[i] < 0) {
                continue;
            }
            b.row(i, row);
            double w = score.score(row, b.y[i], s);
            int base = b.cluster[i] * k;
            for (int j = 0; j < k; j++) {
                u[base + j] += w * s[j];
            }
        }
    }

    /** Adds {@code u_g u_g'} of every cluster's sums (in cluster order) to {@code m} (k x k, row-major). */
    private static void outer(double[] u, int clusters, int k, double[] m) {
        for (int g = 0; g < clusters; g++) {
            int base = g * k;
            for (int i = 0; i < k; i++) {
                double a = u[base + i];
                for (int j = 0; j < k; j++) {
                    m[i * k + j] += a * u[base + j];
                }
            }
        }
    }

    private static double[][] square(List<double[]> parts, int k) {
        double[][] m = new double[k][k];
        for (double[] p : parts) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    m[i][j] += p[i * k + j];
                }
            }
        }
        return m;
    }

    @Override
    public void close() {
        if (blocks != null) {
            blocks.unpersist(false);
        }
    }

    /** A partition's encoder: usable rows into growing arrays, cluster keys numbered in order met. */
    private static final class Encoder {
        private final ModelSpec spec;
        private final InternalRowValues values;
        private final String cluster;
        private final int width;
        private final double[] row;
        private final double[] scratch;
        private final Map<Object, Integer> ids = new HashMap<>();
        private final List<Object> keys;
        private double[] x;
        private double[] y;
        private int[] c;
        private int n;

        Encoder(ModelSpec spec, Map<String, Integer> index, StructType schema, String cluster, boolean keepKeys) {
            this.spec = spec;
            this.keys = keepKeys && cluster != null ? new ArrayList<>() : null;
            this.values = new InternalRowValues(index, schema);
            this.cluster = cluster;
            this.width = spec.width();
            this.row = new double[width];
            this.scratch = new double[Math.max(1, width)];
            this.x = new double[1024 * Math.max(1, width)];
            this.y = new double[1024];
            this.c = cluster == null ? null : new int[1024];
        }

        void add(InternalRow r) {
            InternalRowValues v = values.of(r);
            double response = spec.response(v);
            if (Double.isNaN(response) || !spec.encode(v, row, scratch)) {
                return;
            }
            if (n == y.length) {
                int grown = y.length * 2;
                x = Arrays.copyOf(x, grown * Math.max(1, width));
                y = Arrays.copyOf(y, grown);
                if (c != null) {
                    c = Arrays.copyOf(c, grown);
                }
            }
            System.arraycopy(row, 0, x, n * width, width);
            y[n] = response;
            if (c != null) {
                Object key = v.raw(cluster);
                if (keys != null) {
                    keys.add(key);
                }
                if (key == null) {
                    c[n] = -1;
                } else {
                    Integer id = ids.get(key);
                    if (id == null) {
                        id = ids.size();
                        ids.put(key, id);
                    }
                    c[n] = id;
                }
            }
            n++;
        }

        /** The partition's block, its arrays trimmed. */
        Block block() {
            return new Block(n, width, Arrays.copyOf(x, n * width), Arrays.copyOf(y, n),
                    c == null ? null : Arrays.copyOf(c, n), ids.size());
        }

        /** For the driver: the count, the design, the responses and each row's cluster key (or null). */
        Object[] raw() {
            return new Object[] {n, Arrays.copyOf(x, n * width), Arrays.copyOf(y, n),
                    keys == null ? null : keys.toArray()};
        }
    }
}
