package dev.empathy.cli;

import dev.empathy.cli.notebooks.NotebookExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code empathy export-notebooks}: a Jupyter notebook and an R Markdown file that reload a run and refit its models. */
@Command(name = "export-notebooks", mixinStandardHelpOptions = true,
        description = {"Writes empathy-run.ipynb (Jupyter: pandas, matplotlib, statsmodels) and empathy-run.Rmd "
                + "(R Markdown: lm, glm, sandwich, survival) for the jobs present in a run folder: they reload its "
                + "CSV files, draw the main charts again, refit csat-effect's main model, repeat-contacts' adjusted "
                + "logits and (in R) retention's running-exposure Cox model from the rows the run kept "
                + "(model_frame/), and fail when a refit differs from the run by more than 1e-6 relative.",
                "See docs/notebooks.md."})
final class ExportNotebooksCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "RUN_FOLDER",
            description = "A run folder (with manifest.json), e.g. runs/2026-11-25.")
    Path run;

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where the two files are written (created when missing).")
    Path output;

    @Override
    public Integer call() {
        NotebookExport.Written written;
        try {
            written = NotebookExport.export(run, output);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (Path p : written.files()) {
            spec.commandLine().getOut().println(p);
        }
        return Main.OK;
    }
}
