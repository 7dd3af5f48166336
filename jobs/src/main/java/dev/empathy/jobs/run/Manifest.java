package dev.empathy.jobs.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.empathy.jobs.input.TableLedger;
import dev.empathy.jobs.input.ValidatedInput;
import dev.empathy.lib.contract.Contract;
import dev.empathy.lib.contract.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: the run date, the toolkit version, the parameters, the plug-ins, the row ledger of
 * every input table, each job's status and duration, and the files written. The run date and
 * the durations are the only values that change between two runs on the same input.
 */
public final class Manifest {

    /** What one job of the run did. */
    public record JobEntry(String name, String status, double durationSeconds, String note,
                           Map<String, Object> options, Map<String, Object> details) {

        public JobEntry(String name, String status, double durationSeconds, String note) {
            this(name, status, durationSeconds, note, Map.of(), Map.of());
        }
    }

    private Manifest() {
    }

    public static Map<String, Object> build(String command, String runDate, Map<String, Object> parameters,
                                            ValidatedInput input, List<JobEntry> jobs, List<String> files) {
        return build(command, runDate, parameters, List.of(), input, jobs, files);
    }

    /** The manifest, with a {@code plugins} entry (one per plug-in provider) when there are plug-ins. */
    public static Map<String, Object> build(String command, String runDate, Map<String, Object> parameters,
                                            List<Map<String, Object>> plugins, ValidatedInput input,
                                            List<JobEntry> jobs, List<String> files) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("toolkit", "empathy");
        m.put("toolkit_version", Toolkit.version());
        m.put("command", command);
        m.put("run_date", runDate);
        m.put("status", jobs.stream().anyMatch(j -> j.status().equals("failed")) ? "partial" : "succeeded");
        m.put("parameters", parameters);
        if (!plugins.isEmpty()) {
            m.put("plugins", plugins);
        }
        Map<String, Object> tables = new LinkedHashMap<>();
        for (TableSpec spec : Contract.TABLES) {
            Map<String, Object> t = new LinkedHashMap<>();
            var validated = input.table(spec.name());
            if (validated.isEmpty()) {
                t.put("status", "absent");
            } else {
                TableLedger l = validated.get().ledger();
                t.put("status", "validated");
                t.put("rows_read", l.rowsRead());
                t.put("rows_used", l.rowsUsed());
                t.put("rows_rejected", l.rowsRejected());
                t.put("rejected_by_reason", l.rejectedByReason());
            }
            tables.put(spec.name(), t);
        }
        m.put("tables", tables);
        List<Map<String, Object>> jobList = new ArrayList<>();
        for (JobEntry j : jobs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", j.name());
            e.put("status", j.status());
            e.put("duration_seconds", Math.round(j.durationSeconds() * 1000) / 1000.0);
            if (j.note() != null) {
                e.put("note", j.note());
            }
            if (j.options() != null && !j.options().isEmpty()) {
                e.put("options", j.options());
            }
            if (j.details() != null && !j.details().isEmpty()) {
                e.put("details", j.details());
            }
            jobList.add(e);
        }
        m.put("jobs", jobList);
        List<String> listed = new ArrayList<>(files);
        listed.add("manifest.json");
        listed.sort(null);
        m.put("files", listed);
        return m;
    }

    public static void write(Path file, Map<String, Object> manifest) {
        try {
            Files.writeString(file, mapper().writeValueAsString(manifest) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes {@code manifest.json} into {@code folder} (any store). */
    public static void write(dev.empathy.reports.io.ReportFolder folder, Map<String, Object> manifest) {
        try {
            folder.text("manifest.json", mapper().writeValueAsString(manifest) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the manifest", e);
        }
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
