package dev.empathy.reports.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@link ReportFolder} on the local file system. */
record LocalFolder(Path root) implements ReportFolder {

    @Override
    public OutputStream create(String name) throws IOException {
        Path file = resolve(name);
        Files.createDirectories(file.getParent());
        return new BufferedOutputStream(Files.newOutputStream(file));
    }

    @Override
    public ReportFolder folder(String name) {
        return new LocalFolder(resolve(name));
    }

    @Override
    public String location(String name) {
        return resolve(name).toString();
    }

    private Path resolve(String name) {
        Path file = root.resolve(name).normalize();
        if (name.isEmpty() || !file.startsWith(root.normalize())) {
            throw new IllegalArgumentException("report file name '" + name + "' must stay inside " + root);
        }
        return file;
    }
}
