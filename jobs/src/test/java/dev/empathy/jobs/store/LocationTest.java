package dev.empathy.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.empathy.jobs.run.RunFolder;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** What a path or URI given on the command line names, and how its store publishes a run. */
class LocationTest {

    private final Configuration conf = new Configuration();

    @Test
    void aPlainPathStaysLocalAndIsShownAsGiven() {
        Location l = Location.of("runs/2026-01-31", conf);
        assertTrue(l.isLocal());
        assertEquals("runs/2026-01-31", l.toString());
        assertEquals(Path.of("runs/2026-01-31"), l.localPath());
        assertEquals("runs/2026-01-31/sentiment", l.resolve("sentiment").forSpark());
        assertEquals(RunFolder.Publish.LINK, RunFolder.Publish.of(l));
    }

    @Test
    void aFileUriIsALocalPath() {
        Location l = Location.of("file:///tmp/in", conf);
        assertTrue(l.isLocal());
        assertEquals(Path.of("/tmp/in"), l.localPath());
    }

    @Test
    void hdfsAndS3aGoThroughHadoopAndPublishByRenameOrCopy() {
        Location hdfs = Location.of("hdfs://namenode:8020/empathy/runs", conf);
        assertFalse(hdfs.isLocal());
        assertEquals("hdfs", hdfs.scheme());
        assertEquals("hdfs://namenode:8020/empathy/runs/2026-01-31", hdfs.resolve("2026-01-31").forSpark());
        assertEquals("runs", hdfs.name());
        assertEquals("hdfs://namenode:8020/empathy", hdfs.parent().forSpark());
        assertEquals(RunFolder.Publish.RENAME, RunFolder.Publish.of(hdfs));

        Location s3 = Location.of("s3a://bucket/empathy/runs", conf);
        assertEquals("s3a", s3.scheme());
        assertEquals(RunFolder.Publish.COPY, RunFolder.Publish.of(s3));
    }

    @Test
    void aSchemeWithoutItsConnectorIsRefusedNamingTheJarsToAdd() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Location.of("nosuchfs://bucket/in", conf).requireFileSystem());
        assertTrue(unknown.getMessage().startsWith("no Hadoop FileSystem for nosuchfs:// on the class path: add the "
                + "jars of its Hadoop connector (EMPATHY_CLASSPATH with ./empathy"), unknown.getMessage());

        // s3a as where hadoop-aws is missing: its implementation class cannot be loaded.
        Configuration withoutS3a = new Configuration();
        withoutS3a.set("fs.s3a.impl", "org.example.absent.S3AFileSystem");
        IllegalArgumentException s3a = assertThrows(IllegalArgumentException.class,
                () -> Location.of("s3a://bucket/in", withoutS3a).requireFileSystem());
        assertTrue(s3a.getMessage().startsWith("no Hadoop FileSystem for s3a:// on the class path: add the s3a "
                + "connector, hadoop-aws 3.5.0 with the AWS SDK v2 bundle it was built with"), s3a.getMessage());
        assertTrue(s3a.getMessage().contains("org.example.absent.S3AFileSystem"), s3a.getMessage());

        assertTrue(Location.of("runs", conf).requireFileSystem().isLocal(), "a local path needs nothing");
    }

    @Test
    void anEmptyValueOrABrokenUriIsRefusedWithTheRule() {
        assertThrows(IllegalArgumentException.class, () -> Location.of(" ", conf));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Location.of("hdfs://name node/x", conf));
        assertTrue(e.getMessage().contains("is not a valid URI"), e.getMessage());
    }
}
