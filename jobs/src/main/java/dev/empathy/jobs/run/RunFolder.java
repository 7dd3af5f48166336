package dev.empathy.jobs.run;

import dev.empathy.jobs.store.Location;
import dev.empathy.jobs.store.StoreFolder;
import dev.empathy.reports.io.ReportFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;

/**
 * A run's output folder, written aside and published in one step only when the run succeeds: a
 * run that fails, or a process killed at any point, leaves the previous folder readable as it was.
 *
 * <p>Everything is written into a hidden staging folder beside the target,
 * {@code .<name>.staging-<id>}. How {@link #commit()} publishes it depends on the store
 * ({@link Publish}):
 * <ul>
 *   <li><b>local</b>: the staging folder is renamed to {@code .<name>.run-<id>} (not yet visible),
 *   a symbolic link {@code .<name>.link-<id> -> .<name>.run-<id>} is made, and that link is renamed
 *   over {@code <name>}. {@code rename(2)} replaces a link atomically, so {@code <name>} always
 *   leads to a whole run: the previous one until the rename, the new one after. The previous run's
 *   folder is deleted afterwards. A {@code <name>} that is still a real folder (written before
 *   runs were links) is moved aside first: that once, a kill between the two steps leaves no
 *   {@code <name>} and the previous run under {@code .<name>.previous-<id>}, which the next
 *   {@link #open} puts back.</li>
 *   <li><b>HDFS</b> (and the other stores with an atomic rename): the staging folder is renamed to
 *   {@code <name>} in one step when there is no previous run. HDFS cannot rename a folder over a
 *   non-empty one nor follow links, so a previous run is renamed aside to
 *   {@code .<name>.previous-<id>} and the staging folder in: two NameNode operations. A kill between
 *   them leaves no {@code <name>} (never half a run) and the previous run whole beside it;
 *   the next {@link #open} of that target renames it back before anything else.</li>
 *   <li><b>object stores</b> ({@code s3a}, ...: no rename, only copy): the staging prefix is
 *   written (the manifest last), the target's {@code _SUCCESS} marker is deleted, the target
 *   emptied, the staging prefix copied in, and {@code _SUCCESS} written last. Readers take a run
 *   folder on such a store only when its {@code _SUCCESS} is there ({@link #requireComplete}).</li>
 * </ul>
 * {@link #close()} without a commit deletes the staging folder.
 *
 * <p>For the kill tests: the system property {@value #PAUSE_PROPERTY} names a step of the publish
 * ({@code staged}, {@code renamed}, {@code linked}, {@code aside}, {@code swapped}; by copy also
 * {@code copying}, after the manifest was copied, and {@code copied}); when the publish
 * reaches it, it prints {@code empathy: publish paused at <step>} on stderr and waits to be killed.
 */
public final class RunFolder implements AutoCloseable {

    /** Intermediate files of the run, removed before the commit. */
    public static final String WORK = "_work";

    /** The marker written last into a run folder published by copying. */
    public static final String SUCCESS = "_SUCCESS";

    /** The run's manifest, written last into the staging folder. */
    public static final String MANIFEST = "manifest.json";

    /** System property naming the publish step to pause at (tests that kill the process there). */
    public static final String PAUSE_PROPERTY = "empathy.publish.pause";

    /** How a store lets a run folder be published. */
    public enum Publish {
        /** A local file system: a symbolic link swapped by one rename. */
        LINK,
        /** A store with an atomic folder rename (HDFS). */
        RENAME,
        /** An object store: copy, then the {@code _SUCCESS} marker. */
        COPY;

        private static final Set<String> RENAMING = Set.of("hdfs", "viewfs", "webhdfs", "swebhdfs", "ofs", "o3fs");

        /** How {@code location}'s store publishes. */
        public static Publish of(Location location) {
            if (location.isLocal()) {
                return LINK;
            }
            return RENAMING.contains(location.scheme()) ? RENAME : COPY;
        }
    }

    private final Location target;
    private final Location staging;
    private final String id;
    private final Publish publish;
    private boolean committed;

    private RunFolder(Location target, Location staging, String id, Publish publish) {
        this.target = target;
        this.staging = staging;
        this.id = id;
        this.publish = publish;
    }

    /** A run folder on the local file system. */
    public static RunFolder open(Path target) {
        return open(Location.local(target));
    }

    /** A run folder anywhere, published as its store allows; first restores a previous run a killed publish left aside. */
    public static RunFolder open(Location target) {
        return open(target, Publish.of(target));
    }

    /**
     * A folder published by {@code publish}: {@link Publish#RENAME} on a local path keeps the target a
     * real folder (the generator's data sets, which are committed to repositories and copied around),
     * at the price of the two-rename window described above.
     */
    public static RunFolder open(Location target, Publish publish) {
        if (publish == Publish.LINK && !target.isLocal() || publish == Publish.COPY && target.isLocal()) {
            throw new IllegalArgumentException("cannot publish " + target + " by " + publish);
        }
        Location absolute = target.absolute();
        Location parent = absolute.parent();
        try {
            if (absolute.isLocal() && absolute.exists() && !absolute.isDirectory()) {
                throw new IllegalArgumentException("output " + target + " exists and is not a folder");
            }
            if (!absolute.isLocal() && absolute.isFile()) {
                throw new IllegalArgumentException("output " + target + " exists and is not a folder");
            }
            parent.mkdirs();
            restorePrevious(absolute);
            if (absolute.isLocal()) {
                Path dir = Files.createTempDirectory(parent.localPath(), "." + absolute.name() + ".staging-");
                // Temporary folders are private; a run folder is shared like any other output.
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: keep the default
                }
                String name = dir.getFileName().toString();
                return new RunFolder(absolute, Location.local(dir), name.substring(name.lastIndexOf("staging-") + 8),
                        publish);
            }
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            Location staging = parent.resolve("." + absolute.name() + ".staging-" + id);
            staging.mkdirs();
            return new RunFolder(absolute, staging, id, publish);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging folder beside " + target, e);
        }
    }

    /**
     * Refuses a run folder a reader must not take: on a store published by copying, one without its
     * {@code _SUCCESS} marker (a copy that did not finish).
     *
     * @throws IllegalArgumentException naming the folder and the rule
     */
    public static void requireComplete(Location run) {
        try {
            if (Publish.of(run) == Publish.COPY && run.resolve(MANIFEST).exists()
                    && !run.resolve(SUCCESS).exists()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "run %s: no %s marker, so the run was not completely published (on an object store a run "
                                + "folder is complete only when %s is there)", run, SUCCESS, SUCCESS));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + run, e);
        }
    }

    /** Where this run writes until it commits (local runs only). */
    public Path staging() {
        return staging.localPath();
    }

    /** Where this run writes until it commits. */
    public Location stagingLocation() {
        return staging;
    }

    /** The staging folder as a report folder. */
    public ReportFolder stagingFolder() {
        return StoreFolder.at(staging);
    }

    /** The target (local runs only). */
    public Path target() {
        return target.localPath();
    }

    public Location targetLocation() {
        return target;
    }

    /** The run's intermediate tables, on the run's own store (executors read them back). */
    public Location work() {
        return staging.resolve(WORK);
    }

    /** The files of the run, relative and sorted, without the work folder. */
    public List<String> files() {
        try {
            List<String> files = new ArrayList<>();
            for (String f : staging.files()) {
                if (!f.startsWith(WORK + "/")) {
                    files.add(f);
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the work folder, then publishes the staging folder as the target. */
    public void commit() {
        try {
            work().deleteTree();
            pause("staged");
            switch (publish) {
                case LINK -> publishByLink();
                case RENAME -> publishByRename();
                case COPY -> publishByCopy();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.format(Locale.ROOT, "cannot move the run into %s", target), e);
        }
    }

    private void publishByLink() throws IOException {
        Path link = target.localPath();
        Path parent = link.getParent();
        String name = link.getFileName().toString();
        Path run = parent.resolve("." + name + ".run-" + id);
        Files.move(staging.localPath(), run, StandardCopyOption.ATOMIC_MOVE);
        pause("renamed");
        Path newLink = parent.resolve("." + name + ".link-" + id);
        try {
            Files.createSymbolicLink(newLink, run.getFileName());
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No links here (some file systems): publish by two renames, as a store without links.
            renameInPlace(Location.local(run));
            return;
        }
        pause("linked");
        Path previous = null;
        if (Files.isSymbolicLink(link)) {
            previous = parent.resolve(Files.readSymbolicLink(link));
        } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            // A run folder written before runs were links: moved aside once.
            previous = parent.resolve("." + name + ".previous-" + id);
            Files.move(link, previous, StandardCopyOption.ATOMIC_MOVE);
            pause("aside");
        }
        Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        pause("swapped");
        if (previous != null && !previous.equals(run) && previous.getParent().equals(parent)
                && previous.getFileName().toString().startsWith("." + name + ".")) {
            Location.local(previous).deleteTree();
        }
        sweep(parent, name, run);
    }

    /**
     * Deletes what killed publishes of this target left beside it: run folders no link leads to and
     * links never swapped in. Staging folders are left alone: one may be a run still writing.
     */
    private static void sweep(Path parent, String name, Path current) throws IOException {
        List<Path> debris;
        try (var entries = Files.list(parent)) {
            debris = entries.filter(p -> {
                String n = p.getFileName().toString();
                return (n.startsWith("." + name + ".run-") || n.startsWith("." + name + ".link-"))
                        && !p.equals(current);
            }).sorted().toList();
        }
        for (Path p : debris) {
            Location.local(p).deleteTree();
        }
    }

    private void publishByRename() throws IOException {
        renameInPlace(staging);
    }

    /** Renames {@code from} to the target, the previous target aside first (two steps). */
    private void renameInPlace(Location from) throws IOException {
        Location previous = null;
        if (target.exists()) {
            previous = target.parent().resolve("." + target.name() + ".previous-" + id);
            target.renameTo(previous);
            pause("aside");
        }
        try {
            from.renameTo(target);
        } catch (IOException e) {
            if (previous != null) {
                previous.renameTo(target);
            }
            throw e;
        }
        committed = true;
        pause("swapped");
        if (previous != null) {
            previous.deleteTree();
        }
    }

    /**
     * Copies the staging prefix into the target. At every moment the target is one of: the previous
     * run with its {@code _SUCCESS}; a folder with a manifest and no {@code _SUCCESS} (refused by
     * {@link #requireComplete}); nothing at all; the new run with its {@code _SUCCESS}. For that the
     * manifest is the last file deleted and the first file copied: a folder holding some of a run's
     * files always holds its manifest too, which is how a reader knows it is a run folder to check.
     */
    private void publishByCopy() throws IOException {
        FileSystem fs = target.fs();
        fs.delete(target.resolve(SUCCESS).hadoopPath(), false);
        pause("aside");
        if (target.exists()) {
            for (Location entry : target.list()) {
                if (!entry.name().equals(MANIFEST)) {
                    entry.deleteTree();
                }
            }
        }
        fs.delete(target.hadoopPath(), true);
        fs.mkdirs(target.hadoopPath());
        List<Location> entries = new ArrayList<>(staging.list());
        entries.sort((a, b) -> Boolean.compare(!a.name().equals(MANIFEST), !b.name().equals(MANIFEST)));
        boolean first = true;
        for (Location entry : entries) {
            if (!FileUtil.copy(fs, entry.hadoopPath(), fs, target.resolve(entry.name()).hadoopPath(), false,
                    fs.getConf())) {
                throw new IOException("cannot copy " + entry + " into " + target);
            }
            if (first) {
                pause("copying");
                first = false;
            }
        }
        pause("copied");
        try (OutputStream out = target.resolve(SUCCESS).create()) {
            out.write((id + "\n").getBytes(StandardCharsets.UTF_8));
        }
        committed = true;
        pause("swapped");
        staging.deleteTree();
    }

    /**
     * Puts back a previous run that a publish killed between its two renames left aside (no target,
     * one {@code .<name>.previous-<id>} beside it).
     */
    private static void restorePrevious(Location target) throws IOException {
        if (target.exists() || Publish.of(target) == Publish.COPY) {
            return;
        }
        Location parent = target.parent();
        if (!parent.exists()) {
            return;
        }
        String prefix = "." + target.name() + ".previous-";
        for (Location entry : parent.list()) {
            if (entry.name().startsWith(prefix) && entry.isDirectory()) {
                entry.renameTo(target);
                return;
            }
        }
    }

    private static void pause(String step) {
        if (step.equals(System.getProperty(PAUSE_PROPERTY))) {
            System.err.println("empathy: publish paused at " + step);
            System.err.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                staging.deleteTree();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the staging folder " + staging, e);
            }
        }
    }

    /** Deletes a local folder tree (a link is removed, not followed). */
    static void deleteTree(Path root) throws IOException {
        Location.local(root).deleteTree();
    }

    /** Deletes a folder tree anywhere. */
    static void deleteTree(Location root) throws IOException {
        root.deleteTree();
    }
}
