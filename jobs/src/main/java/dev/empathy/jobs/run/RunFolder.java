package dev.empathy.jobs.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A run's output folder, written aside and moved in place only when the run succeeds: a run that
 * fails at any point leaves the previous folder exactly as it was.
 *
 * <p>Everything is written into a hidden staging folder beside the target. {@link #commit()}
 * moves the previous folder aside, moves the staging folder in (both renames within one
 * parent folder), then deletes the previous one. {@link #close()} without a commit deletes the
 * staging folder.
 */
public final class RunFolder implements AutoCloseable {

    /** Intermediate files of the run, removed before the commit. */
    public static final String WORK = "_work";

    private final Path target;
    private final Path staging;
    private boolean committed;

    private RunFolder(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    public static RunFolder open(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        try {
            Files.createDirectories(parent);
            if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
                throw new IllegalArgumentException("output " + target + " exists and is not a folder");
            }
            Path staging = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".staging-");
            // Temporary folders are private; a run folder is shared like any other output.
            try {
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default
            }
            return new RunFolder(absolute, staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging folder beside " + target, e);
        }
    }

    /** Where this run writes until it commits. */
    public Path staging() {
        return staging;
    }

    public Path target() {
        return target;
    }

    public Path work() {
        return staging.resolve(WORK);
    }

    /** The files of the run, relative and sorted, without the work folder. */
    public List<String> files() {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(staging)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> staging.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.startsWith(WORK + "/"))
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Removes the work folder, then moves the staging folder in place of the target. */
    public void commit() {
        try {
            deleteTree(work());
            Path previous = null;
            if (Files.exists(target)) {
                previous = target.resolveSibling("." + target.getFileName() + ".previous-"
                        + staging.getFileName().toString().replaceAll("^.*staging-", ""));
                move(target, previous);
            }
            try {
                move(staging, target);
            } catch (IOException e) {
                if (previous != null) {
                    move(previous, target);
                }
                throw e;
            }
            committed = true;
            if (previous != null) {
                deleteTree(previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.format(Locale.ROOT, "cannot move the run into %s", target), e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the staging folder " + staging, e);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
