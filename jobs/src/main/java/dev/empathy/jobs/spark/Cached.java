package dev.empathy.jobs.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/**
 * Datasets a job persists while it works, released together when it is done:
 * {@code try (Cached cached = new Cached()) { Dataset<Row> d = cached.keep(rows); ... }}.
 */
public final class Cached implements AutoCloseable {

    private final List<Dataset<?>> kept = new ArrayList<>();

    /** Persists {@code rows} in memory and on disk until {@link #close()}. */
    public <T> Dataset<T> keep(Dataset<T> rows) {
        Dataset<T> persisted = rows.persist(StorageLevel.MEMORY_AND_DISK());
        kept.add(persisted);
        return persisted;
    }

    /** Takes over a dataset already persisted elsewhere, to release it with the others. */
    public <T> Dataset<T> adopt(Dataset<T> persisted) {
        kept.add(persisted);
        return persisted;
    }

    @Override
    public void close() {
        for (Dataset<?> d : kept) {
            d.unpersist();
        }
        kept.clear();
    }
}
