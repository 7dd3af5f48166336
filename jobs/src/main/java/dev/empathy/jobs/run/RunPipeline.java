package dev.empathy.jobs.run;

import dev.empathy.jobs.input.InputValidator;
import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.jobs.store.Location;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A whole run: validate the input, run the jobs of the plan, write the manifest, and only then
 * move the run folder in place.
 *
 * <p>A validation error stops the run and leaves the previous folder untouched. A job that fails
 * does not: it is recorded in the manifest as {@code failed} with a one-line error, its folder is
 * removed (never half written), jobs that use its result are skipped, and every other job's files
 * are committed with the manifest ({@link Result#partial()}).
 */
public final class RunPipeline {

    /**
     * @param command    the command that started the run, for the manifest
     * @param input      the input root
     * @param runFolder  the folder the run ends up in
     * @param runDate    the documented run date (YYYY-MM-DD)
     * @param parameters what the user asked for, recorded in the manifest
     * @param plugins    what was found of each plug-in ({@link PluginReport#describe()}), recorded in
     *                   the manifest when there is any
     */
    public record Params(String command, Location input, Location runFolder, String runDate,
                         Map<String, Object> parameters, List<Map<String, Object>> plugins) {

        public Params {
            plugins = List.copyOf(plugins);
            try {
                LocalDate.parse(runDate);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("run date: expected YYYY-MM-DD, got '" + runDate + "'", e);
            }
        }

        /** A run between local folders. */
        public Params(String command, Path input, Path runFolder, String runDate, Map<String, Object> parameters,
                      List<Map<String, Object>> plugins) {
            this(command, Location.local(input), Location.local(runFolder), runDate, parameters, plugins);
        }

        /** A run between local folders, without plug-ins. */
        public Params(String command, Path input, Path runFolder, String runDate, Map<String, Object> parameters) {
            this(command, input, runFolder, runDate, parameters, List.of());
        }
    }

    /** The committed run (where it was published), and the jobs that failed in it. */
    public record Result(Location location, Map<String, Object> manifest, List<String> failed) {

        /** Whether some job failed (the others' files were committed). */
        public boolean partial() {
            return !failed.isEmpty();
        }

        /** The run folder, when it is local. */
        public Path runFolder() {
            return location.localPath();
        }
    }

    private RunPipeline() {
    }

    /**
     * Runs {@code jobs} (and the jobs whose results they use, with default options, unwritten),
     * one after another.
     */
    public static Result run(SparkSession spark, Params params, JobPlan plan, Progress progress) {
        return run(spark, params, plan, progress, 1);
    }

    /**
     * Runs {@code jobs} (and the jobs whose results they use, with default options, unwritten),
     * up to {@code parallelJobs} at the same time after validation ({@link JobScheduler}); validation
     * too checks up to that many tables at a time once interactions are done.
     */
    public static Result run(SparkSession spark, Params params, JobPlan plan, Progress progress, int parallelJobs) {
        if (parallelJobs < 1) {
            throw new IllegalArgumentException("parallel jobs: at least 1, got " + parallelJobs);
        }
        long began = System.nanoTime();
        try (RunFolder folder = RunFolder.open(params.runFolder());
             SmallInput small = SmallInput.apply(spark, params.input())) {
            List<Manifest.JobEntry> entries = new ArrayList<>();
            long validationStart = System.nanoTime();
            ValidatedInput input;
            try (HeapWatch heap = HeapWatch.start()) {
                stageGroup(spark, "validate");
                input = new InputValidator(spark, folder.work(), progress, parallelJobs)
                        .validate(params.input(), folder.stagingLocation().resolve("rejects"));
                progress.stage("validate", "done" + heap.describe(), validationStart);
            }
            // Said after validation: a contract error stays the first line of its output.
            if (small.applied()) {
                progress.stage("validate", small.describe());
            }
            entries.add(new Manifest.JobEntry("validate", "succeeded", seconds(validationStart), null));

            DerivedTables derived = DerivedTables.in(folder.work().resolve("derived"));
            List<Manifest.JobEntry> jobEntries = JobScheduler.run(spark, plan, parallelJobs,
                    new JobScheduler.Run(input, derived, folder.stagingLocation(), LocalDate.parse(params.runDate()), progress));
            entries.addAll(jobEntries);
            List<String> failed = jobEntries.stream().filter(e -> e.status().equals("failed"))
                    .map(Manifest.JobEntry::name).toList();
            spark.sparkContext().clearJobGroup();
            // Validation's intermediate tables are not part of the run.
            folder.work().deleteTree();
            Map<String, Object> manifest = Manifest.build(params.command(), params.runDate(), params.parameters(),
                    params.plugins(), input, entries, folder.files());
            Manifest.write(folder.stagingFolder(), manifest);
            folder.commit();
            progress.stage(params.command(), String.format(Locale.ROOT, "wrote %s%s",
                    folder.targetLocation().resolve("manifest.json"), failed.isEmpty() ? ""
                            : " (partial run: " + String.join(", ", failed) + " failed)"), began);
            return new Result(folder.targetLocation(), manifest, List.copyOf(failed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Names the Spark jobs the calling thread starts after this (Spark's UI and event log show it
     * as the job group), so that a profile of a run can be read by stage.
     */
    static void stageGroup(SparkSession spark, String stage) {
        spark.sparkContext().setJobGroup(stage, "empathy " + stage, false);
    }

    /** The error as one line: its type and message, and its cause's when the message is empty. */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null || message.isBlank() ? ""
                : ": " + message.strip());
        if ((message == null || message.isBlank()) && e.getCause() != null) {
            text += " caused by " + oneLine(e.getCause());
        }
        String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        return line.length() > 500 ? line.substring(0, 497) + "..." : line;
    }

    static String stackTrace(Throwable e) {
        StringWriter s = new StringWriter();
        e.printStackTrace(new PrintWriter(s));
        return s.toString().stripTrailing();
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
