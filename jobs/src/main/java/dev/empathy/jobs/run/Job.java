package dev.empathy.jobs.run;

import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * One analysis of a run, in two halves: {@link #compute} makes a typed, immutable result from the
 * validated tables (and the results of the jobs it {@link #uses}) and writes no file;
 * {@link #write} turns that result into the job's files. The run gives each job its own folder
 * and records its {@link #options} and {@link #details} in the manifest. See
 * docs/adding-a-job.md.
 *
 * @param <R> the job's result
 */
public interface Job<R> {

    /** The job's name: its command, its folder in the run and its entry in the manifest. */
    String name();

    /** The input tables it cannot run without; when one is absent the job is skipped. */
    Set<String> needs();

    /** Other jobs whose results it reads through {@link JobContext#result}; they run first. */
    default Set<String> uses() {
        return Set.of();
    }

    /** The options it runs with, as the manifest records them. */
    Map<String, Object> options();

    /** Computes the result: Spark work, no files. */
    R compute(JobContext context);

    /** Writes the result's files into {@code folder}, the job's own folder of the run. */
    void write(R result, ReportFolder folder) throws IOException;

    /** What the manifest records about the result (such as the rows each step excluded). */
    default Map<String, Object> details(R result) {
        return Map.of();
    }
}
