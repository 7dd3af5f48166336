package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of garbage collector: the Parallel collector unless
 * {@code EMPATHY_JAVA_OPTS} (or {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}) names one, in
 * which case that one runs (two collectors would stop the JVM before it starts). The JVM says which collector it uses with
 * {@code -Xlog:gc}, on standard output, before the runner prints its version.
 */
class LauncherIT {

    @TempDir
    static Path dir;

    @Test
    void theParallelCollectorByDefault() throws Exception {
        Outcome o = launch("-Xlog:gc");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Using Parallel"), o.out());
        assertTrue(o.out().contains("empathy"), "the runner still prints its version: " + o.out());
    }

    @Test
    void aCollectorNamedByTheUserReplacesIt() throws Exception {
        for (String collector : List.of("-XX:+UseG1GC", "-XX:+UseSerialGC")) {
            Outcome o = launch(collector + " -Xlog:gc");
            assertEquals(0, o.code(), collector + ": " + o.err());
            assertFalse(o.out().contains("Using Parallel"), collector + ": " + o.out());
            String expected = collector.equals("-XX:+UseG1GC") ? "Using G1" : "Using Serial";
            assertTrue(o.out().contains(expected), collector + ": " + o.out());
        }
    }

    /** The JVM also reads JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS: a collector named there is the user's too. */
    @Test
    void aCollectorInTheJvmsOwnVariablesReplacesIt() throws Exception {
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            Outcome o = launch("-Xlog:gc", Map.of(variable, "-XX:+UseSerialGC"));
            assertEquals(0, o.code(), variable + ": " + o.out() + o.err());
            assertTrue(o.out().contains("Using Serial"), variable + ": " + o.out());
        }
    }

    @Test
    void turningACollectorOffIsNotNamingOne() throws Exception {
        Outcome o = launch("-XX:-UseG1GC -Xlog:gc");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Using Parallel"), o.out());
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome launch(String javaOpts) throws Exception {
        return launch(javaOpts, Map.of());
    }

    private static Outcome launch(String javaOpts, Map<String, String> more) throws Exception {
        Path launcher = Path.of("..", "empathy").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--version");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("EMPATHY_JAVA_OPTS", javaOpts);
        pb.environment().put("EMPATHY_PLUGINS", dir.resolve("no-plugins").toString());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().putAll(more);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish in 2 minutes: " + Files.readString(err));
        }
        return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
