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
    void anEmptyValueOrABrokenUriIsRefusedWithTheRule() {
        assertThrows(IllegalArgumentException.class, () -> Location.of(" ", conf));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Location.of("hdfs://name node/x", conf));
        assertTrue(e.getMessage().contains("is not a valid URI"), e.getMessage());
    }
}
