package dev.empathy.jobs.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession the toolkit runs in. Local mode is the embedded default; under spark-submit
 * the master and resources come from the submit command and only the toolkit's SQL settings
 * are added.
 */
public final class SparkSessions {

    private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

    /**
     * Set beside {@code spark.sql.shuffle.partitions} when a local session's partition count is
     * the toolkit's default rather than the user's: a run on a small input may then lower it
     * ({@code SmallInput}).
     */
    public static final String DEFAULT_SHUFFLE_PARTITIONS = "spark.empathy.defaultShufflePartitions";

    /**
     * How many generated classes Spark keeps compiled (its default is 100). Nightly's queries
     * generate about a thousand distinct classes; with room for 100, code that comes round again
     * is compiled again, by Janino and then by the JIT (1,208 compilations on 250,000 generated
     * interactions, 958 with room for 5,000: docs/benchmarks.md). 2,000 is above the thousand.
     */
    static final String CODEGEN_CACHE = "spark.sql.codegen.cache.maxEntries";
    static final String CODEGEN_CACHE_ENTRIES = "2000";

    /** How persisted Datasets are held: {@link RowCache}. Static, like the codegen cache. */
    static final String CACHE_SERIALIZER = "spark.sql.cache.serializer";

    private SparkSessions() {
    }

    /**
     * The session for a run: an existing one when spark-submit made it, otherwise a local one
     * with {@code master} (for example {@code local[*]}).
     *
     * @param showProgress Spark's console progress bar, only wanted with {@code --verbose}
     */
    public static SparkSession getOrCreate(String master, boolean showProgress) {
        return getOrCreate(master, showProgress, Map.of());
    }

    /**
     * {@link #getOrCreate(String, boolean)} with more Spark settings ({@code spark.hadoop.*} for
     * Hadoop's); they are set after the toolkit's own, so they may replace one.
     */
    public static SparkSession getOrCreate(String master, boolean showProgress, Map<String, String> settings) {
        SparkSession.Builder builder = SparkSession.builder().appName("empathy");
        if (System.getProperty("spark.master") == null) {
            builder.master(master)
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
            if (!settings.containsKey(SHUFFLE_PARTITIONS)) {
                String partitions = Integer.toString(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
                builder.config(SHUFFLE_PARTITIONS, partitions).config(DEFAULT_SHUFFLE_PARTITIONS, partitions);
            }
        }
        withToolkitSettings(builder, showProgress);
        settings.forEach(builder::config);
        return builder.getOrCreate();
    }

    /** One small local session for tests: two threads, two shuffle partitions, no UI. */
    public static SparkSession forTests() {
        SparkSession.Builder builder = SparkSession.builder().appName("empathy-tests")
                .master("local[2]")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.default.parallelism", "2");
        return withToolkitSettings(builder, false).getOrCreate();
    }

    /** Sets {@code key} unless spark-submit gave it (as a system property). */
    private static void unlessGiven(SparkSession.Builder builder, String key, String value) {
        if (System.getProperty(key) == null) {
            builder.config(key, value);
        }
    }

    private static SparkSession.Builder withToolkitSettings(SparkSession.Builder builder, boolean showProgress) {
        // Static settings: the codegen cache is read once per JVM when Spark first generates code,
        // the cache serializer when the first session is made; both are set with the first session.
        // A --conf of either (the CLI's, after this; spark-submit's, a system property) is kept.
        unlessGiven(builder, CODEGEN_CACHE, CODEGEN_CACHE_ENTRIES);
        unlessGiven(builder, CACHE_SERIALIZER, RowCache.class.getName());
        return builder
                // Local (no time zone) timestamps are read as UTC, and every date is computed in UTC.
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                .config("spark.sql.debug.maxToStringFields", "200")
                .config("spark.ui.showConsoleProgress", Boolean.toString(showProgress))
                // No _SUCCESS markers: the run folder's manifest says what is complete.
                .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
                .config("spark.hadoop.parquet.summary.metadata.level", "NONE");
    }
}
