package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of garbage collector: the Parallel collector unless
 * {@code EMPATHY_JAVA_OPTS} (or {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}) names one, in
 * which case that one runs (two collectors would stop the JVM before it starts). The JVM says
 * which collector it uses with {@code -Xlog:gc}, on standard output, before the runner prints
 * its version.
 */
class LauncherIT {

    @TempDir
    static Path dir;

    @Test
    void theParallelCollectorByDefault() throws Exception {
        MainIT.Outcome o = launch("-Xlog:gc");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Using Parallel"), o.out());
        assertTrue(o.out().contains("empathy"), "the runner still prints its version: " + o.out());
    }

    @Test
    void aCollectorNamedByTheUserReplacesIt() throws Exception {
        for (String collector : List.of("-XX:+UseG1GC", "-XX:+UseSerialGC")) {
            MainIT.Outcome o = launch(collector + " -Xlog:gc");
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
            MainIT.Outcome o = launch("-Xlog:gc", Map.of(variable, "-XX:+UseSerialGC"));
            assertEquals(0, o.code(), variable + ": " + o.out() + o.err());
            assertTrue(o.out().contains("Using Serial"), variable + ": " + o.out());
        }
    }

    @Test
    void turningACollectorOffIsNotNamingOne() throws Exception {
        MainIT.Outcome o = launch("-XX:-UseG1GC -Xlog:gc");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Using Parallel"), o.out());
    }

    private static MainIT.Outcome launch(String javaOpts) throws Exception {
        return launch(javaOpts, Map.of());
    }

    private static MainIT.Outcome launch(String javaOpts, Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>(more);
        env.put("EMPATHY_JAVA_OPTS", javaOpts);
        env.put("EMPATHY_PLUGINS", dir.resolve("no-plugins").toString());
        return Launched.run(dir, env, Duration.ofMinutes(2), "--version");
    }
}
