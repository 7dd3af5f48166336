package dev.empathy.jobs.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeapWatchTest {

    private static final int MIB = 1 << 20;

    @Test
    void aBlockKeptAliveAcrossACollectionIsInThePeak() throws InterruptedException {
        try (HeapWatch watch = HeapWatch.start()) {
            long before = collect(watch);
            byte[][] kept = new byte[96][];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = new byte[MIB];
            }
            long held = collect(watch);
            assertEquals(96, kept.length);
            // The 96 arrays of 1 MiB were reachable at the second collection, so the peak grew by them.
            assertTrue(held - before >= 96L * MIB, () -> (held - before) / MIB + " MiB");
            assertTrue(watch.describe().matches("; heap after GC peaked at [0-9,]+ MiB"), watch.describe());
        }
    }

    /** A full collection, then the peak once its notification has arrived. */
    private static long collect(HeapWatch watch) throws InterruptedException {
        long seen = watch.collections();
        System.gc();
        for (int i = 0; i < 200 && watch.collections() == seen; i++) {
            Thread.sleep(10);
        }
        assertTrue(watch.collections() > seen, "no collection notified");
        return watch.peakBytes().orElseThrow();
    }
}
