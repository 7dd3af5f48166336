package dev.empathy.cli;

import dev.empathy.jobs.repeat.RepeatContacts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "repeat-contacts", mixinStandardHelpOptions = true,
        description = {"Repeat contacts after empathetic interventions: validates the input, then writes "
                + "<output>/repeat-contacts/ (population.csv, rates.csv with Wilson intervals, contrasts.csv, adjusted.csv, "
                + "repeat_by_band.png, summary.md) and "
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
        RepeatContacts job = RunOptions.checked(spec, () -> new RepeatContacts(windows));
        Map<String, Object> parameters = run.parameters();
        parameters.put("windows", windows);
        run.runJobs("repeat-contacts", spark, parameters, List.of(job), spec);
        return Main.OK;
    }
}
