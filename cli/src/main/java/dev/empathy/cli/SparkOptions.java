package dev.empathy.cli;

import dev.empathy.jobs.spark.SparkSessions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options every Spark command shares. */
final class SparkOptions {

    /** The prefix of Hadoop settings among Spark's, as in spark-submit's {@code --conf}. */
    static final String HADOOP_PREFIX = "spark.hadoop.";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--master", defaultValue = "local[*]",
            description = "Spark master when not run through spark-submit (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = {"-v", "--verbose"}, description = "Show Spark's console progress bar.")
    boolean verbose;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting for the run (repeatable), as spark-submit's --conf; Hadoop settings as "
                    + "spark.hadoop.<name>, for example --conf spark.hadoop.fs.s3a.endpoint=http://host:9000 "
                    + "(docs/cluster.md). Values are never written to the run's files.")
    Map<String, String> conf = new LinkedHashMap<>();

    /**
     * The run's session, with the {@code --conf} settings. Where a session already exists (under
     * spark-submit, or in tests) its SparkContext keeps the Hadoop configuration it was made with,
     * so the {@code spark.hadoop.*} settings are also put into that configuration: the driver's
     * file system calls and Spark's readers and writers (which take it from there) see them.
     */
    SparkSession session() {
        for (String key : conf.keySet()) {
            if (!key.startsWith("spark.") || key.equals(HADOOP_PREFIX)) {
                throw new ParameterException(spec.commandLine(), "--conf " + key
                        + ": expected a Spark setting spark.<name>=<value>; Hadoop settings go as spark.hadoop.<name>=<value>");
            }
        }
        SparkSession session = SparkSessions.getOrCreate(master, verbose, conf);
        Configuration hadoop = session.sparkContext().hadoopConfiguration();
        conf.forEach((key, value) -> {
            if (key.startsWith(HADOOP_PREFIX)) {
                hadoop.set(key.substring(HADOOP_PREFIX.length()), value);
            }
        });
        return session;
    }
}
