package dev.empathy.jobs.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the runner found of one plug-in provider: where it came from (the jar's file name), the
 * jobs it added, and the problem that made the runner leave some or all of its jobs out. A
 * problem is a warning on stderr and a line in the manifest, never the end of the run.
 *
 * @param source   the jar (or folder) the provider class was loaded from, by file name
 * @param provider the provider's class name
 * @param jobs     the job names it added
 * @param problems one sentence per job left out, or for the provider as a whole
 */
public record PluginReport(String source, String provider, List<String> jobs, List<String> problems) {

    public PluginReport {
        jobs = List.copyOf(jobs);
        problems = List.copyOf(problems);
    }

    /** The manifest's entry: source, provider, jobs, and problems when there are any. */
    public Map<String, Object> describe() {
        return problems.isEmpty()
                ? Ordered.map("source", source, "provider", provider, "jobs", jobs)
                : Ordered.map("source", source, "provider", provider, "jobs", jobs, "problems", problems);
    }

    /** The warnings, one line each, as {@code empathy: plug-in ...}. */
    public List<String> warnings() {
        List<String> lines = new ArrayList<>();
        for (String p : problems) {
            lines.add("empathy: plug-in " + source + " (" + provider + "): " + p);
        }
        return lines;
    }
}
