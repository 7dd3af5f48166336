package dev.empathy.reports.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A folder that reports are written into, by relative file name. Every file of a run goes
 * through one of these, so that where the files land (a local folder today; HDFS or an object
 * store later) is decided in one place.
 */
public interface ReportFolder {

    /** A new file {@code name} (relative, {@code /} between folders), replacing any file of that name. */
    OutputStream create(String name) throws IOException;

    /** The sub-folder {@code name}, created on first write. */
    ReportFolder folder(String name);

    /** Where {@code name} lands, for messages and for engines that write by location (Spark). */
    String location(String name);

    /** A UTF-8 text file, such as {@code summary.md}. */
    default void text(String name, String text) {
        try (OutputStream out = create(name)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + location(name), e);
        }
    }

    /** A folder of the local file system. */
    static ReportFolder local(Path root) {
        return new LocalFolder(root);
    }
}
