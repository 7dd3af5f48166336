package dev.empathy.cli;

import java.util.Collection;
import java.util.List;

/**
 * Spark's part file names with their random job id replaced by {@code UUID}, so that two runs of
 * the same nightly list the same names (StandaloneClusterIT, RemoteStoresIT).
 */
final class PartNames {

    private PartNames() {
    }

    /** Text with every part file name's job id replaced. */
    static String withoutJobIds(String text) {
        return text.replaceAll("part-(\\d+)-[0-9a-f-]{36}-c(\\d+)", "part-$1-UUID-c$2");
    }

    /** File names with their job ids replaced, the local file system's .crc files left out, sorted. */
    static List<String> withoutJobIds(Collection<String> files) {
        return files.stream().filter(f -> !f.endsWith(".crc")).map(PartNames::withoutJobIds).sorted().toList();
    }
}
