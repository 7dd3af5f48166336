package dev.empathy.cli;

import dev.empathy.jobs.run.Progress;
import dev.empathy.jobs.run.RunPipeline;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks every input table against the data contract: writes the rejected rows "
                + "with their reasons to rejects/<table>/ and the row ledger to manifest.json.",
                "The output folder is replaced only when validation succeeds."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        RunPipeline.run(spark.session(), new RunPipeline.Params("validate", run.input, run.output,
                LocalDate.now(ZoneOffset.UTC).toString(), run.parameters()), List.of(),
                Progress.to(spec.commandLine().getErr()));
        return Main.OK;
    }
}
