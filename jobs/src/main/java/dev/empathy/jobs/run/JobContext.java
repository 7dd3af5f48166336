package dev.empathy.jobs.run;

import dev.empathy.jobs.input.ValidatedInput;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What a job computes from: the session, the validated tables, the results of the jobs that ran
 * before it in this run, the tables derived once per run that several jobs read
 * ({@link DerivedTables}), and where it reports progress.
 */
public record JobContext(SparkSession spark, ValidatedInput input, Progress progress, Map<String, Object> results,
                         DerivedTables derived) {

    public JobContext {
        results = Map.copyOf(results);
    }

    /** A context outside a run: no results of other jobs, derived tables computed on each call. */
    public JobContext(SparkSession spark, ValidatedInput input, Progress progress) {
        this(spark, input, progress, Map.of(), DerivedTables.none());
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
