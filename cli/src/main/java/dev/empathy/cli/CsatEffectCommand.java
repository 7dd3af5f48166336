package dev.empathy.cli;

import dev.empathy.jobs.csat.CsatEffect;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "csat-effect", mixinStandardHelpOptions = true,
        description = {"Separates the effect of empathy on CSAT from the effect of resolution speed: validates "
                + "the input, then writes <output>/csat-effect/ (models, R-squared decomposition, effects in plain "
                + "units, effects by channel and segment, summary.md) and <output>/manifest.json.",
                "See docs/jobs/csat-effect.md."})
final class CsatEffectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Option(names = "--controls", split = ",", paramLabel = "COLUMN",
            description = "Categorical controls (default: channel,region,contact_reason,segment,month,team_type).")
    List<String> controls;

    @Option(names = "--cluster", defaultValue = "agent_id",
            description = "The column standard errors cluster by (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--bands", split = ",", paramLabel = "HOURS",
            description = "Resolution-time band edges in hours for the speed_shape model (default: 1,4,24,72).")
    List<Double> bands;

    @Override
    public Integer call() throws Exception {
        CsatEffect job = new CsatEffect(options(spec, controls, cluster, bands));
        run.runJobs("csat-effect", spark, run.parameters(), List.of(job), spec);
        return Main.OK;
    }

    static CsatEffect.Options options(CommandSpec spec, List<String> controls, String cluster, List<Double> bands) {
        CsatEffect.Options defaults = CsatEffect.Options.defaults();
        return RunOptions.checked(spec, () -> new CsatEffect.Options(controls == null ? defaults.controls() : controls,
                cluster, bands == null ? defaults.bandEdges()
                        : bands.stream().mapToDouble(Double::doubleValue).toArray()));
    }
}
