package dev.empathy.jobs.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The toolkit's name and version, as built. */
public final class Toolkit {

    private Toolkit() {
    }

    public static String version() {
        try (InputStream in = Toolkit.class.getResourceAsStream("/empathy-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
