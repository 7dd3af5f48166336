package dev.empathy.cli.notebooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code empathy export-notebooks}: writes {@value #NOTEBOOK} (Jupyter, nbformat 4.4) and
 * {@value #RMARKDOWN} (R Markdown) for the jobs present in a run folder. Both read the run by
 * its path relative to the output folder (or {@code $EMPATHY_RUN}), so a run and its notebooks
 * can move together; they refit the models whose rows the run kept and fail when a refit differs
 * from the run by more than {@link #TOLERANCE} relative (docs/notebooks.md).
 */
public final class NotebookExport {

    /** The Jupyter notebook's file name. */
    public static final String NOTEBOOK = "empathy-run.ipynb";

    /** The R Markdown file's name. */
    public static final String RMARKDOWN = "empathy-run.Rmd";

    /** The largest relative difference between a refit and the run the notebooks accept. */
    public static final double TOLERANCE = 1e-6;

    /** What was written, for the command's output. */
    public record Written(RunContents contents, List<Path> files) {
    }

    private NotebookExport() {
    }

    /**
     * Writes both files into {@code output} (created when missing) for the run folder {@code run}.
     *
     * @throws IllegalArgumentException when {@code run} is not a run folder or holds no job the
     *                                  notebooks read
     */
    public static Written export(Path run, Path output) {
        RunContents contents = RunContents.of(run);
        if (!contents.any()) {
            throw new IllegalArgumentException("--run: " + run + " holds none of csat-effect, repeat-contacts and "
                    + "retention, so there is nothing to export");
        }
        try {
            Files.createDirectories(output);
            String path = runPath(run, output);
            Path notebook = output.resolve(NOTEBOOK);
            Path rmd = output.resolve(RMARKDOWN);
            Files.writeString(notebook, PythonNotebook.of(contents, path, TOLERANCE).json(), StandardCharsets.UTF_8);
            Files.writeString(rmd, RMarkdown.of(contents, path, TOLERANCE), StandardCharsets.UTF_8);
            return new Written(contents, List.of(notebook, rmd));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the notebooks into " + output, e);
        }
    }

    /** The run folder as the notebooks name it: relative to the output folder, with {@code /}. */
    static String runPath(Path run, Path output) {
        Path relative = output.toAbsolutePath().normalize().relativize(run.toAbsolutePath().normalize());
        String s = relative.toString().replace('\\', '/');
        return s.isEmpty() ? "." : s;
    }
}
