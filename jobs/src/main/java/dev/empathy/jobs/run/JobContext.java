package dev.empathy.jobs.run;

import dev.empathy.jobs.input.ValidatedInput;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What a job computes from: the session, the validated tables, the results of the jobs that ran
 * before it in this run, and where it reports progress.
 */
public record JobContext(SparkSession spark, ValidatedInput input, Progress progress, Map<String, Object> results) {

    public JobContext {
        results = Map.copyOf(results);
    }

    public JobContext(SparkSession spark, ValidatedInput input, Progress progress) {
        this(spark, input, progress, Map.of());
    }

    /**
     * The result of job {@code job}, which the asking job declared in {@link Job#uses()}.
     *
     * @throws IllegalStateException when that job did not run before (not declared, or skipped)
     */
    public <T> T result(String job, Class<T> type) {
        Object r = results.get(job);
        if (r == null) {
            throw new IllegalStateException("the result of job " + job + " is not available: declare it in uses()");
        }
        return type.cast(r);
    }
}
