package dev.empathy.cli;

import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobDefinition;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Validates the input, then runs every job whose tables are present into one dated "
                + "run folder, <output>/<run-date>/, with one manifest.json.",
                "A job that fails is recorded in the manifest as failed, its folder left out, and the other "
                        + "jobs' files are written (exit code 4). A validation error leaves the previous run "
                        + "folder as it was (exit code 3)."})
final class NightlyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Option(names = "--run-date", description = "The run's date, YYYY-MM-DD (default: today in UTC).")
    LocalDate runDate;

    @Option(names = "--option", paramLabel = "JOB.OPTION=VALUE",
            description = "A job's option, as its own command takes it, e.g. --option repeat-contacts.windows=7,30 "
                    + "(repeatable).")
    Map<String, String> jobOptions = new LinkedHashMap<>();

    @Option(names = "--parallel-jobs", paramLabel = "N", defaultValue = "2",
            description = "How many jobs run at the same time once the input is validated (default: ${DEFAULT-VALUE}); "
                    + "1 runs them one after another. Their files are the same either way (docs/benchmarks.md).")
    int parallelJobs;

    @Override
    public Integer call() {
        if (parallelJobs < 1) {
            throw new ParameterException(spec.commandLine(), "--parallel-jobs: at least 1, got " + parallelJobs);
        }
        String date = (runDate == null ? LocalDate.now(ZoneOffset.UTC) : runDate).toString();
        Map<String, Object> parameters = run.parameters();
        parameters.put("run_date", date);
        return run.run("nightly", spark, run.output(spark, spec).resolve(date), date, parameters, jobs(), spec, parallelJobs);
    }

    /** Every registered job, built-in then plug-in, with the options given by {@code --option}. */
    private List<Job<?>> jobs() {
        Map<String, Map<String, String>> byJob = new LinkedHashMap<>();
        jobOptions.forEach((key, value) -> {
            int dot = key.indexOf('.');
            String job = dot < 0 ? key : key.substring(0, dot);
            if (dot < 0 || Jobs.find(job).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--option " + key + ": expected JOB.OPTION=VALUE "
                        + "with JOB one of " + String.join(", ", Jobs.all().stream().map(JobDefinition::name).toList()));
            }
            byJob.computeIfAbsent(job, k -> new LinkedHashMap<>()).put(key.substring(dot + 1), value);
        });
        List<Job<?>> jobs = new ArrayList<>();
        for (JobDefinition d : Jobs.all()) {
            jobs.add(RunOptions.checked(spec, () -> d.create(byJob.getOrDefault(d.name(), Map.of()))));
        }
        return jobs;
    }
}
