package dev.empathy.cli;

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
    public Integer call() {
        return run.runJobs("validate", spark, run.parameters(), List.of(), spec);
    }
}
