package dev.empathy.cli;

import dev.empathy.jobs.csat.CsatEffect;
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
        Map<String, Object> parameters = run.parameters();
        RunPipeline.run(spark.session(), new RunPipeline.Params("csat-effect", run.input, run.output,
                LocalDate.now(ZoneOffset.UTC).toString(), parameters), List.of(job),
                Progress.to(spec.commandLine().getErr()));
        return Main.OK;
    }

    static CsatEffect.Options options(CommandSpec spec, List<String> controls, String cluster, List<Double> bands) {
        CsatEffect.Options defaults = CsatEffect.Options.defaults();
        double[] edges = defaults.bandEdges();
        if (bands != null) {
            edges = bands.stream().mapToDouble(Double::doubleValue).toArray();
            for (int i = 0; i < edges.length; i++) {
                if (!(edges[i] > 0) || (i > 0 && edges[i] <= edges[i - 1])) {
                    throw new ParameterException(spec.commandLine(),
                            "--bands: edges must be positive hours in increasing order, got " + bands);
                }
            }
        }
        List<String> allowed = dev.empathy.jobs.csat.CsatPopulation.COLUMNS;
        if (controls != null) {
            for (String c : controls) {
                if (!allowed.contains(c) || c.equals("csat") || c.equals("top_box")) {
                    throw new ParameterException(spec.commandLine(), "--controls: unknown column '" + c
                            + "'; choose from channel, region, contact_reason, segment, month, team_type, hours_band");
                }
            }
        }
        if (!allowed.contains(cluster)) {
            throw new ParameterException(spec.commandLine(), "--cluster: unknown column '" + cluster + "'");
        }
        return new CsatEffect.Options(controls == null ? defaults.controls() : List.copyOf(controls), cluster, edges);
    }
}
