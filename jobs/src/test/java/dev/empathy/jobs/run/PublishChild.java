package dev.empathy.jobs.run;

import dev.empathy.jobs.store.Location;
import dev.empathy.reports.io.ReportFolder;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A small run for {@link RunFolderKillIT}, meant to be killed: writes a run labelled {@code args[1]}
 * into {@code args[0]} (a path or a URI) and publishes it, by {@code args[2]} when given
 * ({@link RunFolder.Publish}). The system property {@link RunFolder#PAUSE_PROPERTY} makes it wait
 * at a step of the publish.
 */
public final class PublishChild {

    /** The files of a run, each holding the run's label; the manifest lists them. */
    static final List<String> FILES = List.of("a/one.csv", "a/two.csv", "b/three.csv", "summary.md");

    private PublishChild() {
    }

    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        // file systems registered by the test (fs.<scheme>.impl)
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("fs."))
                .forEach(k -> conf.set(k, System.getProperty(k)));
        Location target = Location.of(args[0], conf);
        RunFolder.Publish publish = args.length > 2 ? RunFolder.Publish.valueOf(args[2]) : RunFolder.Publish.of(target);
        try (RunFolder folder = RunFolder.open(target, publish)) {
            ReportFolder out = folder.stagingFolder();
            for (String f : FILES) {
                out.text(f, args[1] + "\n");
            }
            Manifest.write(out, Map.of("label", args[1], "files", folder.files()));
            folder.commit();
        }
        System.err.println("published " + args[1]);
    }
}
