package dev.empathy.jobs.spark;

import java.util.Iterator;
import java.util.function.Function;

/** Helpers for the inside of {@code mapPartitions}. */
public final class Partitions {

    private Partitions() {
    }

    /** The partition's rows mapped one by one as they are read (nothing is held in memory). */
    public static <T, R> Iterator<R> map(Iterator<T> rows, Function<T, R> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public R next() {
                return f.apply(rows.next());
            }
        };
    }
}
