package dev.empathy.jobs.spark;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for work that runs side by side on one SparkSession (the jobs of a run, the tables of
 * a validation), and the results they give.
 */
public final class Workers {

    private Workers() {
    }

    /**
     * A pool of {@code threads} daemon threads named {@code name-1}, {@code name-2}, ..., so that
     * a thread dump shows whose they are. Created from the calling thread, they inherit its Spark
     * local properties (its job group).
     */
    public static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The result of {@code future} once it is done; its failure as it was thrown. */
    public static <T> T joined(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for work side by side", e);
        }
    }
}
