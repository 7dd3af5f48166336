package dev.empathy.jobs.run;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under the scheme {@code copyonly:}, without rename: a stand-in for an object
 * store (s3a) in the publish tests. Register it with {@code fs.copyonly.impl}.
 */
public class CopyOnlyFileSystem extends RawLocalFileSystem {

    @Override
    public URI getUri() {
        return URI.create("copyonly:///");
    }

    @Override
    public String getScheme() {
        return "copyonly";
    }

    /**
     * Statuses with their permissions filled in: the local file system reads them lazily from a
     * {@code file:} URI, which this scheme is not.
     */
    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] found = super.listStatus(f);
        FileStatus[] plain = new FileStatus[found.length];
        for (int i = 0; i < found.length; i++) {
            plain[i] = plain(found[i]);
        }
        return plain;
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return plain(super.getFileStatus(f));
    }

    private static FileStatus plain(FileStatus s) {
        return new FileStatus(s.getLen(), s.isDirectory(), 1, s.getBlockSize(), s.getModificationTime(), s.getPath());
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        throw new UnsupportedOperationException("copyonly: no rename, as on an object store");
    }
}
