package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.cli.corpus.EdgeCorpus;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code empathy nightly} on every data set of the {@link EdgeCorpus}, each breaking one
 * assumption. For each: exit 0, or 4 (a partial run) with every failed job noted in the manifest
 * and its folder absent; the row ledger adds up and matches what was written and planted; every
 * succeeded job's files exist; no summary shows NaN, Infinity or digits made of noise; no CSV cell
 * starts like a spreadsheet formula unless it is a number. {@code validate} gets the same ledger
 * checks on the degenerate inputs.
 *
 * <p>The jobs are not robust yet (issue 10, "Build" 2 and 3), so the cases that fail today are
 * listed in {@link #KNOWN_FAILING} with what was observed: such a case still runs, and is reported
 * as aborted (skipped) while it fails; once it passes, it passes with a line on stderr asking for
 * its entry to be removed.
 *
 * <p>Time: 1,571 s for the whole class on 2026-11-27, on 2 cores shared with three other Spark
 * builds (load average 10 to 16); a case that runs every job took 75 to 215 s of it, two thirds
 * of that in retention (a Spark job per Newton step of each of its Cox models).
 *
 * <p>Run with {@code -DedgeCorpus.perJob=all} (or a comma-separated list of cases) to also run
 * each job's own command on them: what each job does by itself, since nightly stops at the first
 * failing job. For example:
 * <pre>
 * mvn -B -pl cli -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test='EdgeCorpusIT#eachJobByItself' -Dfailsafe.failIfNoSpecifiedTests=false -DedgeCorpus.perJob=all
 * </pre>
 */
class EdgeCorpusIT {

    /*
     * What each job did on each case, observed 2026-11-27 on the code of 2a154a7 (before exit 4):
     * nightly runs csat-effect, repeat-contacts, retention in that order, stops at the first job
     * that throws and exits 1 with nothing committed, so the jobs after it are only known where
     * their own command was run on the case (EdgeCorpusIT#eachJobByItself, "alone" below).
     * "ok" = succeeded and passed every check; "done" = finished without an exception, but its
     * files were not committed, so not checked (for validate: the ledger, which only the
     * validate test checks on a run that fails); "-" = not reached, and not run alone.
     *
     * case                         | validate | csat-effect                      | repeat-contacts                  | retention
     * generator-as-is              | ok       | ok                               | ok                               | ok
     * foreign-four-tables          | ok       | ok                               | ok                               | ok
     * spark-written                | ok       | ok                               | ok                               | ok
     * segment-nobody-churns        | done     | done                             | done                             | exit 1 SparkArithmeticException [DIVIDE_BY_ZERO]
     * segment-everybody-churns     | ok       | ok                               | ok                               | ok
     * one-channel                  | ok       | ok                               | ok                               | ok
     * csat-all-5                   | ok       | exit 0, summary.md noise: "-0.000000000000000022 points higher",
     *                              |          | "(95% interval -0.0000000000000012 to 0.0000000000000011, n = 223)",
     *                              |          | "worth -0.0000000000000000043 points" | ok                          | ok
     * no-documented-empathy        | done     | done                             | done                             | exit 1 [DIVIDE_BY_ZERO]
     * documented-everywhere        | done     | done                             | done                             | exit 1 [DIVIDE_BY_ZERO]
     * no-empathy-scores            | done     | exit 1 IllegalStateException "csat-effect: no answered, scored and
     *                              |          |   resolved contact to model" (CsatEffect.compute:126)
     *                              |          |                                  | alone: exit 1 IllegalArgumentException
     *                              |          |                                  |   "cluster standard errors need at least
     *                              |          |                                  |   2 clusters, found 0" (Logit.finish:134)
     *                              |          |                                  |                                  | alone: exit 1 NullPointerException
     *                              |          |                                  |                                  |   "Cannot invoke List.get(int) because
     *                              |          |                                  |                                  |   all is null" (Retention.tertiles:319)
     * one-agent                    | done     | exit 1 IllegalArgumentException "cluster standard errors need at
     *                              |          |   least 2 clusters, found 1" (Ols.finish:115)
     *                              |          |                                  | alone: ok                        | alone: ok
     * one-customer                 | done     | done                             | exit 1 "cluster standard errors need at least 2 clusters,
     *                              |          |                                  |   found 1" (Logit.finish:134)
     *                              |          |                                  |                                  | alone: exit 1 IllegalArgumentException
     *                              |          |                                  |                                  |   "A positive range length is required:
     *                              |          |                                  |                                  |   Range[1.0,1.0]" (Charts.intervals:95)
     * ten-interactions             | ok       | exit 1 "4 observations cannot estimate 4 coefficients" (Ols.finish:92)
     * equal-timestamps             | done     | done                             | exit 1 "cluster standard errors need at least 2 clusters,
     *                              |          |                                  |   found 0" (Logit.finish:134)
     *                              |          |                                  |                                  | alone: exit 1 SingularMatrixException
     *                              |          |                                  |                                  |   "matrix is singular" (LogRank.test:80)
     * zero-resolution-times        | done     | exit 1 ArrayIndexOutOfBoundsException "Index -1 out of bounds for length 31"
     *                              |          |   (Effects.compute:62: resolution_hours is not among the fitted terms)
     *                              |          |                                  | alone: ok                        | alone: ok
     * magnitudes-extreme           | done     | exit 1 ArrayIndexOutOfBoundsException
     * magnitudes-huge              | done     | exit 1 ArrayIndexOutOfBoundsException
     * nan-infinity                 | ok (planted rejects exact) | ok             | ok                               | ok
     * awkward-text                 | done     | done                             | done                             | exit 1 NonSymmetricMatrixException
     *                              |          |                                  |                                  |   (Commons Math Cholesky from Cox.solve:144)
     * formula-like-text            | done     | done; alone: ok (no formula-like CSV cell) | done           | exit 1 NonSymmetricMatrixException
     * contact-reason-10000-levels  | done     | exit 1 "1264 observations cannot estimate 1287 coefficients" (Ols.finish:92)
     *                              |          |                                  | alone: OutOfMemoryError (-Xmx3g) in the adjusted
     *                              |          |                                  |   logit (SparkLogit.fit:57); the SparkContext is
     *                              |          |                                  |   shut down, so every later command fails too
     *                              |          |                                  |                                  | -
     * empty-tables                 | ok       | exit 1 SparkRuntimeException [ROW_VALUE_IS_NULL] Found NULL in a row at the index 0
     *                              |          |   (CsatPopulation.build:59)
     * empty-csat                   | ok       | exit 1 "csat-effect: no answered, scored and resolved contact to model"
     * all-rejected                 | ok       | exit 1 [ROW_VALUE_IS_NULL] (CsatPopulation.build:59)
     * csat-all-rejected            | ok       | exit 1 "csat-effect: no answered, scored and resolved contact to model"
     * duckdb-types                 | ok       | ok                               | ok                               | ok
     * duckdb-nanosecond-timestamps | exit 1 (not 3) AnalysisException [PARQUET_TYPE_ILLEGAL] Illegal Parquet type:
     *                              |   INT64 (TIMESTAMP(NANOS,false)) (InputTable.open:52); no job ran
     *
     * The ArrayIndexOutOfBoundsException of the magnitude cases lost its message and frames to the
     * JVM's fast-throw optimization after the first one (probably the same place as
     * zero-resolution-times); run with -XX:-OmitStackTraceInFastThrow to see it.
     */

    /**
     * The cases that do not meet the expectations today, with what {@code nightly} did (the table
     * above). Remove an entry when its case passes: the test then says so.
     */
    /*
     * Observed again on 2026-11-27 after the job shape, exit 4, the noted fits and the retention and
     * csat-effect fixes (full mvn -B verify, unloaded 2 cores, about 30-40 s a case): every case
     * meets every expectation except ten-interactions (below); empty-tables and all-rejected end
     * with exit 4 (csat-effect writes its population and why nothing was modelled; repeat-contacts
     * and retention fail on no interactions, recorded as failed with their error).
     */
    static final Map<String, String> KNOWN_FAILING = Map.of();

    /**
     * The files a succeeded job writes (docs/jobs/*.md; a name ending in / is a folder, such as a
     * Parquet table); retention also writes km_<segment>.png.
     */
    static final Map<String, List<String>> JOB_FILES = Map.of(
            "csat-effect", List.of("population.csv", "coefficients.csv", "fit.csv", "decomposition.csv",
                    "effects.csv", "by_group.csv", "summary.md", "coefficients.png", "shapley.png",
                    "predicted_csat.png", "empathy_by_channel.png"),
            "repeat-contacts", List.of("population.csv", "rates.csv", "contrasts.csv", "adjusted.csv",
                    "repeat_by_band.png", "summary.md"),
            "retention", List.of("population.csv", "segments.csv", "correlation.csv", "km.csv", "logrank.csv",
                    "cox.csv", "hazard_ratios.png", "summary.md"),
            "sentiment", List.of("population.csv", "trajectories.csv", "shift.csv", "tests.csv", "adjusted.csv",
                    "deteriorating.csv", "trajectories.png", "summary.md", "turn_scores/"),
            "verbatims", List.of("population.csv", "transitions.csv", "shift_rates.csv", "adjusted.csv",
                    "examples.csv", "transitions.png", "summary.md"),
            "watchlist", List.of("population.csv", "watchlist.csv", "watchlist_summary.csv", "summary.md"),
            "calibration", List.of("population.csv", "agreement.csv", "blocks.csv", "bias.csv", "drift.csv",
                    "gap.csv", "drift.png", "agreement.png", "summary.md"),
            "training", List.of("population.csv", "att.csv", "event_study.csv", "pretrend.csv", "group_time.csv",
                    "completion.csv", "event_study.png", "summary.md"),
            "fatigue", List.of("population.csv", "shift_load/", "load_by_queue.csv", "effects.csv", "index.csv",
                    "pulse_correlation.csv", "rotation.csv", "pulse_by_index.png", "summary.md"),
            "audit", List.of("population.csv", "cube.csv", "qoq.csv", "sla.csv", "opt_out.csv", "performative.csv",
                    "performative_agents.csv", "summary.md", "report.html", "report.pdf"));

    /** The degenerate inputs {@code validate} is run on by itself. */
    static final Set<String> VALIDATE_CASES = Set.of("empty-tables", "empty-csat", "all-rejected",
            "csat-all-rejected", "nan-infinity", "ten-interactions", "duckdb-types");

    static final String RUN_DATE = "2026-01-31";

    @TempDir
    static Path dir;

    static SparkSession spark;
    static EdgeCorpus corpus;
    static final Map<String, EdgeCorpus.Built> built = new ConcurrentHashMap<>();

    @BeforeAll
    static void session() {
        MainIT.session();
        spark = MainIT.spark;
        corpus = new EdgeCorpus(dir.resolve("corpus"));
    }

    @AfterAll
    static void closeCorpus() throws Exception {
        corpus.close();
    }

    /** Every case, or only those named in {@code -DedgeCorpus.only=a,b} (to re-run a few by hand). */
    static List<EdgeCorpus.Case> cases() {
        String only = System.getProperty("edgeCorpus.only", "");
        if (only.isBlank()) {
            return EdgeCorpus.cases();
        }
        Set<String> names = Set.of(only.split(","));
        return EdgeCorpus.cases().stream().filter(c -> names.contains(c.name())).toList();
    }

    static List<EdgeCorpus.Case> validateCases() {
        return cases().stream().filter(c -> VALIDATE_CASES.contains(c.name())).toList();
    }

    static EdgeCorpus.Built input(EdgeCorpus.Case c) {
        return built.computeIfAbsent(c.name(), n -> corpus.build(c, spark));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nightly(EdgeCorpus.Case c) throws IOException {
        EdgeCorpus.Built in = input(c);
        Path runs = dir.resolve("runs").resolve(c.name());
        long began = System.nanoTime();
        MainIT.Outcome o = MainIT.run("nightly", "--input", in.input().toString(), "--output", runs.toString(),
                "--run-date", RUN_DATE, "--master", "local[2]");
        List<String> problems = new ArrayList<>();
        Path run = runs.resolve(RUN_DATE);
        if (o.code() != 0 && o.code() != 4) {
            problems.add("exit " + o.code() + describeFailure(o.err(), true));
        } else {
            problems.addAll(checkLedger(in, run.resolve("manifest.json")));
            problems.addAll(checkJobs(o.code(), run));
            problems.addAll(checkOutputs(run));
        }
        report(c, "nightly", o.code(), problems, began);
        if (Files.isRegularFile(run.resolve("manifest.json"))) {
            StringBuilder jobs = new StringBuilder();
            for (JsonNode job : new ObjectMapper().readTree(run.resolve("manifest.json").toFile()).get("jobs")) {
                jobs.append(String.format(Locale.ROOT, " %s %s %.1f s%s;", job.get("name").asText(),
                        job.get("status").asText(), job.get("duration_seconds").asDouble(),
                        job.has("note") ? " (" + job.get("note").asText() + ")" : ""));
            }
            System.err.println("[edge-corpus] " + c.name() + " | jobs |" + jobs);
        }
        judge(c, problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validateCases")
    void validate(EdgeCorpus.Case c) throws IOException {
        EdgeCorpus.Built in = input(c);
        Path out = dir.resolve("validate").resolve(c.name());
        MainIT.Outcome o = MainIT.run("validate", "--input", in.input().toString(), "--output", out.toString(),
                "--master", "local[2]");
        assertEquals(0, o.code(), o.err());
        List<String> problems = checkLedger(in, out.resolve("manifest.json"));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * Each job's own command on every case: what each job does today. Not a check (nightly is), a
     * survey for the table in {@link #KNOWN_FAILING}'s comment, printed to stderr.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @EnabledIfSystemProperty(named = "edgeCorpus.perJob", matches = ".+")
    void eachJobByItself(EdgeCorpus.Case c) throws IOException {
        String wanted = System.getProperty("edgeCorpus.perJob");
        Assumptions.assumeTrue(wanted.equals("all") || List.of(wanted.split(",")).contains(c.name()),
                "not among -DedgeCorpus.perJob");
        EdgeCorpus.Built in = input(c);
        for (String job : JOB_FILES.keySet().stream().sorted().toList()) {
            Path out = dir.resolve("jobs").resolve(c.name()).resolve(job);
            long began = System.nanoTime();
            MainIT.Outcome o = MainIT.run(job, "--input", in.input().toString(), "--output", out.toString(),
                    "--master", "local[2]");
            List<String> problems = new ArrayList<>();
            if (o.code() != 0) {
                problems.add("exit " + o.code() + describeFailure(o.err(), false));
            } else {
                problems.addAll(checkOutputs(out));
            }
            report(c, job, o.code(), problems, began);
        }
    }

    // ---------------------------------------------------------------- the checks

    /**
     * Pass, fail, or abort a known failing case. A listed case that now meets every expectation
     * passes and says so on stderr, so that its entry can go (it does not fail the build: a fix
     * elsewhere must not break CI for a list that only documents).
     */
    static void judge(EdgeCorpus.Case c, List<String> problems) {
        String known = KNOWN_FAILING.get(c.name());
        if (known == null) {
            assertTrue(problems.isEmpty(), c.name() + " breaks '" + c.breaks() + "':\n" + String.join("\n", problems));
        } else if (problems.isEmpty()) {
            System.err.println("[edge-corpus] " + c.name() + " now meets every expectation: remove it from "
                    + "EdgeCorpusIT.KNOWN_FAILING");
        } else {
            Assumptions.abort("known failing (" + known + "); now: " + String.join(" | ", problems));
        }
    }

    /** The ledger adds up for every table, and matches the rows written and the planted rejections. */
    static List<String> checkLedger(EdgeCorpus.Built in, Path manifestFile) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(manifestFile)) {
            return List.of("no " + manifestFile.getFileName());
        }
        JsonNode tables = new ObjectMapper().readTree(manifestFile.toFile()).get("tables");
        for (String t : EdgeCorpus.ALL_TABLES) {
            JsonNode ledger = tables.get(t);
            Long written = in.rowsWritten().get(t);
            if (written == null) {
                if (!"absent".equals(ledger.path("status").asText())) {
                    problems.add(t + ": not written, but " + ledger);
                }
                continue;
            }
            if (!"validated".equals(ledger.path("status").asText())) {
                problems.add(t + ": written, but " + ledger);
                continue;
            }
            long read = ledger.get("rows_read").asLong();
            long used = ledger.get("rows_used").asLong();
            long rejected = ledger.get("rows_rejected").asLong();
            Map<String, Long> reasons = new TreeMap<>();
            ledger.get("rejected_by_reason").properties().forEach(e -> reasons.put(e.getKey(), e.getValue().asLong()));
            if (read != used + rejected) {
                problems.add(String.format(Locale.ROOT, "%s: rows_read %d != rows_used %d + rows_rejected %d",
                        t, read, used, rejected));
            }
            if (reasons.values().stream().mapToLong(Long::longValue).sum() != rejected) {
                problems.add(t + ": reasons " + reasons + " do not add up to rows_rejected " + rejected);
            }
            if (read != written) {
                problems.add(t + ": rows_read " + read + ", but " + written + " rows were written");
            }
            Map<String, Long> planted = in.rejects().getOrDefault(t, Map.of());
            if (!reasons.equals(planted)) {
                problems.add(t + ": rejected_by_reason " + reasons + ", planted " + planted);
            }
        }
        return problems;
    }

    /** Every job has a status; a succeeded job's files exist; a failed one is noted and absent. */
    static List<String> checkJobs(int code, Path run) throws IOException {
        List<String> problems = new ArrayList<>();
        JsonNode manifest = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
        Set<String> seen = new java.util.TreeSet<>();
        boolean anyFailed = false;
        for (JsonNode job : manifest.get("jobs")) {
            String name = job.get("name").asText();
            String status = job.path("status").asText();
            String note = job.path("note").asText("");
            seen.add(name);
            switch (status) {
                case "succeeded" -> {
                    // A job whose data could not support its models says why (details.not_fitted, and in
                    // summary.md) and writes only its population and summary.
                    JsonNode notFitted = job.path("details").path("not_fitted");
                    List<String> files = notFitted.isArray() && notFitted.size() > 0
                            ? List.of("population.csv", "summary.md") : JOB_FILES.getOrDefault(name, List.of());
                    if (notFitted.isArray() && notFitted.size() > 0 && !Files.readString(run.resolve(name)
                            .resolve("summary.md")).contains("not fitted")) {
                        problems.add(name + ": not fitted, but summary.md does not say why");
                    }
                    // csat-effect's model-free check is there, or the manifest says why not.
                    if (name.equals("csat-effect") && !(notFitted.isArray() && notFitted.size() > 0)
                            && !job.path("details").path("boosted_trees").has("note")
                            && !Files.isRegularFile(run.resolve(name).resolve("shap.csv"))) {
                        problems.add(name + ": no shap.csv and no note on the model-free check");
                    }
                    for (String file : files) {
                        Path p = run.resolve(name).resolve(file);
                        if (file.endsWith("/") ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
                            problems.add(name + ": succeeded without " + file);
                        }
                    }
                }
                case "skipped", "failed" -> {
                    if (note.isBlank() || note.contains("\n")) {
                        problems.add(name + ": " + status + " without a one-line note: '" + note + "'");
                    }
                    if (status.equals("failed")) {
                        anyFailed = true;
                        if (Files.exists(run.resolve(name))) {
                            problems.add(name + ": failed, but its folder is there");
                        }
                    }
                }
                default -> problems.add(name + ": status '" + status + "'");
            }
        }
        if (!seen.containsAll(JOB_FILES.keySet())) {
            problems.add("jobs missing from the manifest: " + JOB_FILES.keySet() + " listed " + seen);
        }
        if (anyFailed != (code == 4)) {
            problems.add("exit " + code + (anyFailed ? " with a failed job" : " without a failed job"));
        }
        for (JsonNode file : manifest.get("files")) {
            if (!Files.isRegularFile(run.resolve(file.asText()))) {
                problems.add("manifest lists " + file.asText() + ", which is not there");
            }
        }
        return problems;
    }

    /** Words that mean nothing in a summary; cells a spreadsheet would run. */
    static List<String> checkOutputs(Path published) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(published)) {
            return problems;
        }
        // A run folder is a link to the published folder: walk what it leads to.
        Path folder = published.toRealPath();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String rel = folder.relativize(f).toString();
            String name = f.getFileName().toString();
            if (name.equals("summary.md")) {
                String text = Files.readString(f);
                for (String bad : noise(text)) {
                    problems.add(rel + ": '" + bad + "'");
                }
            } else if (name.endsWith(".csv")) {
                String cell = formulaCell(f);
                if (cell != null) {
                    problems.add(rel + ": formula-like cell '" + cell + "'");
                }
            }
        }
        return problems;
    }

    static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    /**
     * NaN, Infinity (also as a word, or the infinity sign), a number with more than 6 digits after
     * the point (-0.00000000000000037), an exponent (1.5E+300), or more than 15 integer digits
     * (a double printed without its exponent), with or without grouping commas.
     */
    static final Pattern NOISE = Pattern.compile(
            "NaN|-?Infinity|∞|\\d\\.\\d{7,}|\\d[eE][-+]?\\d+|\\d{16,}|\\d{1,3}(,\\d{3}){5,}");

    static List<String> noise(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = NOISE.matcher(text);
        while (m.find()) {
            int from = Math.max(0, m.start() - 30);
            int to = Math.min(text.length(), m.end() + 10);
            found.add(text.substring(from, to).replace('\n', ' '));
        }
        return found;
    }

    /** The first cell that starts with =, +, - or @ and is not a number, or null. */
    static String formulaCell(Path csv) throws IOException {
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.RFC4180.parse(r)) {
                for (String cell : row) {
                    if (!cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0 && !NUMBER.matcher(cell).matches()) {
                        return cell;
                    }
                }
            }
        }
        return null;
    }

    /** The jobs in nightly's order. */
    static final List<String> NIGHTLY_ORDER = dev.empathy.jobs.Jobs.ALL.stream().map(j -> j.name()).toList();

    /**
     * From a failed command's stderr: the job that was running (for nightly, the first one not
     * done or skipped), the error's first line and the first frame of the toolkit's own code.
     */
    static String describeFailure(String err, boolean nightly) {
        Set<String> finished = new java.util.HashSet<>();
        String error = null;
        String frame = null;
        for (String line : err.split("\n")) {
            Matcher stage = Pattern.compile("^\\[([a-z-]+)\\] (done|skipped)").matcher(line);
            if (stage.find()) {
                finished.add(stage.group(1));
            }
            if (error == null && line.startsWith("empathy: ")) {
                error = line.substring("empathy: ".length());
            } else if (error != null && frame == null && line.strip().startsWith("at dev.empathy.")) {
                frame = line.strip();
            }
        }
        String job = frame != null && frame.startsWith("at dev.empathy.jobs.input.") ? "validate"
                : NIGHTLY_ORDER.stream().filter(j -> !finished.contains(j)).findFirst().orElse("?");
        return (nightly ? " in " + job : "") + ": " + (error == null ? "(no error line)" : error) + (frame == null ? "" : " [" + frame + "]");
    }

    static void report(EdgeCorpus.Case c, String command, int code, List<String> problems, long began) {
        System.err.printf(Locale.ROOT, "[edge-corpus] %s | %s | exit %d | %.1f s | %s%n", c.name(), command, code,
                (System.nanoTime() - began) / 1e9, problems.isEmpty() ? "ok" : String.join(" | ", problems));
    }
}
