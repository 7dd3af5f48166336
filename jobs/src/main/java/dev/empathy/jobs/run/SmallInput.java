package dev.empathy.jobs.run;

import dev.empathy.jobs.spark.SparkSessions;
import dev.empathy.jobs.store.Location;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Spark settings for a run whose input is small, where Spark's fixed cost per query outweighs
 * the rows. Below {@link #BYTES} of input:
 * <ul>
 *   <li><b>Queries are interpreted</b> ({@code spark.sql.codegen.wholeStage=false},
 *       {@code spark.sql.codegen.factoryMode=NO_CODEGEN}). Each distinct query's generated code is
 *       compiled twice, by Janino and then by the JIT, which on the shipped sample (30,000
 *       interactions, 1.6 MiB of Parquet) costs more than the rows it speeds up: a nightly there
 *       runs about 130 queries and most of its CPU goes to compiling (docs/benchmarks.md).</li>
 *   <li><b>One shuffle partition, planned once</b> ({@code spark.sql.shuffle.partitions=1},
 *       {@code spark.sql.adaptive.enabled=false}): a few thousand rows need no more than one
 *       task per shuffle, and adaptive execution would plan each query again after every stage
 *       only to merge the partitions into one. This applies only when the number of shuffle
 *       partitions is the toolkit's choice: unset, or the default {@link SparkSessions} gives a
 *       local session.</li>
 * </ul>
 * The results are the same, only the route differs: the jobs' sums do not depend on how Spark
 * partitions a shuffle. A setting the run's Spark settings name is kept as given (either
 * code generation key keeps both; a shuffle partition count or adaptive setting the user gave
 * keeps adaptive execution as it is). Closing puts the session's settings back as they were, so
 * a session shared by several runs (tests, notebooks) is left unchanged.
 */
public final class SmallInput implements AutoCloseable {

    /**
     * Input bytes (every file under the input root) below which these settings apply: measured
     * on generated data, interpreted queries took 12-18% less time at 1.6 MiB (the sample), 6%
     * less at 5.1 MiB (100,000 interactions) and 10% more at 12.3 MiB (250,000).
     */
    public static final long BYTES = 6L << 20;

    static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
    static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";
    static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
    static final String ADAPTIVE = "spark.sql.adaptive.enabled";

    private final RuntimeConfig conf;
    /** The input's size when some setting was applied, else {@link #NOT_APPLIED}. */
    private final long bytes;
    /** Each key this run set, with its value before (empty: it was unset), in the order set. */
    private final Map<String, Optional<String>> before;
    /** What was applied, for the progress line. */
    private final List<String> changes;

    private static final long NOT_APPLIED = -1;

    private SmallInput(RuntimeConfig conf, long bytes, Map<String, Optional<String>> before, List<String> changes) {
        this.conf = conf;
        this.bytes = bytes;
        this.before = before;
        this.changes = changes;
    }

    private static SmallInput none(RuntimeConfig conf) {
        return new SmallInput(conf, NOT_APPLIED, Map.of(), List.of());
    }

    /**
     * Applies the settings the user left to the toolkit when the input under {@code input} is
     * smaller than {@link #BYTES} ({@link #describe()} says which, for the progress output).
     */
    public static SmallInput apply(SparkSession spark, Location input) {
        RuntimeConfig conf = spark.conf();
        boolean interpret = !conf.contains(WHOLE_STAGE) && !conf.contains(FACTORY_MODE);
        boolean onePartition = toolkitPartitions(conf) && !conf.contains(ADAPTIVE);
        if (!interpret && !onePartition) {
            // Every key is the user's: the input need not be listed.
            return none(conf);
        }
        long bytes;
        try {
            bytes = input.bytes();
        } catch (IOException e) {
            // The validator reports an unreadable input; the run keeps Spark's defaults.
            return none(conf);
        }
        if (bytes >= BYTES) {
            return none(conf);
        }
        Map<String, Optional<String>> before = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        if (interpret) {
            set(conf, before, WHOLE_STAGE, "false");
            set(conf, before, FACTORY_MODE, "NO_CODEGEN");
            changes.add("queries interpreted, without code generation");
        }
        if (onePartition) {
            set(conf, before, SHUFFLE_PARTITIONS, "1");
            set(conf, before, ADAPTIVE, "false");
            changes.add("one shuffle partition, planned once");
        }
        return new SmallInput(conf, bytes, before, changes);
    }

    /** Whether the shuffle's partition count is the toolkit's to choose: unset, or its local default. */
    private static boolean toolkitPartitions(RuntimeConfig conf) {
        if (!conf.contains(SHUFFLE_PARTITIONS)) {
            return true;
        }
        Optional<String> chosen = option(conf, SparkSessions.DEFAULT_SHUFFLE_PARTITIONS);
        return chosen.isPresent() && chosen.get().equals(conf.get(SHUFFLE_PARTITIONS));
    }

    private static void set(RuntimeConfig conf, Map<String, Optional<String>> before, String key, String value) {
        before.put(key, option(conf, key));
        conf.set(key, value);
    }

    private static Optional<String> option(RuntimeConfig conf, String key) {
        return conf.contains(key) ? Optional.of(conf.get(key)) : Optional.empty();
    }

    /** Whether this run changed some setting. */
    public boolean applied() {
        return bytes != NOT_APPLIED;
    }

    /** One line for the progress output: the input's size and what was changed. */
    public String describe() {
        return String.format(Locale.ROOT, "small input (%.1f MiB): %s", bytes / 1048576.0, String.join("; ", changes));
    }

    @Override
    public void close() {
        before.forEach((key, value) -> {
            if (value.isPresent()) {
                conf.set(key, value.get());
            } else {
                conf.unset(key);
            }
        });
    }
}
