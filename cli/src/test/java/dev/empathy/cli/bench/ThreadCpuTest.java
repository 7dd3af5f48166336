package dev.empathy.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.empathy.cli.bench.ThreadCpu.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU by kind of thread, from a hand-written copy of a process's {@code /proc} folder. */
class ThreadCpuTest {

    @TempDir
    Path proc;

    /**
     * A {@code stat} line as Linux writes it (proc(5)): pid, (name), state, then fields 4 to 13,
     * utime (14), stime (15) and the rest.
     */
    private static String stat(int pid, String name, long utime, long stime) {
        return pid + " (" + name + ") S 1 2 3 0 -1 4194560 100 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 40 0 1234 5678 90 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    private void thread(int tid, String name, long utime, long stime) throws IOException {
        Path t = proc.resolve("task").resolve(Integer.toString(tid));
        Files.createDirectories(t);
        Files.writeString(t.resolve("stat"), stat(tid, name, utime, stime));
    }

    private void process(long utime, long stime) throws IOException {
        Files.writeString(proc.resolve("stat"), stat(7, "java", utime, stime));
    }

    @Test
    void namesWithSpacesAndParenthesesAreReadFromTheLastParenthesis() {
        assertEquals(Map.entry("Executor task l", 1234L + 56L), ThreadCpu.parse(stat(9, "Executor task l", 1234, 56)));
        assertEquals(Map.entry("odd) (name", 3L), ThreadCpu.parse(stat(9, "odd) (name", 1, 2)));
        assertThrows(IllegalArgumentException.class, () -> ThreadCpu.parse("9 no name S 1 2"));
    }

    @Test
    void threadsAreSortedIntoKindsByTheirNames() {
        assertEquals(Kind.TASKS, ThreadCpu.kind("Executor task l"));
        assertEquals(Kind.JIT, ThreadCpu.kind("C2 CompilerThre"));
        assertEquals(Kind.JIT, ThreadCpu.kind("C1 CompilerThre"));
        assertEquals(Kind.GC, ThreadCpu.kind("GC Thread#1"));
        assertEquals(Kind.GC, ThreadCpu.kind("G1 Conc#0"));
        assertEquals(Kind.GC, ThreadCpu.kind("VM Thread"));
        assertEquals(Kind.DRIVER, ThreadCpu.kind("java"));
        assertEquals(Kind.DRIVER, ThreadCpu.kind("empathy-job-1"));
        assertEquals(Kind.DRIVER, ThreadCpu.kind("ForkJoinPool.co"));
        assertEquals(Kind.OTHER, ThreadCpu.kind("dag-scheduler-e"));
        assertEquals(Kind.OTHER, ThreadCpu.kind("javaagent"));
    }

    @Test
    void kindsAddUpToTheProcessTotalWithEndedThreadsKeptAndTheRestUnderOther() throws IOException {
        thread(10, "Executor task l", 300, 20);
        thread(11, "Executor task l", 150, 30);
        thread(12, "C2 CompilerThre", 90, 10);
        thread(13, "GC Thread#0", 40, 0);
        thread(14, "empathy-job-1", 25, 5);
        thread(15, "dag-scheduler-e", 7, 3);
        process(700, 100);
        ThreadCpu cpu = new ThreadCpu(proc);
        cpu.poll();

        // Later: task 11 ran on and ended (its last reading stays), a new task thread started,
        // and the process's total grew by what every thread added, ended ones included.
        Files.delete(proc.resolve("task/11/stat"));
        Files.delete(proc.resolve("task/11"));
        thread(10, "Executor task l", 400, 20);
        thread(16, "Executor task l", 60, 0);
        process(950, 110);
        cpu.poll();

        Map<Kind, Double> s = cpu.seconds();
        // ticks: tasks 420 + 180 + 60, JIT 100, GC 40, driver 30; the process 1,060.
        assertEquals(6.6, s.get(Kind.TASKS), 1e-12);
        assertEquals(1.0, s.get(Kind.JIT), 1e-12);
        assertEquals(0.4, s.get(Kind.GC), 1e-12);
        assertEquals(0.3, s.get(Kind.DRIVER), 1e-12);
        // 1,060 - 830 named: the scheduler's 10 and the 220 that no named reading holds.
        assertEquals(2.3, s.get(Kind.OTHER), 1e-12);
        assertEquals(10.6, cpu.totalSeconds(), 1e-12);
        assertEquals("1,060 s: executor tasks 660 s (62%), JIT compilers 100 s (9%), garbage collector 40 s (4%), "
                        + "driver 30 s (3%), other 230 s (22%)",
                ThreadCpu.line(1060, Map.of(Kind.TASKS, 660.0, Kind.JIT, 100.0, Kind.GC, 40.0, Kind.DRIVER, 30.0,
                        Kind.OTHER, 230.0)));
    }

    @Test
    void aProcessThatHasEndedOrNoProcFolderLeavesTheReadingsAsTheyWere() throws IOException {
        ThreadCpu none = new ThreadCpu(proc.resolve("no-such-process"));
        none.poll();
        assertEquals(0.0, none.totalSeconds());
        assertEquals(0.0, none.seconds().get(Kind.TASKS));

        thread(10, "Executor task l", 100, 0);
        process(150, 0);
        ThreadCpu cpu = new ThreadCpu(proc);
        cpu.poll();
        Files.delete(proc.resolve("stat"));
        cpu.poll();
        assertEquals(1.5, cpu.totalSeconds(), 1e-12);
        assertEquals(1.0, cpu.seconds().get(Kind.TASKS), 1e-12);
    }
}
