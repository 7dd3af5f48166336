package dev.empathy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Nightly on a real HDFS (a NameNode and a DataNode of {@code hadoop-client-minicluster}, in this
 * JVM): input read from {@code hdfs://}, the run written to {@code hdfs://}; its report files are
 * byte-identical to the same nightly between local folders, and its manifest lists the same files.
 */
class HdfsNightlyIT {

    @TempDir
    static Path dir;
    static MiniDFSCluster cluster;
    static FileSystem hdfs;
    static String root;

    @BeforeAll
    static void start() throws IOException {
        MainIT.session();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = hdfs.getUri().toString();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    /** Part file names without Spark's random job ids, and without the local file system's .crc files. */
    private static TreeSet<String> normalized(java.util.Collection<String> files) {
        TreeSet<String> out = new TreeSet<>();
        for (String f : files) {
            if (!f.endsWith(".crc")) {
                out.add(f.replaceAll("part-(\\d+)-[0-9a-f-]{36}-c(\\d+)", "part-$1-UUID-c$2"));
            }
        }
        return out;
    }

    private static TreeSet<String> listed(JsonNode manifest) {
        List<String> files = new ArrayList<>();
        manifest.get("files").forEach(f -> files.add(f.asText()));
        return normalized(files);
    }

    @Test
    void nightlyOnHdfsWritesTheSameFilesAsBetweenLocalFolders() throws Exception {
        long began = System.nanoTime();
        Path data = dir.resolve("data");
        MainIT.Outcome g = MainIT.run("generate", "--interactions", "3000", "--output", data.toString());
        assertEquals(0, g.code(), g.err());
        // The generator writes locally: copy its tables to HDFS with the FileSystem API.
        hdfs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(data.toUri()),
                new org.apache.hadoop.fs.Path(root + "/input"));

        MainIT.Outcome local = MainIT.run("nightly", "--input", data.toString(), "--output",
                dir.resolve("runs").toString(), "--run-date", "2026-01-31");
        long localDone = System.nanoTime();
        MainIT.Outcome remote = MainIT.run("nightly", "--input", root + "/input", "--output", root + "/runs",
                "--run-date", "2026-01-31");
        long remoteDone = System.nanoTime();
        assertTrue(local.code() == 0 || local.code() == 4, local.err());
        assertEquals(local.code(), remote.code(), remote.err());

        Path localRun = dir.resolve("runs/2026-01-31").toRealPath();
        org.apache.hadoop.fs.Path remoteRun = new org.apache.hadoop.fs.Path(root + "/runs/2026-01-31");
        assertTrue(hdfs.getFileStatus(remoteRun).isDirectory(), "the run is a folder on HDFS");

        ObjectMapper json = new ObjectMapper();
        JsonNode localManifest = json.readTree(localRun.resolve("manifest.json").toFile());
        JsonNode remoteManifest;
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(remoteRun, "manifest.json"))) {
            remoteManifest = json.readTree(in);
        }
        assertEquals(listed(localManifest), listed(remoteManifest), "the manifests list the same files");
        assertEquals(localManifest.get("tables"), remoteManifest.get("tables"), "the same rows read, used, rejected");
        List<String> localStatus = new ArrayList<>();
        List<String> remoteStatus = new ArrayList<>();
        localManifest.get("jobs").forEach(j -> localStatus.add(j.get("name") + " " + j.get("status")));
        remoteManifest.get("jobs").forEach(j -> remoteStatus.add(j.get("name") + " " + j.get("status")));
        assertEquals(localStatus, remoteStatus);

        // Every file of the report (Spark's Parquet parts aside, whose bytes carry writer ids) is byte-identical.
        TreeSet<String> remoteFiles = new TreeSet<>();
        RemoteIterator<LocatedFileStatus> it = hdfs.listFiles(remoteRun, true);
        String prefix = hdfs.makeQualified(remoteRun).toUri().getPath() + "/";
        while (it.hasNext()) {
            remoteFiles.add(it.next().getPath().toUri().getPath().substring(prefix.length()));
        }
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
            try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(remoteRun, f))) {
                remoteBytes = in.readAllBytes();
            }
            assertArrayEquals(Files.readAllBytes(localRun.resolve(f)), remoteBytes, f);
            compared++;
        }
        assertTrue(compared > 20, "compared " + compared + " files");
        System.err.printf(Locale.ROOT, "HdfsNightlyIT: %d files byte-identical; local nightly %.1f s, HDFS nightly "
                        + "%.1f s, whole test %.1f s%n", compared, (localDone - began) / 1e9,
                (remoteDone - localDone) / 1e9, (System.nanoTime() - began) / 1e9);
    }
}
