package dev.empathy.jobs.run;

import dev.empathy.jobs.input.InputValidator;
import dev.empathy.jobs.input.ValidatedInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/**
 * A whole run: validate the input, run the jobs, write the manifest, and only then move the run
 * folder in place. Any failure leaves the previous folder untouched.
 */
public final class RunPipeline {

    /**
     * @param command    the command that started the run, for the manifest
     * @param input      the input root
     * @param runFolder  the folder the run ends up in
     * @param runDate    the documented run date (YYYY-MM-DD)
     * @param parameters what the user asked for, recorded in the manifest
     */
    public record Params(String command, Path input, Path runFolder, String runDate, Map<String, Object> parameters) {
    }

    /** The committed run. */
    public record Result(Path runFolder, Map<String, Object> manifest) {
    }

    private RunPipeline() {
    }

    public static Result run(SparkSession spark, Params params, List<Job> jobs, Progress progress) throws Exception {
        long began = System.nanoTime();
        try (RunFolder folder = RunFolder.open(params.runFolder())) {
            List<Manifest.JobEntry> entries = new ArrayList<>();
            long validationStart = System.nanoTime();
            ValidatedInput input = new InputValidator(spark, folder.work(), progress)
                    .validate(params.input(), folder.staging().resolve("rejects"));
            entries.add(new Manifest.JobEntry("validate", "succeeded", seconds(validationStart), null));

            for (Job job : jobs) {
                Set<String> missing = new TreeSet<>(job.needs());
                missing.retainAll(input.absent());
                if (!missing.isEmpty()) {
                    String note = "skipped: input table(s) " + String.join(", ", missing) + " not found";
                    progress.stage(job.name(), note);
                    entries.add(new Manifest.JobEntry(job.name(), "skipped", 0, note));
                    continue;
                }
                long jobStart = System.nanoTime();
                Path out = folder.staging().resolve(job.name());
                Files.createDirectories(out);
                JobContext context = new JobContext(spark, input, out, progress);
                job.run(context);
                progress.stage(job.name(), "done", jobStart);
                entries.add(new Manifest.JobEntry(job.name(), "succeeded", seconds(jobStart), null, context.details()));
            }
            // Validation's intermediate tables are not part of the run.
            RunFolder.deleteTree(folder.work());
            Map<String, Object> manifest = Manifest.build(params.command(), params.runDate(), params.parameters(),
                    input, entries, folder.files());
            Manifest.write(folder.staging().resolve("manifest.json"), manifest);
            folder.commit();
            progress.stage(params.command(), String.format(Locale.ROOT, "wrote %s", folder.target().resolve("manifest.json")),
                    began);
            return new Result(folder.target(), manifest);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
