package dev.empathy.cli;

import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Validates the input, then runs every job whose tables are present into one dated "
                + "run folder, <output>/<run-date>/, with one manifest.json.",
                "A run that fails leaves the previous run folder as it was."})
final class NightlyCommand implements Callable<Integer> {

    /** The jobs of the nightly run, in order. Jobs join this list as they are built. */
    static final List<Job> JOBS = List.of(new dev.empathy.jobs.csat.CsatEffect(),
            new dev.empathy.jobs.repeat.RepeatContacts(), new dev.empathy.jobs.retention.Retention());

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Option(names = "--run-date", description = "The run's date, YYYY-MM-DD (default: today in UTC).")
    LocalDate runDate;

    @Override
    public Integer call() throws Exception {
        return execute(JOBS);
    }

    int execute(List<Job> jobs) throws Exception {
        String date = (runDate == null ? LocalDate.now(ZoneOffset.UTC) : runDate).toString();
        Map<String, Object> parameters = run.parameters();
        parameters.put("run_date", date);
        RunPipeline.run(spark.session(), new RunPipeline.Params("nightly", run.input, run.output.resolve(date), date,
                parameters), jobs, Progress.to(spec.commandLine().getErr()));
        return Main.OK;
    }
}
