package dev.empathy.cli.notebooks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a run folder holds for the notebooks: each job's result files, and whether the job kept
 * its model frame ({@code model_frame/}) for a refit.
 *
 * @param csat           csat-effect's {@code coefficients.csv} is there
 * @param csatFrame      and its {@code model_frame/}
 * @param repeat         repeat-contacts' {@code adjusted.csv} is there
 * @param repeatFrame    and its {@code model_frame/}
 * @param retention      retention's {@code cox.csv} is there
 * @param retentionFrame and its {@code model_frame/}
 */
public record RunContents(boolean csat, boolean csatFrame, boolean repeat, boolean repeatFrame, boolean retention,
                          boolean retentionFrame) {

    /** Reads what {@code run} holds; a folder without {@code manifest.json} is not a run. */
    public static RunContents of(Path run) {
        if (!Files.isRegularFile(run.resolve("manifest.json"))) {
            throw new IllegalArgumentException("--run: " + run + " is not a run folder (no manifest.json); give a "
                    + "folder written by 'empathy nightly' or a job command, such as runs/2026-11-25");
        }
        boolean csat = Files.isRegularFile(run.resolve("csat-effect/coefficients.csv"));
        boolean repeat = Files.isRegularFile(run.resolve("repeat-contacts/adjusted.csv"));
        boolean retention = Files.isRegularFile(run.resolve("retention/cox.csv"));
        return new RunContents(csat, csat && frame(run, "csat-effect"), repeat, repeat && frame(run, "repeat-contacts"),
                retention, retention && frame(run, "retention"));
    }

    /** Whether any job the notebooks read is there. */
    public boolean any() {
        return csat || repeat || retention;
    }

    private static boolean frame(Path run, String job) {
        return Files.isDirectory(run.resolve(job).resolve("model_frame"));
    }
}
