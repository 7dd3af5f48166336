package dev.empathy.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a running JVM's CPU goes, by kind of thread: read from Linux's {@code /proc/<pid>} while
 * the process runs ({@link #poll()}), each thread's user and system time from
 * {@code task/<tid>/stat} and the whole process's from {@code stat}. A thread keeps its last
 * reading after it ends; the process's total also holds the threads that ended between two
 * readings, which count under {@link Kind#OTHER}, so the kinds add up to the total.
 *
 * <p>Thread names are as Linux keeps them: the first 15 characters of the Java name. Times are
 * in clock ticks of {@value #TICKS_PER_SECOND} per second, the unit Linux reports them in
 * ({@code USER_HZ}). Without {@code /proc} nothing is read and every figure is 0.
 */
final class ThreadCpu {

    /** Linux's USER_HZ: /proc reports CPU times in these ticks on every architecture Java runs on. */
    static final int TICKS_PER_SECOND = 100;

    /** The kinds of thread, in the order they are printed. */
    enum Kind {
        TASKS("executor tasks"),
        JIT("JIT compilers"),
        GC("garbage collector"),
        DRIVER("driver"),
        OTHER("other");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Path process;
    private final Map<String, Reading> threads = new HashMap<>();
    private long processTicks;

    private record Reading(String name, long ticks) {
    }

    /** @param process the process's folder, {@code /proc/<pid>} */
    ThreadCpu(Path process) {
        this.process = process;
    }

    /**
     * The kind of a thread by its name (as /proc gives it):
     * <ul>
     * <li>Spark's executor task threads ({@code Executor task launch worker ...});</li>
     * <li>HotSpot's compiler threads ({@code C1 CompilerThread0}, {@code C2 CompilerThread0});</li>
     * <li>the collector's threads ({@code GC Thread#0}, G1's {@code G1 ...}) and the VM thread,
     *     which runs the collections' pauses;</li>
     * <li>the driver: the main thread ({@code java}), the jobs' threads ({@code empathy-job-N})
     *     and the common fork-join pool, in which fits on the driver fold their slices;</li>
     * <li>everything else: Spark's scheduler, shuffle and listener threads, and so on.</li>
     * </ul>
     */
    static Kind kind(String name) {
        if (name.startsWith("Executor task")) {
            return Kind.TASKS;
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return Kind.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return Kind.GC;
        }
        if (name.equals("java") || name.startsWith("empathy-job") || name.startsWith("ForkJoinPool")) {
            return Kind.DRIVER;
        }
        return Kind.OTHER;
    }

    /**
     * The name and the user plus system ticks of one {@code stat} line. The name sits in
     * parentheses and may hold spaces and parentheses itself, so the fields are counted from
     * the last {@code ')'}: utime and stime are the 14th and 15th fields of the line.
     */
    static Map.Entry<String, Long> parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).trim().split(" +");
        // fields[0] is the 3rd field (the state): utime is the 14th, stime the 15th.
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return Map.entry(stat.substring(open + 1, close), ticks);
    }

    /** Reads every thread's and the process's time now; a process that has ended is not read. */
    void poll() {
        try {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(process.resolve("task"))) {
                for (Path task : tasks) {
                    try {
                        Map.Entry<String, Long> t = parse(Files.readString(task.resolve("stat")));
                        threads.put(task.getFileName().toString(), new Reading(t.getKey(), t.getValue()));
                    } catch (IOException | RuntimeException e) {
                        // the thread ended between the listing and the read (or its file was cut
                        // short as it ended): its last reading stays
                    }
                }
            }
            // Read after the threads, so that it holds at least their sum.
            long total = parse(Files.readString(process.resolve("stat"))).getValue();
            processTicks = Math.max(processTicks, total);
        } catch (IOException | RuntimeException e) {
            // the process ended, or there is no /proc: the readings so far stand
        }
    }

    /** Seconds of CPU by kind at the last reading; {@link Kind#OTHER} takes what no named thread holds. */
    Map<Kind, Double> seconds() {
        Map<Kind, Long> ticks = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            ticks.put(k, 0L);
        }
        long named = 0;
        for (Reading r : threads.values()) {
            Kind k = kind(r.name());
            if (k != Kind.OTHER) {
                ticks.merge(k, r.ticks(), Long::sum);
                named += r.ticks();
            }
        }
        ticks.put(Kind.OTHER, Math.max(0, processTicks - named));
        Map<Kind, Double> out = new EnumMap<>(Kind.class);
        ticks.forEach((k, v) -> out.put(k, v / (double) TICKS_PER_SECOND));
        return out;
    }

    /** The process's CPU seconds at the last reading. */
    double totalSeconds() {
        return processTicks / (double) TICKS_PER_SECOND;
    }

    /**
     * One line: the total, then each kind in seconds and as a share of the total, for example
     * {@code 1,658 s: executor tasks 1,266 s (76%), JIT compilers 175 s (11%), ...}.
     */
    static String line(double total, Map<Kind, Double> seconds) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,.0f s:", total));
        String sep = " ";
        for (Kind k : Kind.values()) {
            double v = seconds.getOrDefault(k, 0.0);
            s.append(sep).append(String.format(Locale.ROOT, "%s %,.0f s (%.0f%%)", k.label, v,
                    total > 0 ? 100 * v / total : 0));
            sep = ", ";
        }
        return s.toString();
    }
}
