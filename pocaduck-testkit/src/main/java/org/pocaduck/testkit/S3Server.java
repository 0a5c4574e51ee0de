package org.pocaduck.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.pocaduck.StorageConfig;

/**
 * A real S3 server for tests: s3proxy on {@code 127.0.0.1} in the test JVM, storing objects as
 * files under a directory (its filesystem store), with AWS signature v4 authentication. It can be
 * stopped and started again on the same port with the same objects, to test what a client does
 * when the server goes away. Modules using it declare {@code org.gaul:s3proxy} at test scope.
 */
public final class S3Server implements AutoCloseable {
    /** The access key id the server accepts. */
    public static final String ACCESS_KEY = "pocaduck-test";
    /** The secret key the server accepts. */
    public static final String SECRET_KEY = "pocaduck-test-secret-key";

    private final Path baseDir;
    private final int port;
    private S3Proxy proxy;

    /**
     * Runs a server until the process is stopped, for benchmarks and trying a store by hand
     * ({@code scripts/s3-server}): {@code S3Server DIR [PORT]} prints the endpoint and credentials.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: S3Server DIR [PORT]   (objects are files under DIR; buckets are its directories)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        S3Server server = args.length == 2 ? new S3Server(dir, Integer.parseInt(args[1])) : start(dir);
        server.restart();
        System.out.println("endpoint=" + server.endpoint() + " access_key=" + ACCESS_KEY + " secret_key=" + SECRET_KEY);
        System.out.flush();
        Thread.currentThread().join();
    }

    private S3Server(Path baseDir, int port) {
        this.baseDir = baseDir;
        this.port = port;
    }

    /**
     * Starts a server on a free port whose objects live under {@code baseDir}.
     *
     * @throws Exception if it does not start
     */
    public static S3Server start(Path baseDir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3Server server = new S3Server(baseDir, port);
        server.restart();
        return server;
    }

    /** Starts the server again (after {@link #stop()}) on the same port with the same objects. */
    public synchronized void restart() throws Exception {
        if (proxy != null) {
            return;
        }
        Files.createDirectories(baseDir);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        S3Proxy started = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .stopTimeout(0)
                .build();
        started.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(started.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start on port " + port + ": " + started.getState());
            }
            Thread.sleep(5);
        }
        proxy = started;
    }

    /** Stops the server; connections are refused until {@link #restart()}. */
    public synchronized void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** Creates a bucket (a directory of the filesystem store). */
    public void createBucket(String bucket) throws IOException {
        Files.createDirectories(baseDir.resolve(bucket));
    }

    /** @return the file holding an object, to damage or delete it behind the client's back */
    public Path objectFile(String bucket, String key) {
        return baseDir.resolve(bucket).resolve(key);
    }

    /**
     * @return a {@code parquet-duckdb} config for {@code s3://bucket/prefix} on this server, with
     *     the endpoint, path-style access, the credentials and a local cache directory
     */
    public StorageConfig.Builder storeConfig(String storageType, String bucket, String prefix, Path cacheDir) {
        return StorageConfig.builder(storageType)
                .location("s3://" + bucket + "/" + prefix)
                .option("s3_endpoint", endpoint())
                .option("s3_region", "us-east-1")
                .option("s3_access_key_id", ACCESS_KEY)
                .option("s3_secret_access_key", SECRET_KEY)
                .option("cache_dir", cacheDir.toString());
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
