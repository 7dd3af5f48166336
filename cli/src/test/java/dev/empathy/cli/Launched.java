package dev.empathy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The launcher script {@code ./empathy} run as a user runs it, in its own process: bash, this
 * JVM's JDK as {@code JAVA_HOME}, the given environment, and standard output and error captured
 * in files under a scratch folder. The JVM option variables the machine may set
 * ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}) are cleared unless given.
 */
final class Launched {

    private Launched() {
    }

    static MainIT.Outcome run(Path scratch, Map<String, String> env, Duration timeout, String... args)
            throws Exception {
        Path launcher = Path.of("..", "empathy").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> environment = pb.environment();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        environment.putAll(env);
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not finish in " + timeout + ": " + Files.readString(err));
        }
        return new MainIT.Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
