package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.empathy.jobs.run.RunFolder;
import dev.empathy.jobs.store.LocalS3;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nightly on the remote stores, each compared with one nightly between local folders on the same
 * generated input (3,000 interactions, made and run once for the class):
 * <ul>
 *   <li>HDFS: a NameNode and a DataNode of {@code hadoop-client-minicluster} in this JVM, input read
 *   from {@code hdfs://}, the run written to {@code hdfs://} (published by rename);</li>
 *   <li>S3: {@code s3a://} against a local S3 server ({@link LocalS3}, s3rver), the s3a settings given
 *   as the user gives them ({@code --conf spark.hadoop.fs.s3a.*}); the run published by copy with its
 *   {@code _SUCCESS} marker, and {@code fit --data s3a://...} reading a table of the run (and
 *   refusing it once the marker is gone).</li>
 * </ul>
 * Every report file is byte-identical to the local run's, and the manifests list the same files
 * and row counts.
 */
class RemoteStoresIT {

    private static final String RUN_DATE = "2026-01-31";

    @TempDir
    static Path dir;
    static MiniDFSCluster cluster;
    static FileSystem hdfs;
    static String root;
    static Path data;
    static Path localRun;
    static MainIT.Outcome local;
    static double generateSeconds;
    static double localSeconds;

    @BeforeAll
    static void generateAndRunLocally() throws IOException {
        MainIT.session();
        long began = System.nanoTime();
        data = dir.resolve("data");
        MainIT.Outcome g = MainIT.run("generate", "--interactions", "3000", "--output", data.toString());
        assertEquals(0, g.code(), g.err());
        long generated = System.nanoTime();
        local = MainIT.run("nightly", "--input", data.toString(), "--output", dir.resolve("runs").toString(),
                "--run-date", RUN_DATE);
        assertTrue(local.code() == 0 || local.code() == 4, local.err());
        localRun = dir.resolve("runs").resolve(RUN_DATE).toRealPath();
        generateSeconds = (generated - began) / 1e9;
        localSeconds = (System.nanoTime() - generated) / 1e9;
        System.err.printf(Locale.ROOT, "RemoteStoresIT: generate %.1f s, local nightly %.1f s%n", generateSeconds,
                localSeconds);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void nightlyOnHdfsWritesTheSameFilesAsBetweenLocalFolders() throws Exception {
        long began = System.nanoTime();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = hdfs.getUri().toString();
        // The generator writes locally: copy its tables to HDFS with the FileSystem API.
        hdfs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(data.toUri()),
                new org.apache.hadoop.fs.Path(root + "/input"));
        long copied = System.nanoTime();
        MainIT.Outcome remote = MainIT.run("nightly", "--input", root + "/input", "--output", root + "/runs",
                "--run-date", RUN_DATE);
        long done = System.nanoTime();
        assertEquals(local.code(), remote.code(), remote.err());
        org.apache.hadoop.fs.Path remoteRun = new org.apache.hadoop.fs.Path(root + "/runs/" + RUN_DATE);
        assertTrue(hdfs.getFileStatus(remoteRun).isDirectory(), "the run is a folder on HDFS");
        int compared = assertSameRun(hdfs, remoteRun, false);
        System.err.printf(Locale.ROOT, "RemoteStoresIT: HDFS: %d files byte-identical; MiniDFSCluster up and input "
                        + "copied %.1f s, HDFS nightly %.1f s, compared %.1f s%n", compared, (copied - began) / 1e9,
                (done - copied) / 1e9, (System.nanoTime() - done) / 1e9);
    }

    @Test
    void nightlyOnS3WritesTheSameFilesWithItsSuccessMarkerAndFitReadsATableOfTheRun() throws Exception {
        long began = System.nanoTime();
        try (LocalS3 s3 = LocalS3.start(dir.resolve("s3"))) {
            Configuration conf = s3.configuration();
            org.apache.hadoop.fs.Path input = new org.apache.hadoop.fs.Path(s3.uri("input"));
            FileSystem fs = input.getFileSystem(conf);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(data.toUri()), input);
            long copied = System.nanoTime();

            // The s3a settings reach the run as a user passes them: --conf spark.hadoop.<name>=<value>.
            List<String> settings = new ArrayList<>();
            for (Map.Entry<String, String> e : s3.settings().entrySet()) {
                settings.add("--conf");
                settings.add("spark.hadoop." + e.getKey() + "=" + e.getValue());
            }
            List<String> nightly = new ArrayList<>(List.of("nightly", "--input", s3.uri("input"), "--output",
                    s3.uri("runs"), "--run-date", RUN_DATE));
            nightly.addAll(settings);
            MainIT.Outcome remote = MainIT.run(nightly.toArray(String[]::new));
            long done = System.nanoTime();
            assertEquals(local.code(), remote.code(), remote.err() + "\ns3rver said:\n" + tail(s3.logText()));

            org.apache.hadoop.fs.Path remoteRun = new org.apache.hadoop.fs.Path(s3.uri("runs/" + RUN_DATE));
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(remoteRun, RunFolder.SUCCESS)),
                    "a run published by copy has its _SUCCESS marker");
            int compared = assertSameRun(fs, remoteRun, true);
            // The settings (an endpoint, a key pair) are never written into the run's files.
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(remoteRun, true);
            while (files.hasNext()) {
                org.apache.hadoop.fs.Path f = files.next().getPath();
                String text;
                try (InputStream in = fs.open(f)) {
                    text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                }
                for (String value : List.of(s3.endpoint(), "S3RVER")) {
                    assertFalse(text.contains(value), f + " holds the setting " + value);
                }
            }
            TreeSet<String> left = new TreeSet<>();
            for (var status : fs.listStatus(new org.apache.hadoop.fs.Path(s3.uri("runs")))) {
                left.add(status.getPath().getName());
            }
            assertEquals(new TreeSet<>(List.of(RUN_DATE)), left, "no staging prefix left beside the run");
            long comparedAt = System.nanoTime();

            // fit --data s3a://... on a Parquet table of the S3 run gives the same bytes as on the local run's.
            String table = "fatigue/shift_load";
            assertTrue(Files.isDirectory(localRun.resolve(table)), "the local run wrote " + table);
            List<String> fit = List.of("fit", "--formula", "hostile_minutes ~ contacts + shift_hours", "--output");
            MainIT.Outcome localFit = MainIT.run(args(fit, List.of(dir.resolve("fit-local").toString(), "--data",
                    localRun.resolve(table).toString())));
            assertEquals(0, localFit.code(), localFit.err());
            MainIT.Outcome s3Fit = MainIT.run(args(fit, List.of(dir.resolve("fit-s3").toString(), "--data",
                    s3.uri("runs/" + RUN_DATE + "/" + table)), settings));
            assertEquals(0, s3Fit.code(), s3Fit.err());
            for (String f : List.of("coefficients.csv", "fit.csv")) {
                assertArrayEquals(Files.readAllBytes(dir.resolve("fit-local").resolve(f)),
                        Files.readAllBytes(dir.resolve("fit-s3").resolve(f)), f);
            }

            // Without its marker (a publish that did not finish) the run is refused, naming the rule.
            assertTrue(fs.delete(new org.apache.hadoop.fs.Path(remoteRun, RunFolder.SUCCESS), false));
            MainIT.Outcome refused = MainIT.run(args(fit, List.of(dir.resolve("fit-refused").toString(),
                    "--data", s3.uri("runs/" + RUN_DATE + "/" + table)), settings));
            assertEquals(2, refused.code(), refused.err());
            assertTrue(refused.err().contains("_SUCCESS"), refused.err());
            assertFalse(Files.exists(dir.resolve("fit-refused")), "a refused fit writes nothing");
            System.err.printf(Locale.ROOT, "RemoteStoresIT: S3: %d files byte-identical; s3rver up and input copied "
                            + "%.1f s, S3 nightly %.1f s, compared %.1f s, fits %.1f s%n", compared,
                    (copied - began) / 1e9, (done - copied) / 1e9, (comparedAt - done) / 1e9,
                    (System.nanoTime() - comparedAt) / 1e9);
        }
    }

    @SafeVarargs
    private static String[] args(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all.toArray(String[]::new);
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    /**
     * The run at {@code remoteRun} against the local one: the manifests list the same files, rows and
     * job statuses, the same files are there (Spark's part files by name pattern, {@code _SUCCESS} only
     * where {@code withSuccess}), and every other file is byte-identical. Returns the files compared.
     */
    private static int assertSameRun(FileSystem fs, org.apache.hadoop.fs.Path remoteRun, boolean withSuccess)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode localManifest = json.readTree(localRun.resolve("manifest.json").toFile());
        JsonNode remoteManifest;
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(remoteRun, "manifest.json"))) {
            remoteManifest = json.readTree(in);
        }
        assertEquals(listed(localManifest), listed(remoteManifest), "the manifests list the same files");
        assertEquals(localManifest.get("tables"), remoteManifest.get("tables"), "the same rows read, used, rejected");
        List<String> localStatus = new ArrayList<>();
        List<String> remoteStatus = new ArrayList<>();
        localManifest.get("jobs").forEach(j -> localStatus.add(j.get("name") + " " + j.get("status")));
        remoteManifest.get("jobs").forEach(j -> remoteStatus.add(j.get("name") + " " + j.get("status")));
        assertEquals(localStatus, remoteStatus);

        TreeSet<String> remoteFiles = new TreeSet<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(remoteRun, true);
        String prefix = fs.makeQualified(remoteRun).toUri().getPath() + "/";
        while (it.hasNext()) {
            remoteFiles.add(it.next().getPath().toUri().getPath().substring(prefix.length()));
        }
        assertEquals(withSuccess, remoteFiles.remove(RunFolder.SUCCESS), "_SUCCESS in the run folder");
        TreeSet<String> localFiles = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(localRun)) {
            walk.filter(Files::isRegularFile).map(p -> localRun.relativize(p).toString()).forEach(localFiles::add);
        }
        assertEquals(normalized(localFiles), normalized(remoteFiles), "the same files");
        int compared = 0;
        for (String f : localFiles) {
            // Spark's own part files (uuid names, Parquet writer ids; model_frame's pseudonyms are keyed
            // afresh on every run) are compared by name pattern only, as between two local runs.
            if (f.equals("manifest.json") || f.contains("/part-") || f.contains("/.") || f.contains("/_")) {
                continue;
            }
            byte[] remoteBytes;
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(remoteRun, f))) {
                remoteBytes = in.readAllBytes();
            }
            assertArrayEquals(Files.readAllBytes(localRun.resolve(f)), remoteBytes, f);
            compared++;
        }
        assertTrue(compared > 20, "compared " + compared + " files");
        return compared;
    }

    /** Part file names without Spark's random job ids, and without the local file system's .crc files. */
    private static TreeSet<String> normalized(java.util.Collection<String> files) {
        return new TreeSet<>(PartNames.withoutJobIds(files));
    }

    private static TreeSet<String> listed(JsonNode manifest) {
        List<String> files = new ArrayList<>();
        manifest.get("files").forEach(f -> files.add(f.asText()));
        return normalized(files);
    }
}
