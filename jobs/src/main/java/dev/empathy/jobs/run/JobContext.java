package dev.empathy.jobs.run;

import dev.empathy.jobs.input.ValidatedInput;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * What a job is given: the session, the validated tables, the folder it writes into (inside
 * the staging folder of the run), and {@code details}, where it puts what the manifest should
 * record about it (such as the rows each step excluded).
 */
public record JobContext(SparkSession spark, ValidatedInput input, Path output, Progress progress,
                         java.util.Map<String, Object> details) {

    /** A context whose job details (for the manifest) start empty. */
    public JobContext(SparkSession spark, ValidatedInput input, Path output, Progress progress) {
        this(spark, input, output, progress, new java.util.LinkedHashMap<>());
    }
}
