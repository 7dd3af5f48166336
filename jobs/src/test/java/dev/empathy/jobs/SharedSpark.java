package dev.empathy.jobs;

import dev.empathy.jobs.spark.SparkSessions;
import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/** The one local SparkSession of a test JVM. */
public final class SharedSpark {

    private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";

    private SharedSpark() {
    }

    public static SparkSession session() {
        return SparkSessions.forTests();
    }

    /** What a test does under one shuffle partition count. */
    @FunctionalInterface
    public interface UnderPartitions {
        void run(String partitions) throws IOException;
    }

    /**
     * Runs {@code step} once under each of {@code counts} shuffle partitions of the shared
     * session, in that order, and puts the session's own setting back afterwards, whatever happens.
     * The step must use a session taken before it, not call {@link #session()}: that re-applies the
     * test builder's settings, its partition count among them.
     */
    public static void underShufflePartitions(List<String> counts, UnderPartitions step) throws IOException {
        RuntimeConfig conf = session().conf();
        String before = conf.get(SHUFFLE_PARTITIONS);
        try {
            for (String count : counts) {
                conf.set(SHUFFLE_PARTITIONS, count);
                step.run(count);
            }
        } finally {
            conf.set(SHUFFLE_PARTITIONS, before);
        }
    }
}
