package dev.empathy.jobs.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.empathy.jobs.store.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Spark output made tidy for a run folder: stable file names, no checksum or marker files. */
public final class OutputFiles {

    private OutputFiles() {
    }

    /** Writes a small dataset as one file, {@code part-00000.parquet}, in {@code folder}. */
    public static void writeSingleParquet(Dataset<Row> rows, Path folder) {
        rows.repartition(1).write().mode(SaveMode.Overwrite).parquet(folder.toString());
        tidy(folder);
    }

    /** Writes a small dataset as one file, {@code part-00000.parquet}, in {@code folder} on any store. */
    public static void writeSingleParquet(Dataset<Row> rows, Location folder) {
        if (folder.isLocal()) {
            writeSingleParquet(rows, folder.localPath());
            return;
        }
        rows.repartition(1).write().mode(SaveMode.Overwrite).parquet(folder.forSpark());
        try {
            int n = 0;
            for (Location f : folder.list()) {
                String name = f.name();
                if (name.startsWith(".") || name.startsWith("_")) {
                    f.deleteTree();
                } else if (name.startsWith("part-") && name.endsWith(".parquet")) {
                    f.renameTo(folder.resolve(String.format(java.util.Locale.ROOT, "part-%05d.parquet", n++)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tidy " + folder, e);
        }
    }

    /** Renames Spark's part files to {@code part-NNNNN.parquet} and removes {@code .crc} and {@code _} files. */
    static void tidy(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> all = files.sorted().toList();
            int n = 0;
            for (Path f : all) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || name.startsWith("_")) {
                    Files.delete(f);
                } else if (name.startsWith("part-") && name.endsWith(".parquet")) {
                    Files.move(f, folder.resolve(String.format(java.util.Locale.ROOT, "part-%05d.parquet", n++)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tidy " + folder, e);
        }
    }
}
