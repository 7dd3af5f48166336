package dev.empathy.jobs.run;

import com.sun.management.GarbageCollectionNotificationInfo;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap a stretch of work kept alive: the largest heap in use just after a garbage
 * collection, over the collections that ran while the watch was open. Memory that survives a
 * collection is (at most) what the work held, unlike the resident size, which a JVM rarely gives
 * back; so each job of a run gets its own figure. In local mode the executors share the driver's
 * JVM, so the figure covers both. A young collection leaves old garbage in place, so the figure is
 * an upper bound of the live data. Without a collection during the work there is no figure.
 */
public final class HeapWatch implements AutoCloseable {

    /** The words before the figure in {@link #describe()}; readers of the progress lines match them. */
    public static final String PEAK_WORDS = "heap after GC peaked at";

    private final AtomicLong peak = new AtomicLong(-1);
    private final AtomicLong collections = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onCollection;
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());

    private HeapWatch() {
    }

    /** Starts watching every collector of this JVM. */
    public static HeapWatch start() {
        HeapWatch watch = new HeapWatch();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(watch.listener, null, null);
                watch.emitters.add(emitter);
            }
        }
        return watch;
    }

    /** The largest heap in use after a collection so far, in bytes; empty when none ran. */
    public OptionalLong peakBytes() {
        long p = peak.get();
        return p < 0 ? OptionalLong.empty() : OptionalLong.of(p);
    }

    /** How many collections were seen (their notifications arrive shortly after each ends). */
    long collections() {
        return collections.get();
    }

    /** The peak in words for a progress line: "; heap after GC peaked at 1,234 MiB", or nothing. */
    public String describe() {
        OptionalLong p = peakBytes();
        return p.isEmpty() ? "" : String.format(java.util.Locale.ROOT, "; %s %,d MiB", PEAK_WORDS,
                p.getAsLong() >> 20);
    }

    private void onCollection(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        peak.accumulateAndGet(used, Math::max);
        collections.incrementAndGet();
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
        emitters.clear();
    }
}
