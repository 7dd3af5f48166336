package dev.empathy.jobs.run;

import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.spark.Cached;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * What a job computes from: the session, the validated tables, the results of the jobs that ran
 * before it in this run, the tables derived once per run that several jobs read
 * ({@link DerivedTables}), where it reports progress, and the run's date.
 *
 * <p>{@code runDate} is the date the manifest records ({@code RunPipeline.Params.runDate}: nightly's
 * {@code --run-date}, today in UTC for the single-job commands). A job that prints a date (the
 * audit's report) takes it from here, never from the clock, so that the same input and run date
 * give the same bytes.
 *
 * <p>{@code kept} holds what a job persists for its writer: a result may carry a lazy dataset (a
 * model frame) whose rows the job computed and persisted; the run releases them only after the
 * job's files are written, so the writer does not compute them again.
 */
public record JobContext(SparkSession spark, ValidatedInput input, Progress progress, Map<String, Object> results,
                         DerivedTables derived, LocalDate runDate, Cached kept) {

    public JobContext {
        results = Map.copyOf(results);
        Objects.requireNonNull(runDate, "job context: runDate");
        Objects.requireNonNull(kept, "job context: kept");
    }

    /** A context in a run, with nothing kept yet. */
    public JobContext(SparkSession spark, ValidatedInput input, Progress progress, Map<String, Object> results,
                      DerivedTables derived, LocalDate runDate) {
        this(spark, input, progress, results, derived, runDate, new Cached());
    }

    /**
     * A context outside a run: no results of other jobs, derived tables computed on each call,
     * dated today (UTC); what a job keeps stays persisted until {@link #kept()} is closed.
     */
    public JobContext(SparkSession spark, ValidatedInput input, Progress progress) {
        this(spark, input, progress, Map.of(), DerivedTables.none(), LocalDate.now(ZoneOffset.UTC));
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
