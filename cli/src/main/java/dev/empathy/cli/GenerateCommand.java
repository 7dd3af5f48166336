package dev.empathy.cli;

import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunFolder;
import dev.empathy.jobs.store.Location;
import dev.empathy.sample.Generator;
import dev.empathy.sample.GeneratorParams;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a realistic synthetic data set in every table of the data contract, "
                + "with planted, documented effects, and truth.json beside it.",
                "The same seed gives byte-identical files. The output folder is replaced as a whole."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--output", required = true, description = "Folder to write the tables into.")
    Path output;

    @Option(names = "--interactions", defaultValue = "30000",
            description = "Number of interactions (default: ${DEFAULT-VALUE}).")
    long interactions;

    @Option(names = "--seed", defaultValue = "20250101", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--order", paramLabel = "customer|time", defaultValue = "customer",
            description = "The order of the interactions: customer (each customer's contacts together, as "
                    + "simulated) or time (by started_at across the table, as an export by contact time); the rows "
                    + "and every other file are the same (default: ${DEFAULT-VALUE}).")
    String order;

    @Option(names = "--threads", description = "Worker threads (default: the number of cores); "
            + "the output does not depend on it.")
    Integer threads;

    @Override
    public Integer call() {
        if (interactions < 1) {
            throw new ParameterException(spec.commandLine(), "--interactions must be at least 1, got " + interactions);
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + workers);
        }
        GeneratorParams.Order rowOrder;
        try {
            rowOrder = GeneratorParams.Order.parse(order);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        Progress progress = Progress.to(spec.commandLine().getErr());
        try (RunFolder folder = RunFolder.open(Location.local(output), RunFolder.Publish.RENAME)) {
            Generator.generate(folder.staging(), new GeneratorParams(interactions, seed, workers, rowOrder), progress::line);
            folder.commit();
        }
        progress.line("generate: wrote " + output.toAbsolutePath().normalize());
        return Main.OK;
    }
}
