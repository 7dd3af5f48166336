package dev.empathy.jobs.run;

import dev.empathy.reports.csv.CsvFile;
import dev.empathy.reports.io.ReportFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's population as counted steps, in order (what was read, what each rule excluded, what was
 * used): written as {@code population.csv} ({@code step,<unit>}) and recorded in the manifest.
 *
 * @param unit   what is counted, the second column's name ({@code rows}, {@code customers})
 * @param counts step name to count, in order
 */
public record Steps(String unit, Map<String, Long> counts) {

    public Steps {
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public long get(String step) {
        Long n = counts.get(step);
        if (n == null) {
            throw new IllegalArgumentException("no population step " + step + "; steps: " + counts.keySet());
        }
        return n;
    }

    /** {@code population.csv}. */
    public void write(ReportFolder folder) {
        List<List<Object>> rows = new ArrayList<>();
        counts.forEach((step, n) -> rows.add(List.of(step, n)));
        CsvFile.write(folder, "population.csv", List.of("step", unit), rows);
    }
}
