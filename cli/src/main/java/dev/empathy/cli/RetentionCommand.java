package dev.empathy.cli;

import dev.empathy.jobs.retention.Retention;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"Empathy exposure and retention: validates the input, then writes <output>/retention/ "
                + "(population.csv, segments.csv, correlation.csv, km.csv, logrank.csv, cox.csv, charts, summary.md) "
                + "and <output>/manifest.json.", "See docs/jobs/retention.md."})
final class RetentionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Option(names = "--high-churn-margin", paramLabel = "FRACTION", defaultValue = "0.25",
            description = "A segment is high-churn when its churn per customer-year is more than this fraction above "
                    + "the overall rate (default: ${DEFAULT-VALUE}, i.e. 25% above).")
    double margin;

    @Option(names = "--horizons", split = ",", paramLabel = "DAYS", defaultValue = "90,180",
            description = "Days at which retention is correlated with exposure (default: ${DEFAULT-VALUE}).")
    List<Integer> horizons;

    @Override
    public Integer call() throws Exception {
        Retention.Options options = RunOptions.checked(spec, () -> new Retention.Options(margin, horizons));
        Map<String, Object> parameters = run.parameters();
        parameters.put("high_churn_margin", margin);
        parameters.put("horizons", horizons);
        run.runJobs("retention", spark, parameters, List.of(new Retention(options)), spec);
        return Main.OK;
    }
}
