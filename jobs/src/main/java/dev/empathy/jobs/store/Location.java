package dev.empathy.jobs.store;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A file or folder where the toolkit reads or writes: a plain local path, or any Hadoop FileSystem
 * URI ({@code file:}, {@code hdfs://}, {@code s3a://}, ...).
 *
 * <p>A plain path (no scheme) and a {@code file:} URI are local: they are read and written with
 * {@code java.nio.file}, exactly as before Hadoop paths were accepted, and shown to the user as
 * given. Anything else goes through Hadoop's {@link FileSystem}, configured from the Spark
 * session's Hadoop configuration. {@link #forSpark()} is the string Spark reads and writes it by.
 */
public final class Location {

    /** A scheme of two or more letters; a single letter before a colon is a Windows drive. */
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

    private final java.nio.file.Path local;
    private final Path path;
    private final Configuration conf;

    private Location(java.nio.file.Path local, Path path, Configuration conf) {
        this.local = local;
        this.path = path;
        this.conf = conf;
    }

    /**
     * The location {@code text} names: a local path unless it starts with a URI scheme other than
     * {@code file:}.
     *
     * @throws IllegalArgumentException when {@code text} is empty or not a valid URI
     */
    public static Location of(String text, Configuration conf) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a path or a URI such as hdfs://host/folder, got an empty value");
        }
        if (!URI_SCHEME.matcher(text).matches()) {
            return local(Paths.get(text));
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid URI: " + e.getReason(), e);
        }
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return local(Paths.get(uri));
        }
        return new Location(null, new Path(uri), conf);
    }

    /** A local path, used through {@code java.nio.file}. */
    public static Location local(java.nio.file.Path path) {
        return new Location(path, null, null);
    }

    /** Whether this is on the local file system (read and written with {@code java.nio.file}). */
    public boolean isLocal() {
        return local != null;
    }

    /** The local path. @throws IllegalStateException when this location is not local */
    public java.nio.file.Path localPath() {
        if (local == null) {
            throw new IllegalStateException(this + " is not on the local file system");
        }
        return local;
    }

    /** The URI scheme of the store: {@code file}, {@code hdfs}, {@code s3a}, ... */
    public String scheme() {
        if (local != null) {
            return "file";
        }
        return String.valueOf(path.toUri().getScheme()).toLowerCase(Locale.ROOT);
    }

    /** The child {@code name} ({@code /} between folders). */
    public Location resolve(String name) {
        return local != null ? new Location(local.resolve(name), null, null)
                : new Location(null, new Path(path, name), conf);
    }

    /** The folder holding this one. */
    public Location parent() {
        if (local != null) {
            java.nio.file.Path absolute = local.toAbsolutePath().normalize();
            return new Location(absolute.getParent(), null, null);
        }
        return new Location(null, path.getParent(), conf);
    }

    /** The last element of the path. */
    public String name() {
        return local != null ? local.toAbsolutePath().normalize().getFileName().toString() : path.getName();
    }

    /** This location made absolute (local) or fully qualified (Hadoop). */
    public Location absolute() {
        if (local != null) {
            return new Location(local.toAbsolutePath().normalize(), null, null);
        }
        try {
            return new Location(null, fs().makeQualified(path), conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + path, e);
        }
    }

    /** The string Spark's readers and writers take: the local path as is, or the URI. */
    public String forSpark() {
        return local != null ? local.toString() : path.toString();
    }

    /** The Hadoop path (a {@code file:} URI for a local location). */
    public Path hadoopPath() {
        return local != null ? new Path(local.toAbsolutePath().normalize().toUri()) : path;
    }

    /** The Hadoop file system of a non-local location. */
    public FileSystem fs() throws IOException {
        if (local != null) {
            throw new IllegalStateException(this + " is local: use java.nio.file");
        }
        return path.getFileSystem(conf);
    }

    /**
     * This location, once a Hadoop FileSystem for its scheme was found and started: a scheme whose
     * connector is not on the class path (s3a without hadoop-aws, ...) is a clear error here, not a
     * {@code ClassNotFoundException} in the middle of a run.
     *
     * @throws IllegalArgumentException naming the scheme and the jars to add
     * @throws UncheckedIOException when the file system cannot be started
     */
    public Location requireFileSystem() {
        if (local != null) {
            return this;
        }
        try {
            fs();
        } catch (org.apache.hadoop.fs.UnsupportedFileSystemException e) {
            throw new IllegalArgumentException(noConnector(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + path, e);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
                    throw new IllegalArgumentException(noConnector() + " (" + t.getMessage() + ")", e);
                }
            }
            throw e;
        }
        return this;
    }

    private String noConnector() {
        String scheme = scheme();
        String which = scheme.equals("s3a")
                ? "the s3a connector, hadoop-aws " + org.apache.hadoop.util.VersionInfo.getVersion()
                        + " with the AWS SDK v2 bundle it was built with"
                : "the jars of its Hadoop connector";
        return String.format(Locale.ROOT, "no Hadoop FileSystem for %s:// on the class path: add %s "
                + "(EMPATHY_CLASSPATH with ./empathy, --packages or --jars with spark-submit; docs/cluster.md)",
                scheme, which);
    }

    public boolean exists() throws IOException {
        return local != null ? Files.exists(local) : fs().exists(path);
    }

    public boolean isDirectory() throws IOException {
        if (local != null) {
            return Files.isDirectory(local);
        }
        try {
            return fs().getFileStatus(path).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    public boolean isFile() throws IOException {
        if (local != null) {
            return Files.isRegularFile(local);
        }
        try {
            return fs().getFileStatus(path).isFile();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    /** The entries of this folder, sorted by name. */
    public List<Location> list() throws IOException {
        List<Location> entries = new ArrayList<>();
        if (local != null) {
            try (Stream<java.nio.file.Path> s = Files.list(local)) {
                s.sorted().forEach(p -> entries.add(local(p)));
            }
        } else {
            for (FileStatus s : fs().listStatus(path)) {
                entries.add(new Location(null, s.getPath(), conf));
            }
            entries.sort((a, b) -> a.name().compareTo(b.name()));
        }
        return entries;
    }

    /** The bytes of every file under this location (a file's own size when it is one); 0 when it does not exist. */
    public long bytes() throws IOException {
        if (!exists()) {
            return 0;
        }
        if (local != null) {
            try (Stream<java.nio.file.Path> walk = Files.walk(local)) {
                long total = 0;
                for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) walk.filter(Files::isRegularFile)::iterator) {
                    total += Files.size(p);
                }
                return total;
            }
        }
        return fs().getContentSummary(path).getLength();
    }

    /** The files under this folder, as paths relative to it with {@code /} between folders, sorted. */
    public List<String> files() throws IOException {
        List<String> files = new ArrayList<>();
        if (!exists()) {
            return files;
        }
        if (local != null) {
            try (Stream<java.nio.file.Path> walk = Files.walk(local)) {
                walk.filter(Files::isRegularFile)
                        .map(p -> local.relativize(p).toString().replace('\\', '/'))
                        .forEach(files::add);
            }
        } else {
            FileSystem fs = fs();
            String root = fs.makeQualified(path).toUri().getPath();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
            while (it.hasNext()) {
                String p = it.next().getPath().toUri().getPath();
                files.add(p.substring(root.length() + (root.endsWith("/") ? 0 : 1)));
            }
        }
        files.sort(null);
        return files;
    }

    /** Creates this folder and its parents. */
    public void mkdirs() throws IOException {
        if (local != null) {
            Files.createDirectories(local);
        } else if (!fs().mkdirs(path)) {
            throw new IOException("cannot create the folder " + path);
        }
    }

    /** A new file here, replacing any file of that name; its parent folders are created. */
    public OutputStream create() throws IOException {
        if (local != null) {
            Files.createDirectories(local.toAbsolutePath().getParent());
            return new BufferedOutputStream(Files.newOutputStream(local));
        }
        return fs().create(path, true);
    }

    /** Deletes this file or folder and everything under it; nothing when it does not exist. */
    public void deleteTree() throws IOException {
        if (local != null) {
            deleteLocalTree(local);
        } else {
            fs().delete(path, true);
        }
    }

    /**
     * Renames this to {@code to} (same store), atomically where the store can.
     *
     * @throws IOException when the store refuses (for example, {@code to} exists)
     */
    public void renameTo(Location to) throws IOException {
        if (local != null) {
            try {
                Files.move(local, to.localPath(), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(local, to.localPath());
            }
        } else if (!fs().rename(path, to.path)) {
            throw new IOException("cannot rename " + path + " to " + to.path);
        }
    }

    /** Deletes a local file or folder tree; a symbolic link is removed, never followed. */
    static void deleteLocalTree(java.nio.file.Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(java.nio.file.Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Location l && java.util.Objects.equals(local, l.local)
                && java.util.Objects.equals(path, l.path);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(local, path);
    }

    /** As the user wrote it: the local path, or the URI. */
    @Override
    public String toString() {
        return forSpark();
    }
}
