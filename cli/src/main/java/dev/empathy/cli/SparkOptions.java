package dev.empathy.cli;

import dev.empathy.jobs.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every Spark command shares. */
final class SparkOptions {

    @Option(names = "--master", defaultValue = "local[*]",
            description = "Spark master when not run through spark-submit (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = {"-v", "--verbose"}, description = "Show Spark's console progress bar.")
    boolean verbose;

    SparkSession session() {
        return SparkSessions.getOrCreate(master, verbose);
    }
}
