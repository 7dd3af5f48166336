package dev.empathy.cli.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nbformat JSON by exact text, the run path and what a run folder offers (Spark-free). */
class NotebookTest {

    @Test
    void aTinyNotebookIsExactNbformat44() {
        String json = new Notebook().markdown("# Title\n\ntext").code("x = 1\nprint(x)\n").json();
        assertEquals("""
                {
                  "cells" : [ {
                    "cell_type" : "markdown",
                    "metadata" : { },
                    "source" : [ "# Title\\n", "\\n", "text" ]
                  }, {
                    "cell_type" : "code",
                    "execution_count" : null,
                    "metadata" : { },
                    "outputs" : [ ],
                    "source" : [ "x = 1\\n", "print(x)" ]
                  } ],
                  "metadata" : {
                    "kernelspec" : {
                      "display_name" : "Python 3",
                      "language" : "python",
                      "name" : "python3"
                    },
                    "language_info" : {
                      "name" : "python",
                      "file_extension" : ".py",
                      "mimetype" : "text/x-python"
                    }
                  },
                  "nbformat" : 4,
                  "nbformat_minor" : 4
                }
                """, json);
    }

    @Test
    void linesKeepTheirNewlinesButTheLast() {
        assertEquals(List.of("a\n", "\n", "b"), Notebook.lines("a\n\nb"));
        assertEquals(List.of("a\n"), Notebook.lines("a\n"));
        assertEquals(List.of(), Notebook.lines(""));
    }

    @Test
    void theRunIsNamedRelativeToTheOutput() {
        assertEquals("../runs/2026-11-25", NotebookExport.runPath(Path.of("/w/runs/2026-11-25"), Path.of("/w/nb")));
        assertEquals("run", NotebookExport.runPath(Path.of("/w/nb/run"), Path.of("/w/nb")));
        assertEquals("\"a\\\\b\\\"c\"", PythonNotebook.python("a\\b\"c"));
    }

    @Test
    void aFolderWithoutManifestIsNotARunAndARunWithoutTheJobsExportsNothing(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NotebookExport.export(dir, dir.resolve("out")));
        assertTrue(e.getMessage().contains("is not a run folder (no manifest.json)"), e.getMessage());
        Files.writeString(dir.resolve("manifest.json"), "{}");
        e = assertThrows(IllegalArgumentException.class, () -> NotebookExport.export(dir, dir.resolve("out")));
        assertTrue(e.getMessage().contains("nothing to export"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void onlyThePresentJobsAndFramesGetCells(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{}");
        Files.createDirectories(dir.resolve("repeat-contacts"));
        Files.writeString(dir.resolve("repeat-contacts/adjusted.csv"), "window_days\n");
        NotebookExport.Written w = NotebookExport.export(dir, dir.resolve("nb"));
        assertEquals(new RunContents(false, false, true, false, false, false), w.contents());
        String notebook = Files.readString(dir.resolve("nb/empathy-run.ipynb"));
        String rmd = Files.readString(dir.resolve("nb/empathy-run.Rmd"));
        assertTrue(notebook.contains("## repeat-contacts") && !notebook.contains("## csat-effect")
                && !notebook.contains("Refit of"), notebook);
        assertTrue(rmd.contains("## repeat-contacts") && !rmd.contains("## retention") && !rmd.contains("Refit of"),
                rmd);
        assertTrue(notebook.contains("os.environ.get(\\\"EMPATHY_RUN\\\", \\\"..\\\")"), notebook);
        assertTrue(rmd.contains("RUN <- Sys.getenv(\"EMPATHY_RUN\", \"..\")"), rmd);
    }
}
