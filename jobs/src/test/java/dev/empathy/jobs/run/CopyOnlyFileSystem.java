package dev.empathy.jobs.run;

import java.io.IOException;
import java.net.URI;
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

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        throw new UnsupportedOperationException("copyonly: no rename, as on an object store");
    }
}
