package dev.empathy.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of plug-in jars as a class loader over the runner's own: the route for runs that do
 * not go through the launcher (which puts the folder's jars on the class path) and for tests.
 */
final class PluginFolder {

    private PluginFolder() {
    }

    /** A loader over every {@code *.jar} in {@code folder}, by name; {@code parent} when there are none. */
    static ClassLoader loader(Path folder, ClassLoader parent) {
        List<URL> jars = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                    jars.add(jar.toUri().toURL());
                }
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("plug-in folder " + folder + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the plug-in folder " + folder, e);
            }
        }
        return jars.isEmpty() ? parent : new URLClassLoader("empathy-plugins", jars.toArray(URL[]::new), parent);
    }
}
