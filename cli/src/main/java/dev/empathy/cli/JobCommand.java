package dev.empathy.cli;

import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command of one registered job, made from its {@link JobDefinition}: the job's options as
 * {@code --name VALUE}, plus the run and Spark options every command shares. It validates the
 * input, then runs the job (and any job whose result it uses) into {@code --output}.
 */
final class JobCommand implements Callable<Integer> {

    private final JobDefinition definition;
    private final RunOptions run = new RunOptions();
    private final SparkOptions spark = new SparkOptions();
    private CommandSpec spec;

    private JobCommand(JobDefinition definition) {
        this.definition = definition;
    }

    /** The picocli command of {@code definition}. */
    static CommandSpec of(JobDefinition definition) {
        JobCommand command = new JobCommand(definition);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(definition.name()).mixinStandardHelpOptions(true);
        List<String> description = new ArrayList<>();
        description.add("Validates the input, then writes <output>/" + definition.name() + "/ and "
                + "<output>/manifest.json. " + literal(definition.description().get(0)));
        definition.description().subList(1, definition.description().size())
                .forEach(line -> description.add(literal(line)));
        spec.usageMessage().description(description.toArray(String[]::new));
        for (JobOption o : definition.options()) {
            spec.addOption(OptionSpec.builder("--" + o.name()).paramLabel(o.label()).type(String.class)
                    .defaultValue(o.defaultValue())
                    .description(literal(o.description()).replaceAll("\\.$", "") + " (default: ${DEFAULT-VALUE}).")
                    .build());
        }
        spec.addMixin("run", CommandSpec.forAnnotatedObject(command.run));
        spec.addMixin("spark", CommandSpec.forAnnotatedObject(command.spark));
        command.spec = spec;
        return spec;
    }

    /**
     * A job's own text as picocli prints it literally: picocli formats descriptions with
     * {@code String.format}, so a percent sign ("25% above") must be doubled.
     */
    static String literal(String text) {
        return text.replace("%", "%%");
    }

    @Override
    public Integer call() {
        Map<String, String> values = new LinkedHashMap<>();
        for (JobOption o : definition.options()) {
            values.put(o.name(), spec.findOption("--" + o.name()).getValue());
        }
        Job<?> job = RunOptions.checked(spec, () -> definition.create(values));
        return run.runJobs(definition.name(), spark, run.parameters(), List.of(job), spec);
    }

    /** For tests: the command line of this command. */
    static CommandLine commandLine(JobDefinition definition) {
        return new CommandLine(of(definition));
    }
}
