package dev.empathy.jobs.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;

/**
 * A local S3-compatible server for the S3 tests: {@code s3rver} (npm), installed by {@code .ci/run}
 * with {@code npm ci --prefix .ci/s3}, started on a free loopback port with its objects in a temporary
 * folder and one bucket, {@value #BUCKET}, and stopped by {@link #close()}.
 *
 * <p>Where s3rver is: the system property {@value #S3RVER_PROPERTY} (the poms set it to
 * {@code .ci/s3/node_modules/.bin/s3rver}). When it is not installed the tests fail with a message
 * saying how to install it; only {@code -D}{@value #SKIP_PROPERTY}{@code =true} turns that into a skip
 * (for a machine without npm; CI never sets it).
 *
 * <p>{@link #settings()} are the s3a settings for it (docs/cluster.md explains each).
 */
public final class LocalS3 implements AutoCloseable {

    /** The bucket the server is started with. */
    public static final String BUCKET = "empathy";

    /** System property: the s3rver executable. */
    public static final String S3RVER_PROPERTY = "empathy.s3rver";

    /** System property: {@code true} skips the S3 tests when s3rver is not installed. */
    public static final String SKIP_PROPERTY = "empathy.s3.skip";

    private final Process process;
    private final int port;
    private final Path log;

    private LocalS3(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts s3rver with its objects under {@code folder}.
     *
     * @throws AssertionError when s3rver is not installed (unless {@value #SKIP_PROPERTY} is true) or does not start
     */
    public static LocalS3 start(Path folder) throws IOException, InterruptedException {
        String configured = System.getProperty(S3RVER_PROPERTY, "");
        Path s3rver = configured.isEmpty() ? null : Path.of(configured);
        if (s3rver == null || !Files.isExecutable(s3rver)) {
            String message = "the S3 tests need s3rver, the local S3 server: run `npm ci --prefix .ci/s3` at the "
                    + "repository's root (.ci/run does), or pass -D" + S3RVER_PROPERTY + "=/path/to/s3rver; looked for '"
                    + configured + "'. On a machine without npm, -D" + SKIP_PROPERTY + "=true skips these tests.";
            if (Boolean.getBoolean(SKIP_PROPERTY)) {
                Assumptions.abort(message);
            }
            throw new AssertionError(message);
        }
        Path data = Files.createDirectories(folder.resolve("objects"));
        Path log = folder.resolve("s3rver.log");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(s3rver.toString(), "--directory", data.toString(),
                "--address", "127.0.0.1", "--port", Integer.toString(port), "--no-vhost-buckets",
                "--configure-bucket", BUCKET));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // s3rver 3.7.1 makes list continuation tokens with DES, which OpenSSL 3 (Node 17 and later) keeps
        // in its legacy provider: without it every truncated listing answers 500.
        builder.environment().merge("NODE_OPTIONS", "--openssl-legacy-provider", (a, b) -> a + " " + b);
        Process p = builder.start();
        LocalS3 server = new LocalS3(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("s3rver exited with " + p.exitValue() + " at start: " + server.logText());
            }
            // s3rver prints where it listens once the bucket is made; the port answers from then on.
            if (server.logText().contains("S3rver listening") || server.logText().contains("listening on")) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    return server;
                } catch (IOException notYet) {
                    // retry
                }
            }
            Thread.sleep(200);
        }
        server.close();
        throw new AssertionError("s3rver did not listen on port " + port + " within 60 s: " + server.logText());
    }

    /** {@code s3a://empathy/<key>}. */
    public String uri(String key) {
        return "s3a://" + BUCKET + "/" + key;
    }

    /** The server's address, {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The s3a settings for this server, in the order they are documented: endpoint and region,
     * path-style access, plain HTTP, s3rver's fixed credentials, and what a non-AWS server needs.
     */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fs.s3a.endpoint", endpoint());
        s.put("fs.s3a.endpoint.region", "us-east-1");
        s.put("fs.s3a.path.style.access", "true");
        s.put("fs.s3a.connection.ssl.enabled", "false");
        s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        s.put("fs.s3a.access.key", "S3RVER");
        s.put("fs.s3a.secret.key", "S3RVER");
        // AWS SDK v2's newer integrity checks (checksums on every request and response): off, as
        // hadoop-aws 3.5.0 has them by default; set here so that a site default cannot turn them on.
        s.put("fs.s3a.checksum.generation", "false");
        s.put("fs.s3a.checksum.validation", "false");
        s.put("fs.s3a.create.checksum.algorithm", "");
        // Over plain HTTP the SDK signs the payload and sends it aws-chunked (each chunk prefixed by
        // "<size>;chunk-signature=..."); s3rver stores such a body as it comes, prefixes and all. The
        // unsigned-payload signer sends the bytes as they are (the request is still signed).
        s.put("fs.s3a.signing-algorithm", "AWS4UnsignedPayloadSignerType");
        // s3rver deletes the keys of one multi-object delete in parallel and then races removing their
        // emptied folders (500, "ENOENT ... scandir"): one DELETE per object instead.
        s.put("fs.s3a.multiobjectdelete.enable", "false");
        return s;
    }

    /** {@link #settings()} in a Hadoop configuration. */
    public Configuration configuration() {
        Configuration conf = new Configuration();
        settings().forEach(conf::set);
        return conf;
    }

    /** What s3rver printed (for failure messages). */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
