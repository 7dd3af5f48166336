package dev.empathy.jobs.run;

import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.spark.Cached;
import dev.empathy.jobs.spark.Workers;
import dev.empathy.jobs.store.Location;
import dev.empathy.jobs.store.StoreFolder;
import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the jobs of a plan after validation, up to {@code parallel} of them at the same time on
 * one SparkSession; each job starts once the jobs whose results it uses are done.
 *
 * <p>Why at the same time: a job alternates between Spark work and work on the driver (planning
 * each query, fits on collected rows, charts). On small data most of a job's time is such fixed
 * cost per query and the executors wait; two jobs side by side keep them busy. Spark runs the
 * concurrent jobs' tasks on the same executors (its FIFO scheduler by default; set
 * {@code spark.scheduler.mode=FAIR} to share them evenly).
 *
 * <p>What does not change: each job computes from the same validated tables and derived tables
 * (computed once, {@link DerivedTables} is synchronized), keeps what its writer reads until its
 * files are written, and writes its own folder; the manifest lists the jobs in the plan's order
 * whatever order they end in. A job that fails is recorded as failed, its folder removed, and the
 * jobs that use its result are skipped; the others go on. The progress lines of jobs that run at
 * the same time interleave, each with its job's name; the heap figure of a job then covers the
 * jobs beside it too.
 */
final class JobScheduler {

    /** What every job of a run shares. */
    record Run(ValidatedInput input, DerivedTables derived, Location staging, LocalDate runDate, Progress progress) {
    }

    private final SparkSession spark;
    private final Run run;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final Map<String, String> unavailable = new ConcurrentHashMap<>();

    private JobScheduler(SparkSession spark, Run run) {
        this.spark = spark;
        this.run = run;
    }

    /**
     * Runs the plan's steps, at most {@code parallel} at a time; returns the manifest entries of
     * the steps that have one, in the plan's order.
     */
    static List<Manifest.JobEntry> run(SparkSession spark, JobPlan plan, int parallel, Run run) {
        JobScheduler scheduler = new JobScheduler(spark, run);
        List<JobPlan.Step> steps = plan.steps();
        if (parallel == 1 || steps.size() <= 1) {
            List<Manifest.JobEntry> entries = new ArrayList<>();
            for (JobPlan.Step step : steps) {
                Manifest.JobEntry entry = scheduler.runStep(step);
                if (entry != null) {
                    entries.add(entry);
                }
            }
            return entries;
        }
        ExecutorService pool = Workers.pool("empathy-job", Math.min(parallel, steps.size()));
        try {
            Map<String, CompletableFuture<Manifest.JobEntry>> byName = new LinkedHashMap<>();
            for (JobPlan.Step step : steps) {
                // The plan puts every job after the jobs whose results it uses.
                CompletableFuture<?>[] before = step.job().uses().stream().map(byName::get)
                        .toArray(CompletableFuture[]::new);
                byName.put(step.job().name(), CompletableFuture.allOf(before)
                        .thenApplyAsync(ignored -> scheduler.runStep(step), pool));
            }
            List<Manifest.JobEntry> entries = new ArrayList<>();
            for (CompletableFuture<Manifest.JobEntry> future : byName.values()) {
                Manifest.JobEntry entry = Workers.joined(future);
                if (entry != null) {
                    entries.add(entry);
                }
            }
            return entries;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One step: skipped (its entry, or null when it writes nothing), or computed, kept for the
     * jobs after it and written; a failure becomes its entry, never an exception.
     */
    private Manifest.JobEntry runStep(JobPlan.Step step) {
        Job<?> job = step.job();
        String note = skipReason(job);
        if (note != null) {
            run.progress().stage(job.name(), note);
            unavailable.put(job.name(), "was skipped");
            return step.writes() ? new Manifest.JobEntry(job.name(), "skipped", 0, note, job.options(), Map.of())
                    : null;
        }
        long jobStart = System.nanoTime();
        Location out = run.staging().resolve(job.name());
        try (HeapWatch heap = HeapWatch.start(); Cached kept = new Cached()) {
            RunPipeline.stageGroup(spark, job.name());
            JobContext context = new JobContext(spark, run.input(), run.progress(), Map.copyOf(results),
                    run.derived(), run.runDate(), kept);
            Map<String, Object> details = runOne(job, context, step.writes() ? StoreFolder.at(out) : null);
            run.progress().stage(job.name(), "done" + heap.describe(), jobStart);
            return step.writes() ? new Manifest.JobEntry(job.name(), "succeeded", RunPipeline.seconds(jobStart), null,
                    job.options(), details) : null;
        } catch (Exception e) {
            String error = RunPipeline.oneLine(e);
            run.progress().stage(job.name(), "failed: " + error, jobStart);
            run.progress().line(RunPipeline.stackTrace(e));
            deleteQuietly(out);
            unavailable.put(job.name(), "failed");
            return new Manifest.JobEntry(job.name(), "failed", RunPipeline.seconds(jobStart), error, job.options(),
                    Map.of());
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    /** Computes one job, keeps its result for the jobs after it, writes its files; returns its details. */
    private <R> Map<String, Object> runOne(Job<R> job, JobContext context, ReportFolder out) throws IOException {
        R result = job.compute(context);
        results.put(job.name(), result);
        if (out == null) {
            return Map.of();
        }
        job.write(result, out);
        return new LinkedHashMap<>(job.details(result));
    }

    /** Why a job cannot run: a table it needs is absent, or a job whose result it uses did not give one. */
    private String skipReason(Job<?> job) {
        Set<String> missing = new TreeSet<>(job.needs());
        missing.retainAll(run.input().absent());
        if (!missing.isEmpty()) {
            return "skipped: input table(s) " + String.join(", ", missing) + " not found";
        }
        for (String used : new TreeSet<>(job.uses())) {
            if (unavailable.containsKey(used)) {
                return "skipped: it needs the result of " + used + ", which " + unavailable.get(used);
            }
        }
        return null;
    }

    private static void deleteQuietly(Location folder) {
        try {
            folder.deleteTree();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot remove the failed job's folder " + folder, e);
        }
    }
}
