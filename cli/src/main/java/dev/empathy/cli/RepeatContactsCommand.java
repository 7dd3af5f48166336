package dev.empathy.cli;

import dev.empathy.jobs.repeat.RepeatContacts;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "repeat-contacts", mixinStandardHelpOptions = true,
        description = {"Repeat contacts after empathetic interventions: validates the input, then writes "
                + "<output>/repeat-contacts/ (population.csv, rates.csv with Wilson intervals, contrasts.csv) and "
                + "<output>/manifest.json.", "See docs/jobs/repeat-contacts.md."})
final class RepeatContactsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Option(names = "--windows", split = ",", paramLabel = "DAYS", defaultValue = "7,30",
            description = "Repeat windows in days (default: ${DEFAULT-VALUE}).")
    List<Integer> windows;

    @Override
    public Integer call() throws Exception {
        for (int w : windows) {
            if (w < 1 || w > 3650) {
                throw new ParameterException(spec.commandLine(), "--windows: days must be 1 to 3650, got " + w);
            }
        }
        Map<String, Object> parameters = run.parameters();
        parameters.put("windows", windows);
        RunPipeline.run(spark.session(), new RunPipeline.Params("repeat-contacts", run.input, run.output,
                LocalDate.now(ZoneOffset.UTC).toString(), parameters), List.of(new RepeatContacts(windows)),
                Progress.to(spec.commandLine().getErr()));
        return Main.OK;
    }
}
