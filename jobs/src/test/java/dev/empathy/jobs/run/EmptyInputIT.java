package dev.empathy.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.Fixtures;
import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.SharedSpark;
import dev.empathy.lib.contract.Contract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job on tables that have their columns and no rows (a quiet night, or a filter upstream
 * that let nothing through): the run succeeds, and each job writes its population and a summary
 * that says there was nothing to analyse, rather than failing.
 */
class EmptyInputIT {

    @TempDir
    static Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void everyJobSaysThereWasNothingToAnalyse() throws IOException {
        Path input = dir.resolve("input");
        for (var table : List.of(Contract.INTERACTIONS, Contract.CSAT, Contract.TURNS, Contract.CUSTOMERS,
                Contract.AGENTS, Contract.QA_RATINGS, Contract.SHIFTS, Contract.AGENT_PULSE)) {
            Fixtures.write(input, table, new Map[0]);
        }
        Path out = dir.resolve("run");
        List<dev.empathy.jobs.run.Job<?>> all = Jobs.ALL.stream().<dev.empathy.jobs.run.Job<?>>map(
                JobDefinition::withDefaults).toList();
        RunPipeline.run(SharedSpark.session(), new RunPipeline.Params("nightly", input, out, "2026-01-31", Map.of()),
                Jobs.plan(all), Progress.to(System.err));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest.get("status").asText(), manifest.toPrettyString());
        for (JsonNode job : manifest.get("jobs")) {
            assertEquals("succeeded", job.get("status").asText(), job.toString());
            if (job.get("name").asText().equals("validate")) {
                continue;
            }
            Path folder = out.resolve(job.get("name").asText());
            assertTrue(Files.isRegularFile(folder.resolve("population.csv")), folder + "/population.csv");
            String summary = Files.readString(folder.resolve("summary.md"));
            System.err.println(summary);
            assertTrue(summary.contains("nothing"), "the summary says there was nothing to analyse:\n" + summary);
            for (String noise : List.of("NaN", "Infinity")) {
                assertFalse(summary.contains(noise), summary);
            }
        }
    }
}
