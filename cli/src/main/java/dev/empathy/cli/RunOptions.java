package dev.empathy.cli;

import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobPlan;
import dev.empathy.jobs.run.PluginReport;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import dev.empathy.jobs.store.Location;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Input and output folders of a run. */
final class RunOptions {

    @Option(names = "--input", defaultValue = "${env:EMPATHY_HOME:-.}/sample-data/data",
            description = "Input root: one folder (or .parquet file) per table; a local path or a Hadoop "
                    + "FileSystem URI (hdfs://, s3a://) (default: the shipped sample, ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--output", defaultValue = "runs",
            description = "Output folder; a local path or a Hadoop FileSystem URI (default: ${DEFAULT-VALUE}).")
    String output;

    /**
     * Validates the input, then runs {@code jobs} into {@code --output} (dated today, UTC), with
     * progress on the command's stderr: what {@code validate} and each single-job command do.
     */
    int runJobs(String command, SparkOptions spark, Map<String, Object> parameters, List<? extends Job<?>> jobs,
                CommandSpec spec) {
        return run(command, spark, output(spark, spec), LocalDate.now(ZoneOffset.UTC).toString(), parameters, jobs, spec);
    }

    /**
     * Validates the input, then runs {@code jobs} into {@code folder}; {@link Main#OK}, or
     * {@link Main#PARTIAL} when a job failed and the others' files were committed.
     */
    int run(String command, SparkOptions spark, Location folder, String runDate,
            Map<String, Object> parameters, List<? extends Job<?>> jobs, CommandSpec spec) {
        return run(command, spark, folder, runDate, parameters, jobs, spec, 1);
    }

    /** {@link #run(String, SparkOptions, Location, String, Map, List, CommandSpec)}, {@code parallelJobs} at a time. */
    int run(String command, SparkOptions spark, Location folder, String runDate,
            Map<String, Object> parameters, List<? extends Job<?>> jobs, CommandSpec spec, int parallelJobs) {
        JobPlan plan = RunOptions.checked(spec, () -> Jobs.plan(jobs));
        List<Map<String, Object>> plugins = Jobs.registry().plugins().stream().map(PluginReport::describe).toList();
        RunPipeline.Result result = RunPipeline.run(spark.session(), new RunPipeline.Params(command, location(spark, spec, "--input", input), folder,
                runDate, parameters, plugins), plan, Progress.to(spec.commandLine().getErr()), parallelJobs);
        if (result.partial()) {
            spec.commandLine().getErr().println("empathy: partial run: job(s) " + String.join(", ", result.failed())
                    + " failed; the other results were written (see manifest.json)");
            return Main.PARTIAL;
        }
        return Main.OK;
    }

    /** A job's options built from the command line; a rule they break is a usage error naming the option. */
    static <T> T checked(CommandSpec spec, Supplier<T> options) {
        try {
            return options.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The output folder, on its store. */
    Location output(SparkOptions spark, CommandSpec spec) {
        return location(spark, spec, "--output", output);
    }

    /**
     * The location {@code text} names, with the session's Hadoop configuration; a value that is no
     * path nor URI is a usage error naming the option.
     */
    static Location location(SparkOptions spark, CommandSpec spec, String option, String text) {
        try {
            if (!Location.of(text, null).isLocal()) {
                return Location.of(text, spark.session().sparkContext().hadoopConfiguration()).requireFileSystem();
            }
            return Location.of(text, null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + " " + text + ": " + e.getMessage());
        }
    }

    /** The folders as the user gave them, for the manifest (a local path as before, normalized by Path). */
    Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("input", shown(input));
        parameters.put("output", shown(output));
        return parameters;
    }

    private static String shown(String text) {
        Location l = Location.of(text, null);
        return l.isLocal() && !text.regionMatches(true, 0, "file:", 0, 5) ? Path.of(text).toString() : text;
    }
}
