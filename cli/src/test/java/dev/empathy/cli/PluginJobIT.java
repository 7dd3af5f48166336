package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.run.JobProvider;
import dev.empathy.reports.io.ReportFolder;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plug-in jobs end to end, with the example project's jar (examples/plugin-job, built by the
 * reactor before cli and kept off this test's class path by the pom) in a plug-in folder beside
 * two broken plug-ins compiled here: one whose provider throws, one whose jobs take names that
 * are already taken or reserved.
 *
 * <p>Two routes, neither with the plug-in on the test class path: in this JVM through a class
 * loader over the folder ({@link Main#run(ClassLoader, PrintStream, PrintStream, String...)}, as
 * {@code -Dempathy.plugins} does), for the nightly run and the broken plug-ins; and in a child
 * JVM through the launcher script with {@code EMPATHY_PLUGINS}, for the class-path route.
 */
class PluginJobIT {

    @TempDir
    static Path dir;

    static Path data;
    static Path plugins;

    @BeforeAll
    static void setUp() throws Exception {
        dev.empathy.jobs.spark.SparkSessions.forTests();
        data = dir.resolve("data");
        MainIT.Outcome g = run(Main.class.getClassLoader(), "generate", "--output", data.toString(),
                "--interactions", "2000", "--seed", "7");
        assertEquals(0, g.code(), g.err());
        plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(Path.of(System.getProperty("empathy.example.plugin")), plugins.resolve("contact-volume.jar"));
        jar(plugins.resolve("broken-licence.jar"), "broken.LicenceProvider", """
                package broken;
                public final class LicenceProvider implements dev.empathy.jobs.run.JobProvider {
                    public java.util.List<dev.empathy.jobs.run.JobDefinition> jobs() {
                        throw new IllegalStateException("licence file missing");
                    }
                }
                """);
        jar(plugins.resolve("zz-clash.jar"), "clash.ClashProvider", """
                package clash;
                import dev.empathy.jobs.run.JobDefinition;
                import java.util.List;
                public final class ClashProvider implements dev.empathy.jobs.run.JobProvider {
                    public List<JobDefinition> jobs() {
                        return List.of(new JobDefinition("csat-effect", List.of("Another."), List.of(), v -> null),
                                new JobDefinition("contact-volume", List.of("Another."), List.of(), v -> null),
                                new JobDefinition("nightly", List.of("Another."), List.of(), v -> null));
                    }
                }
                """);
    }

    static MainIT.Outcome run(ClassLoader jobs, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(jobs, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new MainIT.Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void thePluginIsNotOnTheTestClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.example.contactvolume.ContactVolume"));
        assertFalse(run(Main.class.getClassLoader(), "--help").out().contains("contact-volume"));
    }

    @Test
    void nightlyRunsThePluginJobAfterTheBuiltInOnesAndReportsTheBrokenPlugins() throws Exception {
        ClassLoader loader = PluginFolder.loader(plugins, Main.class.getClassLoader());
        Path out = dir.resolve("runs");
        MainIT.Outcome n = run(loader, "nightly", "--input", data.toString(), "--output", out.toString(),
                "--run-date", "2026-01-31", "--master", "local[2]", "--option", "contact-volume.period=month");
        assertEquals(0, n.code(), n.err());
        assertTrue(n.err().contains("empathy: plug-in broken-licence.jar (broken.LicenceProvider): its provider "
                + "failed, no job added: IllegalStateException: licence file missing"), n.err());
        assertTrue(n.err().contains("empathy: plug-in zz-clash.jar (clash.ClashProvider): job csat-effect was left "
                + "out: the name is taken by the built-in job csat-effect"), n.err());
        assertTrue(n.err().contains("empathy: plug-in zz-clash.jar (clash.ClashProvider): job contact-volume was "
                + "left out: the name is taken by the job of contact-volume.jar"), n.err());
        assertTrue(n.err().contains("job nightly was left out: the name is one of the runner's own"), n.err());

        Path run = out.resolve("2026-01-31");
        JsonNode manifest = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
        assertEquals("succeeded", manifest.get("status").asText());
        JsonNode jobs = manifest.get("jobs");
        List<String> names = new ArrayList<>();
        jobs.forEach(j -> names.add(j.get("name").asText()));
        List<String> expected = new ArrayList<>(List.of("validate"));
        dev.empathy.jobs.Jobs.ALL.forEach(d -> expected.add(d.name()));
        expected.add("contact-volume");
        assertEquals(expected, names, "the plug-in's job runs after the built-in ones");
        JsonNode volume = jobs.get(jobs.size() - 1);
        assertEquals("succeeded", volume.get("status").asText(), volume.toString());
        assertEquals("month", volume.get("options").get("period").asText());
        long used = manifest.get("tables").get("interactions").get("rows_used").asLong();
        assertEquals(used, volume.get("details").get("contacts").asLong(), "every used interaction is counted");

        JsonNode found = manifest.get("plugins");
        assertEquals(3, found.size(), found.toString());
        assertEquals("broken-licence.jar", found.get(0).get("source").asText());
        assertTrue(found.get(0).get("problems").get(0).asText().contains("licence file missing"));
        assertEquals("contact-volume.jar", found.get(1).get("source").asText());
        assertEquals("[\"contact-volume\"]", found.get(1).get("jobs").toString());
        assertFalse(found.get(1).has("problems"));
        assertEquals(3, found.get(2).get("problems").size());

        assertTrue(Files.isRegularFile(run.resolve("contact-volume/summary.md")));
        List<String> csv = Files.readAllLines(run.resolve("contact-volume/volume.csv"));
        assertEquals("period_start,channel,contacts", csv.get(0));
        assertEquals(used, csv.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1)))
                .sum());
        assertTrue(csv.stream().skip(1).allMatch(l -> l.matches("\\d{4}-\\d{2}-01,.*")), "months start on the 1st");
        assertTrue(manifest.get("files").toString().contains("contact-volume/volume.csv"));
    }

    @Test
    void thePluginJobIsACommandWithItsOptions() {
        ClassLoader loader = PluginFolder.loader(plugins, Main.class.getClassLoader());
        MainIT.Outcome help = run(loader, "contact-volume", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: empathy contact-volume"), help.out());
        assertTrue(help.out().contains("--period=PERIOD") && help.out().contains("(default: week)"), help.out());
        MainIT.Outcome bad = run(loader, "contact-volume", "--period", "day");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--period: must be week or month, got 'day'"), bad.err());
        assertTrue(bad.err().contains("Try 'empathy contact-volume --help'"), bad.err());
    }

    /** The class-path route: the launcher puts $EMPATHY_PLUGINS/*.jar beside the runner's jar. */
    @Test
    void theLauncherPutsThePluginFolderOnTheClassPath() throws Exception {
        Path only = Files.createDirectories(dir.resolve("launcher-plugins"));
        Files.copy(plugins.resolve("contact-volume.jar"), only.resolve("contact-volume.jar"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        MainIT.Outcome help = launch(only, "contact-volume", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: empathy contact-volume"), help.out());

        Path out = dir.resolve("launched");
        MainIT.Outcome n = launch(only, "contact-volume", "--input", data.toString(), "--output", out.toString(),
                "--master", "local[1]");
        assertEquals(0, n.code(), n.err());
        assertTrue(Files.isRegularFile(out.resolve("contact-volume/volume.csv")), n.err());
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"name\" : \"contact-volume\""));

        MainIT.Outcome none = launch(dir.resolve("no-such-folder"), "--help");
        assertEquals(0, none.code(), none.err());
        assertFalse(none.out().contains("contact-volume"), "no plug-ins: java -jar as before");
    }

    private static MainIT.Outcome launch(Path pluginFolder, String... args) throws Exception {
        return Launched.run(dir, Map.of("EMPATHY_PLUGINS", pluginFolder.toString(), "EMPATHY_JAVA_OPTS", "-Xmx1g"),
                Duration.ofMinutes(5), args);
    }

    /** Compiles {@code source} against the runner's jobs API and jars it with its services file. */
    private static void jar(Path jar, String className, String source) throws IOException {
        Path src = Files.createTempDirectory(dir, "src");
        Path classes = Files.createTempDirectory(dir, "classes");
        Path file = src.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        String classPath = String.join(File.pathSeparator, location(JobProvider.class), location(ReportFolder.class),
                location(SparkSession.class));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, null, System.err, "-proc:none", "-d", classes.toString(), "-cp", classPath,
                file.toString());
        assertEquals(0, code, "compiling " + className);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path c : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace(File.separatorChar, '/')));
                Files.copy(c, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + JobProvider.class.getName()));
            out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
