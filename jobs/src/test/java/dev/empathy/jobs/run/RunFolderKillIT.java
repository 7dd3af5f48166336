package dev.empathy.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.empathy.jobs.store.LocalS3;
import dev.empathy.jobs.store.Location;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a publishing JVM ({@link PublishChild}) with SIGKILL ({@link Process#destroyForcibly()})
 * at each step of {@link RunFolder#commit()}: afterwards the run folder is a whole run, the
 * previous one or the new one, never half of one and never absent (but in the documented
 * two-rename window, which the next {@link RunFolder#open} undoes).
 */
class RunFolderKillIT {

    private static final String COPY_ONLY = "fs.copyonly.impl";

    @Test
    void aKillAtAnyStepOfALocalPublishLeavesAWholeRun(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("2026-01-31");
        publish(target, "v1", null);
        assertWholeRun(target, "v1");
        for (String step : List.of("staged", "renamed", "linked")) {
            killAt(target, "v2-" + step, null, step);
            assertWholeRun(target, "v1");
        }
        killAt(target, "v2-swapped", null, "swapped");
        assertWholeRun(target, "v2-swapped");
        publish(target, "v3", null);
        assertWholeRun(target, "v3");
        assertTrue(Files.isSymbolicLink(target), "a local run folder is a link to the published folder");
    }

    @Test
    void aKillBetweenTheTwoRenamesLeavesNoHalfRunAndTheNextOpenPutsThePreviousBack(@TempDir Path dir)
            throws Exception {
        Path target = dir.resolve("data");
        publish(target, "v1", "RENAME");
        assertFalse(Files.isSymbolicLink(target), "published by rename: a real folder");
        killAt(target, "v2", "RENAME", "aside");
        assertFalse(Files.exists(target), "between the two renames there is no folder, never half of one");
        RunFolder.open(target).close();
        assertWholeRun(target, "v1");
        publish(target, "v3", "RENAME");
        assertWholeRun(target, "v3");
    }

    @Test
    void aRunFolderOfBeforeRunsWereLinksIsMovedAsideOnceAndRestoredAfterAKill(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("2026-01-31");
        publish(target, "v1", "RENAME");
        killAt(target, "v2", null, "aside");
        RunFolder.open(target).close();
        assertWholeRun(target, "v1");
        publish(target, "v3", null);
        assertWholeRun(target, "v3");
        assertTrue(Files.isSymbolicLink(target));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(".2026-01-31.run-", "2026-01-31"), siblings
                    .map(p -> p.getFileName().toString().replaceAll("run-.*", "run-")).sorted().toList(),
                    "the folder of before is deleted once the link is in place");
        }
    }

    @Test
    void onHdfsAKillLeavesAWholeRunOrNoneAndTheNextOpenPutsThePreviousBack(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String target = cluster.getFileSystem().getUri() + "/runs/2026-01-31";
            Location at = Location.of(target, cluster.getConfiguration(0));
            assertEquals(RunFolder.Publish.RENAME, RunFolder.Publish.of(at));
            publish(target, "v1", null);
            assertWholeRun(at, "v1");
            killAt(target, "v2-staged", null, "staged");
            assertWholeRun(at, "v1");
            killAt(target, "v2-aside", null, "aside");
            assertFalse(at.exists(), "between the two renames there is no folder, never half of one");
            RunFolder.open(at).close();
            assertWholeRun(at, "v1");
            killAt(target, "v2-swapped", null, "swapped");
            assertWholeRun(at, "v2-swapped");
            publish(target, "v3", null);
            assertWholeRun(at, "v3");
        } finally {
            cluster.shutdown();
        }
    }

    @Test
    void onAStoreWithoutRenameAReaderTakesARunOnlyWithItsSuccessMarker(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(COPY_ONLY, CopyOnlyFileSystem.class.getName());
        String target = "copyonly://" + dir.resolve("runs/2026-01-31").toUri().getPath();
        Location at = Location.of(target, conf);
        assertEquals(RunFolder.Publish.COPY, RunFolder.Publish.of(at));
        publish(target, "v1", null);
        assertWholeRun(at, "v1");
        RunFolder.requireComplete(at);
        for (String step : List.of("aside", "copying", "copied")) {
            killAt(target, "v2-" + step, null, step);
            assertThrows(IllegalArgumentException.class, () -> RunFolder.requireComplete(at),
                    "killed at " + step + ": no _SUCCESS, the reader refuses the folder");
        }
        publish(target, "v3", null);
        assertWholeRun(at, "v3");
        RunFolder.requireComplete(at);
    }

    /**
     * The same on a real object store: s3a against a local S3 server ({@link LocalS3}). A publish killed
     * in the middle of the copy (the manifest copied, the other files not all) leaves no {@code _SUCCESS},
     * and the reader refuses the folder; the next publish puts a whole run there.
     */
    @Test
    void onS3AKillDuringTheCopyLeavesNoSuccessMarkerAndTheReaderRefusesTheRun(@TempDir Path dir) throws Exception {
        try (LocalS3 s3 = LocalS3.start(dir)) {
            Map<String, String> settings = s3.settings();
            String target = s3.uri("runs/2026-01-31");
            Location at = Location.of(target, s3.configuration());
            assertEquals(RunFolder.Publish.COPY, RunFolder.Publish.of(at));
            publishWith(target, "v1", settings);
            assertWholeRun(at, "v1");
            RunFolder.requireComplete(at);
            // One kill, in the middle of the copy: each child JVM loads the AWS SDK (15 to 20 s on a loaded
            // machine), and the other steps run the same code as on the copy-only store above.
            killAtWith(target, "v2-copying", "copying", settings);
            assertTrue(at.resolve(RunFolder.MANIFEST).exists(), "the manifest is copied first");
            assertFalse(at.resolve(RunFolder.SUCCESS).exists(), "killed in the copy: no _SUCCESS");
            assertTrue(at.files().size() < PublishChild.FILES.size() + 1, "killed in the copy: " + at.files());
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> RunFolder.requireComplete(at), "killed in the copy: the reader refuses the folder");
            assertTrue(refused.getMessage().contains("_SUCCESS"), refused.getMessage());
            publishWith(target, "v3", settings);
            assertWholeRun(at, "v3");
            RunFolder.requireComplete(at);
        }
    }

    /** Runs the child to the end. */
    static void publish(Path target, String label, String publish) throws Exception {
        publish(target.toString(), label, publish);
    }

    static void publish(String target, String label, String publish) throws Exception {
        publish(target, label, publish, Map.of());
    }

    static void publishWith(String target, String label, Map<String, String> settings) throws Exception {
        publish(target, label, null, settings);
    }

    private static void publish(String target, String label, String publish, Map<String, String> settings)
            throws Exception {
        Process p = child(target, label, publish, null, settings);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not end");
        assertEquals(0, p.exitValue(), out);
    }

    /** Starts the child paused at {@code step}, waits for it to say so, and kills it with SIGKILL. */
    static void killAt(Path target, String label, String publish, String step) throws Exception {
        killAt(target.toString(), label, publish, step);
    }

    static void killAt(String target, String label, String publish, String step) throws Exception {
        killAt(target, label, publish, step, Map.of());
    }

    static void killAtWith(String target, String label, String step, Map<String, String> settings) throws Exception {
        killAt(target, label, null, step, settings);
    }

    private static void killAt(String target, String label, String publish, String step,
                               Map<String, String> settings) throws Exception {
        Process p = child(target, label, publish, step, settings);
        List<String> seen = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                seen.add(line);
                if (line.equals("empathy: publish paused at " + step)) {
                    p.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child not killed");
        assertEquals(137, p.exitValue(), "killed by SIGKILL at " + step + "; child said " + seen);
    }

    /** A {@link PublishChild}; {@code settings} are Hadoop settings ({@code fs.*}) passed as system properties. */
    static Process child(String target, String label, String publish, String pauseAt, Map<String, String> settings)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (pauseAt != null) {
            command.add("-D" + RunFolder.PAUSE_PROPERTY + "=" + pauseAt);
        }
        command.add("-D" + COPY_ONLY + "=" + CopyOnlyFileSystem.class.getName());
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of(PublishChild.class.getName(), target, label));
        if (publish != null) {
            command.add(publish);
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** {@link #assertWholeRun(Path, String)} on any store. */
    static void assertWholeRun(Location target, String label) throws IOException {
        Map<String, Object> manifest;
        try (var in = target.fs().open(target.resolve("manifest.json").hadoopPath())) {
            manifest = Manifest.mapper().readValue(in, new TypeReference<Map<String, Object>>() { });
        }
        assertEquals(label, manifest.get("label"));
        assertEquals(PublishChild.FILES, manifest.get("files"));
        List<String> expected = new ArrayList<>(PublishChild.FILES);
        expected.add("manifest.json");
        if (RunFolder.Publish.of(target) == RunFolder.Publish.COPY) {
            expected.add(RunFolder.SUCCESS);
        }
        expected.sort(null);
        assertEquals(expected, target.files());
        for (String f : PublishChild.FILES) {
            try (var in = target.fs().open(target.resolve(f).hadoopPath())) {
                assertEquals(label + "\n", new String(in.readAllBytes(), StandardCharsets.UTF_8), f);
            }
        }
    }

    /** The folder is one whole run labelled {@code label}: its manifest parses and lists exactly its files. */
    static void assertWholeRun(Path target, String label) throws IOException {
        Map<String, Object> manifest = Manifest.mapper().readValue(Files.readString(target.resolve("manifest.json")),
                new TypeReference<Map<String, Object>>() { });
        assertEquals(label, manifest.get("label"));
        assertEquals(PublishChild.FILES, manifest.get("files"));
        List<String> present = new ArrayList<>();
        Path root = target.toRealPath();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().forEach(present::add);
        }
        List<String> expected = new ArrayList<>(PublishChild.FILES);
        expected.add("manifest.json");
        expected.sort(null);
        assertEquals(expected, present);
        for (String f : PublishChild.FILES) {
            assertEquals(label + "\n", Files.readString(target.resolve(f)), f);
        }
    }
}
