package dev.empathy.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Input and output folders of a run. */
final class RunOptions {

    @Option(names = "--input", defaultValue = "${env:EMPATHY_HOME:-.}/sample-data/data",
            description = "Input root: one folder (or .parquet file) per table (default: the shipped sample, "
                    + "${DEFAULT-VALUE}).")
    Path input;

    @Option(names = "--output", defaultValue = "runs",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path output;

    /** The folders as the user gave them, for the manifest. */
    Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("input", input.toString());
        parameters.put("output", output.toString());
        return parameters;
    }
}
