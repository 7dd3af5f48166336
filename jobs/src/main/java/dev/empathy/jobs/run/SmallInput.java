package dev.empathy.jobs.run;

import dev.empathy.jobs.store.Location;
import java.io.IOException;
import java.util.Locale;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's code generation off for a run whose input is small. Each distinct query's generated
 * code is compiled twice, by Janino and then by the JIT, which on the shipped sample (30,000
 * interactions, 1.6 MiB of Parquet) costs more than the rows it speeds up: a nightly there runs
 * about 220 queries and most of its CPU goes to compiling them (docs/benchmarks.md). Below
 * {@link #BYTES} of input the run's queries are interpreted instead
 * ({@code spark.sql.codegen.wholeStage=false}, {@code spark.sql.codegen.factoryMode=NO_CODEGEN});
 * the results are the same, only the route differs. A run whose settings name either key keeps
 * them as given. Closing puts the session's settings back as they were, so a session shared by
 * several runs (tests, notebooks) is left unchanged.
 */
public final class SmallInput implements AutoCloseable {

    /**
     * Input bytes (every file under the input root) below which code generation is turned off:
     * measured on generated data, interpreted queries took 12-18% less time at 1.6 MiB (the
     * sample), 6% less at 5.1 MiB (100,000 interactions) and 10% more at 12.3 MiB (250,000).
     */
    public static final long BYTES = 6L << 20;

    static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
    static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";

    private final RuntimeConfig conf;
    /** The input's size when code generation was turned off, else {@link #NOT_APPLIED}. */
    private final long bytes;

    private static final long NOT_APPLIED = -1;

    private SmallInput(RuntimeConfig conf, long bytes) {
        this.conf = conf;
        this.bytes = bytes;
    }

    /**
     * Turns code generation off when the input under {@code input} is smaller than {@link #BYTES}
     * and neither key is set ({@link #describe()} says so, for the progress output).
     */
    public static SmallInput apply(SparkSession spark, Location input) {
        RuntimeConfig conf = spark.conf();
        if (conf.contains(WHOLE_STAGE) || conf.contains(FACTORY_MODE)) {
            return new SmallInput(conf, NOT_APPLIED);
        }
        long bytes;
        try {
            bytes = input.bytes();
        } catch (IOException e) {
            // The validator reports an unreadable input; the run keeps Spark's defaults.
            return new SmallInput(conf, NOT_APPLIED);
        }
        if (bytes >= BYTES) {
            return new SmallInput(conf, NOT_APPLIED);
        }
        conf.set(WHOLE_STAGE, "false");
        conf.set(FACTORY_MODE, "NO_CODEGEN");
        return new SmallInput(conf, bytes);
    }

    /** Whether this run turned code generation off. */
    public boolean applied() {
        return bytes != NOT_APPLIED;
    }

    /** One line for the progress output: the input's size and what was turned off. */
    public String describe() {
        return String.format(Locale.ROOT, "small input (%.1f MiB): queries interpreted, without code generation",
                bytes / 1048576.0);
    }

    @Override
    public void close() {
        // Neither key was set before (else nothing was applied): unset is what they were.
        if (applied()) {
            conf.unset(WHOLE_STAGE);
            conf.unset(FACTORY_MODE);
        }
    }
}
