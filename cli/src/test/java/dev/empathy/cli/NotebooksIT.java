package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.cli.notebooks.NotebookExport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code empathy export-notebooks} end to end on the shipped sample: nightly into a temporary
 * folder, the export, the notebook checked against the nbformat v4 schema ({@code nbformat.validate}
 * of the Python that runs {@code jupyter-nbconvert}), then both executed: the notebook by
 * {@code jupyter-nbconvert --execute}, the R Markdown by {@code rmarkdown::render}. Their refits
 * (statsmodels, lm/glm with sandwich, coxph) are the independent values: each must run without
 * error (they raise or stop() beyond the tolerance) and print a largest relative difference
 * below 1e-6. A missing tool fails the test with what to install.
 */
class NotebooksIT {

    @TempDir
    static Path dir;

    static Path run;
    static Path exported;

    static final String INSTALL = "apt-get install -y --no-install-recommends jupyter-nbconvert python3-ipykernel "
            + "python3-pandas python3-statsmodels python3-matplotlib r-cran-rmarkdown r-cran-sandwich r-cran-survival "
            + "pandoc (.ci/run installs them when missing)";

    static final Pattern RAW_ID = Pattern.compile("(?<![A-Za-z0-9])[ACI][0-9]{5,}");

    static final Pattern LARGEST = Pattern.compile("largest relative difference: ([0-9.]+e[-+][0-9]+)");

    @BeforeAll
    static void runAndExport() {
        MainIT.session();
        MainIT.Outcome nightly = MainIT.run("nightly", "--input", "../sample-data/data", "--output",
                dir.resolve("runs").toString(), "--run-date", "2025-06-30",
                // The model-free check is not what the notebooks refit; leaving it out saves time.
                "--option", "csat-effect.boost-trees=0");
        assertEquals(0, nightly.code(), nightly.err());
        run = dir.resolve("runs/2025-06-30");
        exported = dir.resolve("notebooks");
        MainIT.Outcome export = MainIT.run("export-notebooks", "--run", run.toString(), "--output",
                exported.toString());
        assertEquals(0, export.code(), export.err());
        assertEquals(List.of(exported.resolve(NotebookExport.NOTEBOOK).toString(),
                exported.resolve(NotebookExport.RMARKDOWN).toString()), export.out().lines().toList());
    }

    @Test
    void theModelFramesHoldPseudonymsOnly() throws IOException {
        for (String job : List.of("csat-effect", "repeat-contacts", "retention")) {
            List<String> lines = frameLines(run.resolve(job).resolve("model_frame"));
            assertTrue(lines.size() > 1000, job + ": " + lines.size() + " rows");
            for (String line : lines) {
                // The sample's ids: agents A00001, customers C0000000001, interactions I000000000001.
                assertTrue(!RAW_ID.matcher(line).find(), job + ": an id in the frame: " + line);
            }
        }
        String header = frameHeader(run.resolve("csat-effect/model_frame"));
        assertEquals("csat,empathy_10,resolution_hours,channel,region,contact_reason,segment,month,team_type,cluster",
                header);
    }

    @Test
    void theNotebookIsValidNbformat4() throws Exception {
        JsonNode nb = new ObjectMapper().readTree(exported.resolve(NotebookExport.NOTEBOOK).toFile());
        assertEquals(4, nb.get("nbformat").asInt());
        assertEquals("python3", nb.get("metadata").get("kernelspec").get("name").asText());
        String python = pythonOf(tool("jupyter-nbconvert"));
        Result r = exec(dir, List.of(python, "-c", "import sys, nbformat; "
                + "nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)); print('valid')",
                exported.resolve(NotebookExport.NOTEBOOK).toString()), 120);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("valid"), r.output());
    }

    @Test
    void theExecutedNotebookAgreesWithTheRun() throws Exception {
        Path executed = dir.resolve("executed.ipynb");
        Result r = exec(exported, List.of(tool("jupyter-nbconvert"), "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=600", "--output", executed.toString(),
                exported.resolve(NotebookExport.NOTEBOOK).toString()), 600);
        assertEquals(0, r.code(), "the notebook failed:\n" + r.output());
        String text = Files.readString(executed);
        for (String model : List.of("csat-effect main", "repeat-contacts documented 7d", "repeat-contacts score 30d")) {
            assertTrue(text.contains(model + ": "), model + " was not refitted:\n" + text);
        }
        assertBelowTolerance(text, "notebook");
    }

    @Test
    void theRenderedRMarkdownAgreesWithTheRun() throws Exception {
        Path rmd = exported.resolve(NotebookExport.RMARKDOWN);
        String call = String.format(Locale.ROOT, "rmarkdown::render('%s', output_dir = '%s', quiet = TRUE)",
                rmd.toString().replace("'", "\\'"), dir.resolve("rendered").toString().replace("'", "\\'"));
        Result r = exec(exported, List.of(tool("Rscript"), "-e", call), 600);
        assertEquals(0, r.code(), "the R Markdown failed:\n" + r.output());
        String html = Files.readString(dir.resolve("rendered/empathy-run.html"));
        for (String model : List.of("csat-effect main", "repeat-contacts documented 7d", "repeat-contacts score 30d",
                "retention running")) {
            assertTrue(html.contains(model + ": "), model + " was not refitted");
        }
        assertBelowTolerance(html, "R Markdown");
    }

    static void assertBelowTolerance(String text, String what) {
        Matcher m = LARGEST.matcher(text);
        assertTrue(m.find(), what + " printed no largest difference");
        double largest = Double.parseDouble(m.group(1));
        System.err.printf(Locale.ROOT, "[NotebooksIT] %s: largest relative difference %.3e%n", what, largest);
        assertTrue(largest < NotebookExport.TOLERANCE, what + ": " + m.group());
    }

    /** The path of a program on the PATH, or a failure saying what to install. */
    static String tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail(name + " is not on the PATH; install Debian's packages: " + INSTALL);
    }

    /** The interpreter named on a script's first line: the Python that has nbformat. */
    static String pythonOf(String script) throws IOException {
        String first = Files.readAllLines(Path.of(script)).get(0);
        assertTrue(first.startsWith("#!"), script + " is not a script: " + first);
        String[] words = first.substring(2).strip().split("\\s+");
        return words[0].endsWith("/env") ? words[1] : words[0];
    }

    record Result(int code, String output) {
    }

    static Result exec(Path cwd, List<String> command, int seconds) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                in.lines().forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append(e);
            }
        });
        reader.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " took more than " + seconds + " s");
        }
        reader.join();
        return new Result(p.exitValue(), out.toString());
    }

    static List<String> frameLines(Path folder) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(folder)) {
            for (Path part : parts.filter(p -> p.toString().endsWith(".csv.gz")).sorted().toList()) {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(part)), StandardCharsets.UTF_8))) {
                    in.readLine();
                    in.lines().forEach(lines::add);
                }
            }
        }
        return lines;
    }

    static String frameHeader(Path folder) throws IOException {
        try (Stream<Path> parts = Files.list(folder)) {
            Path part = parts.filter(p -> p.toString().endsWith(".csv.gz")).sorted().findFirst().orElseThrow();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(part)), StandardCharsets.UTF_8))) {
                return in.readLine();
            }
        }
    }
}
