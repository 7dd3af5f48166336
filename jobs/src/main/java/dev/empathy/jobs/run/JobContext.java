package dev.empathy.jobs.run;

import dev.empathy.jobs.input.ValidatedInput;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a job is given: the session, the validated tables, and the folder it writes into (inside
 * the staging folder of the run).
 */
public record JobContext(SparkSession spark, ValidatedInput input, Path output, Progress progress) {
}
