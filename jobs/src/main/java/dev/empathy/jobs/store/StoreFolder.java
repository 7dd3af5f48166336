package dev.empathy.jobs.store;

import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A {@link ReportFolder} on any {@link Location}: a local folder is {@link ReportFolder#local}
 * (unchanged), a Hadoop one writes each file straight through {@code FileSystem.create} (on an
 * object store the connector buffers the file and uploads it when it is closed).
 */
public final class StoreFolder implements ReportFolder {

    private final Location root;

    private StoreFolder(Location root) {
        this.root = root;
    }

    /** The report folder at {@code root}. */
    public static ReportFolder at(Location root) {
        return root.isLocal() ? ReportFolder.local(root.localPath()) : new StoreFolder(root);
    }

    @Override
    public OutputStream create(String name) throws IOException {
        return resolve(name).create();
    }

    @Override
    public ReportFolder folder(String name) {
        return new StoreFolder(resolve(name));
    }

    @Override
    public String location(String name) {
        return resolve(name).forSpark();
    }

    private Location resolve(String name) {
        if (name.isEmpty() || name.startsWith("/") || ("/" + name + "/").contains("/../")) {
            throw new IllegalArgumentException("report file name '" + name + "' must stay inside " + root);
        }
        return root.resolve(name);
    }
}
