package dev.empathy.jobs;

import dev.empathy.jobs.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** The one local SparkSession of a test JVM. */
public final class SharedSpark {

    private SharedSpark() {
    }

    public static SparkSession session() {
        return SparkSessions.forTests();
    }
}
