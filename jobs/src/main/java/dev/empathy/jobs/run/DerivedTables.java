package dev.empathy.jobs.run;

import dev.empathy.jobs.store.Location;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Tables derived from the validated input that several jobs read (the text layer's scored turns,
 * coded turns and conversation facts): computed once per run by the first job that asks, written
 * as Parquet into the run's work folder, and read back from there by that job and every later
 * one. The work folder is removed before the run commits, so nothing derived is part of the run.
 *
 * <p>Writing once and reading back costs one Parquet round trip (of a table without text) and
 * spares every later reader the scoring and coding of every turn. A table whose
 * computation fails is not remembered: the next job computes it again and fails on its own.
 * Outside a run ({@link #none()}) every call computes the table.
 */
public final class DerivedTables {

    private final Location root;
    private final Map<String, String> written = new HashMap<>();

    private DerivedTables(Location root) {
        this.root = root;
    }

    /** Derived tables written under {@code root} (a folder the run removes). */
    public static DerivedTables in(Path root) {
        return new DerivedTables(Location.local(root));
    }

    /** Derived tables written under {@code root}, on any store (the run's own, which executors read). */
    public static DerivedTables in(Location root) {
        return new DerivedTables(root);
    }

    /** No folder: every call computes its table (tests, single computations outside a run). */
    public static DerivedTables none() {
        return new DerivedTables(null);
    }

    /**
     * The table {@code name}: read from where an earlier call wrote it, or computed by
     * {@code compute}, written, and read back.
     */
    public synchronized Dataset<Row> table(SparkSession spark, String name, Supplier<Dataset<Row>> compute) {
        if (root == null) {
            return compute.get();
        }
        String path = written.get(name);
        if (path == null) {
            String target = root.resolve(name).forSpark();
            compute.get().write().mode(SaveMode.Overwrite).parquet(target);
            written.put(name, target);
            path = target;
        }
        return spark.read().parquet(path);
    }
}
