package org.pocaduck.parquet.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.pocaduck.StorageException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A store under an S3 bucket and prefix, on AWS S3 or any S3-compatible server, through the AWS
 * SDK's synchronous {@link S3Client} (its standard retry policy retries throttling, 5xx replies
 * and dropped connections where the request can be repeated).
 *
 * <ul>
 *   <li>Files are objects written whole: a PUT, or above {@link S3Options#partBytes()} a
 *       multipart upload completed only when every part is in (aborted otherwise), so no reader
 *       ever sees part of one.
 *   <li>Reads are ranged GETs ({@link #openReadable}); a body cut off mid-read is fetched again.
 *   <li>{@link #localFile} keeps downloads under {@code cache_dir/<bucket>/<prefix>/}, each with a
 *       {@code .etag} file (length and ETag) checked against the object by one HEAD.
 *   <li>{@link #writeIf} is a conditional PUT ({@code If-Match: etag}, or {@code If-None-Match: *}
 *       for a new object), after a HEAD that checks the version, so servers that ignore the
 *       conditional headers still catch all but a concurrent write inside that gap.
 *   <li>S3 has no locks: {@link #lock} and {@link #tryLock} hold only inside this JVM.
 * </ul>
 *
 * Errors name the bucket and key (never a secret).
 */
public final class S3StoreIO implements StoreIO {
    private static final String ETAG_SUFFIX = ".etag";

    private final Locks locks;
    private final S3Options options;
    private final S3Client client;
    private final Path cacheRoot;
    private final Path stagingDir;
    /** Lengths of objects read through {@link #openReadable}: data files are never rewritten. */
    private final Map<String, Long> lengths = new ConcurrentHashMap<>();

    private S3StoreIO(S3Options options, S3Client client, Locks locks) {
        this.locks = locks;
        this.options = options;
        this.client = client;
        Path cache = options.cacheDir().resolve(options.bucket());
        this.cacheRoot = options.prefix().isEmpty() ? cache : cache.resolve(options.prefix());
        this.stagingDir = options.cacheDir().resolve("staging");
    }

    /**
     * Connects and checks that the bucket can be reached with these credentials.
     *
     * @throws StorageException naming the bucket and what failed (missing bucket, access denied,
     *     endpoint unreachable)
     */
    public static S3StoreIO open(S3Options options, Locks locks) {
        S3Client client = client(options);
        S3StoreIO io = new S3StoreIO(options, client, locks);
        try {
            client.headBucket(b -> b.bucket(options.bucket()));
        } catch (SdkException e) {
            client.close();
            throw new StorageException(io.failure("open store", "", e).getMessage(), e);
        }
        return io;
    }

    private static S3Client client(S3Options options) {
        AwsCredentialsProvider credentials = options.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(options.accessKeyId().get(),
                        options.secretAccessKey().orElseThrow()))
                : options.profile().isPresent()
                        ? ProfileCredentialsProvider.create(options.profile().get())
                        : DefaultCredentialsProvider.builder().build();
        Region region = Region.of(options.region().orElseGet(() -> {
            try {
                return DefaultAwsRegionProviderChain.builder().build().getRegion().id();
            } catch (SdkClientException e) {
                if (options.endpoint().isPresent()) {
                    return "us-east-1";
                }
                throw new StorageException("Cannot open store " + options.uri() + ": no region: set option "
                        + S3Options.REGION + " (or AWS_REGION, or a region in the AWS config file)", e);
            }
        }));
        S3ClientBuilder builder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(64))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(options.pathStyle())
                        .chunkedEncodingEnabled(options.endpoint().isEmpty())
                        .build());
        options.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint)
                // Checksums only where the API requires them: S3-compatible servers differ in the rest.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        return builder.build();
    }

    /** @return the object key of a store file */
    public String key(String name) {
        return options.prefix().isEmpty() ? name : name.isEmpty() ? options.prefix() : options.prefix() + "/" + name;
    }

    /** @return the SDK client, for tests that reach past this class's checks */
    public S3Client client() {
        return client;
    }

    String bucket() {
        return options.bucket();
    }

    @Override
    public String root() {
        return options.uri();
    }

    @Override
    public String describe(String name) {
        return S3Options.SCHEME + options.bucket() + "/" + key(name);
    }

    @Override
    public boolean locksAcrossProcesses() {
        return false;
    }

    @Override
    public Lock lock(String name) {
        return locks.lock(describe(name));
    }

    @Override
    public Lock tryLock(String name) {
        return locks.tryLock(describe(name));
    }

    @Override
    public Versioned read(String name) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(b -> b.bucket(options.bucket())
                    .key(key(name)));
            return new Versioned(bytes.asByteArray(), bytes.response().eTag());
        } catch (SdkException e) {
            IOException failure = failure("read", name, e);
            if (failure instanceof NoSuchFileException) {
                return null;
            }
            throw failure;
        }
    }

    @Override
    public void write(String name, byte[] bytes) throws IOException {
        try {
            client.putObject(b -> b.bucket(options.bucket()).key(key(name)), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("write", name, e);
        }
    }

    @Override
    public boolean writeIf(String name, byte[] bytes, String expectedVersion) throws IOException {
        String actual = version(name);
        if (expectedVersion == null ? actual != null : !expectedVersion.equals(actual)) {
            return false;
        }
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(options.bucket()).key(key(name));
        if (expectedVersion == null) {
            request.ifNoneMatch("*");
        } else {
            request.ifMatch(expectedVersion);
        }
        try {
            client.putObject(request.build(), RequestBody.fromBytes(bytes));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw failure("write", name, e);
        } catch (SdkException e) {
            throw failure("write", name, e);
        }
    }

    /** @return the object's ETag, or null if it does not exist */
    private String version(String name) throws IOException {
        try {
            return head(name).eTag();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private HeadObjectResponse head(String name) throws IOException {
        try {
            return client.headObject(b -> b.bucket(options.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw failure("read the size of", name, e);
        }
    }

    @Override
    public long length(String name) throws IOException {
        return head(name).contentLength();
    }

    @Override
    public ReadableFile openReadable(String name) throws IOException {
        Long known = lengths.get(name);
        if (known == null) {
            known = length(name);
            lengths.put(name, known);
        }
        long length = known;
        return new ReadableFile() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void readFully(long position, ByteBuffer into) throws IOException {
                int n = into.remaining();
                if (into.hasArray()) {
                    readRange(name, position, into.array(), into.arrayOffset() + into.position(), n);
                    into.position(into.position() + n);
                } else {
                    byte[] bytes = new byte[n];
                    readRange(name, position, bytes, 0, n);
                    into.put(bytes);
                }
            }

            @Override
            public String describe() {
                return S3StoreIO.this.describe(name);
            }

            @Override
            public void close() {
                // Each range is its own request: nothing held between them.
            }
        };
    }

    /** Reads {@code length} bytes at {@code position} of an object into {@code into} at {@code offset}. */
    private void readRange(String name, long position, byte[] into, int offset, int length) throws IOException {
        GetObjectRequest request = GetObjectRequest.builder().bucket(options.bucket()).key(key(name))
                .range("bytes=" + position + "-" + (position + length - 1)).build();
        IOException last = null;
        // The SDK retries a request that fails before its body; a body cut off is fetched again here.
        for (int attempt = 0; attempt < 3; attempt++) {
            try (ResponseInputStream<GetObjectResponse> in = client.getObject(request)) {
                int n = in.readNBytes(into, offset, length);
                if (n != length) {
                    throw new IOException("the object ended after " + n + " of " + length + " bytes at "
                            + position + " (it was replaced or truncated)");
                }
                return;
            } catch (SdkException e) {
                throw failure("read", name, e);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("Cannot read " + describe(name) + " bytes " + position + ".." + (position + length)
                + ": " + last.getMessage(), last);
    }

    @Override
    public Path stagingFile(String name) throws IOException {
        Files.createDirectories(stagingDir);
        String base = name.substring(name.lastIndexOf('/') + 1);
        return stagingDir.resolve(UUID.randomUUID().toString().substring(0, 13) + "-" + base);
    }

    @Override
    public void publish(Path local, String name) throws IOException {
        upload(local, name);
        Files.deleteIfExists(local);
    }

    /** Keeps the staging file as the cached copy of the new object (see {@link #localFile}). */
    @Override
    public Path publishAndKeep(Path local, String name) throws IOException {
        String etag = upload(local, name);
        Path cached = cachePath(name);
        Files.createDirectories(cached.getParent());
        Files.move(local, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        writeCacheTag(cached, Files.size(cached), etag);
        return cached;
    }

    /** @return the new object's ETag */
    private String upload(Path local, String name) throws IOException {
        long size = Files.size(local);
        String key = key(name);
        try {
            if (size <= options.partBytes()) {
                return client.putObject(b -> b.bucket(options.bucket()).key(key), RequestBody.fromFile(local)).eTag();
            }
            String uploadId = client.createMultipartUpload(b -> b.bucket(options.bucket()).key(key)).uploadId();
            try {
                List<CompletedPart> parts = new ArrayList<>();
                for (long offset = 0; offset < size; offset += options.partBytes()) {
                    int partNumber = parts.size() + 1;
                    long start = offset;
                    long length = Math.min(options.partBytes(), size - offset);
                    String etag = client.uploadPart(b -> b.bucket(options.bucket()).key(key).uploadId(uploadId)
                            .partNumber(partNumber).contentLength(length),
                            RequestBody.fromContentProvider(() -> slice(local, start, length), length,
                                    "application/octet-stream")).eTag();
                    parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                }
                return client.completeMultipartUpload(b -> b.bucket(options.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts))).eTag();
            } catch (SdkException | UncheckedIOException e) {
                try {
                    client.abortMultipartUpload(b -> b.bucket(options.bucket()).key(key).uploadId(uploadId));
                } catch (SdkException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SdkException e) {
            throw failure("upload " + local + " (" + size + " bytes) to", name, e);
        } catch (UncheckedIOException e) {
            throw new IOException("Cannot upload " + local + " to " + describe(name) + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static InputStream slice(Path file, long start, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(start);
            return new java.io.FilterInputStream(Channels.newInputStream(channel)) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path cachePath(String name) {
        return cacheRoot.resolve(name);
    }

    @Override
    public Path localFile(String name) throws IOException {
        HeadObjectResponse head = head(name);
        Path cached = cachePath(name);
        Path tag = cached.resolveSibling(cached.getFileName() + ETAG_SUFFIX);
        String expected = head.contentLength() + " " + head.eTag();
        try {
            if (Files.size(cached) == head.contentLength() && Files.readString(tag).strip().equals(expected)) {
                return cached;
            }
        } catch (NoSuchFileException e) {
            // Not cached yet.
        }
        Files.createDirectories(cached.getParent());
        Path temp = cached.resolveSibling("." + cached.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            client.getObject(b -> b.bucket(options.bucket()).key(key(name)).ifMatch(head.eTag()),
                    ResponseTransformer.toFile(temp));
            Files.move(temp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (SdkException e) {
            throw failure("download", name, e);
        } finally {
            Files.deleteIfExists(temp);
        }
        writeCacheTag(cached, head.contentLength(), head.eTag());
        return cached;
    }

    private static void writeCacheTag(Path cached, long length, String etag) throws IOException {
        Path tag = cached.resolveSibling(cached.getFileName() + ETAG_SUFFIX);
        FileOps.writeAtomically(tag, (length + " " + etag).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<String> list(String directory) throws IOException {
        String prefix = key(directory) + (key(directory).isEmpty() ? "" : "/");
        List<String> names = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(options.bucket()).prefix(prefix).delimiter("/").build())) {
                for (S3Object object : page.contents()) {
                    names.add(object.key().substring(prefix.length()));
                }
                for (CommonPrefix common : page.commonPrefixes()) {
                    String p = common.prefix();
                    names.add(p.substring(prefix.length(), p.length() - 1));
                }
            }
        } catch (SdkException e) {
            throw failure("list", directory, e);
        }
        return names;
    }

    @Override
    public boolean exists(String name) throws IOException {
        return version(name) != null;
    }

    @Override
    public void delete(String name) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(options.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw failure("delete", name, e);
        }
        lengths.remove(name);
        dropCached(name);
    }

    /** Removes a cached copy and the files derived from it beside it ({@code <file>.*}). */
    private void dropCached(String name) throws IOException {
        Path cached = cachePath(name);
        Path dir = cached.getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        String base = cached.getFileName().toString();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String file = p.getFileName().toString();
                if (file.equals(base) || file.startsWith(base + ".")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public void deleteTree(String directory) throws IOException {
        String prefix = key(directory) + "/";
        try {
            List<String> keys = new ArrayList<>();
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(options.bucket()).prefix(prefix).build())) {
                for (S3Object object : page.contents()) {
                    keys.add(object.key());
                }
            }
            for (String key : keys) {
                client.deleteObject(b -> b.bucket(options.bucket()).key(key));
            }
        } catch (SdkException e) {
            throw failure("delete", directory, e);
        }
        lengths.keySet().removeIf(name -> name.startsWith(directory + "/"));
        FileOps.deleteTree(cachePath(directory));
    }

    /**
     * @return the failure as an IOException naming the bucket and key; a {@link NoSuchFileException}
     *     for a missing key
     */
    IOException failure(String operation, String name, SdkException e) {
        String where = describe(name);
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            String message = s3.awsErrorDetails() == null ? s3.getMessage() : s3.awsErrorDetails().errorMessage();
            if ("NoSuchBucket".equals(code)) {
                return new IOException("Cannot " + operation + " " + where + ": the bucket '" + options.bucket()
                        + "' does not exist at " + endpoint(), e);
            }
            if (s3.statusCode() == 404 && (code == null || code.isEmpty() || "NoSuchKey".equals(code)
                    || "NotFound".equals(code))) {
                if (name.isEmpty()) {
                    return new IOException("Cannot " + operation + " " + where + ": the bucket '" + options.bucket()
                            + "' does not exist at " + endpoint(), e);
                }
                NoSuchFileException missing = new NoSuchFileException(where);
                missing.initCause(e);
                return missing;
            }
            if (s3.statusCode() == 403) {
                return new IOException("Cannot " + operation + " " + where + ": access denied (HTTP 403"
                        + (code == null || code.isEmpty() ? "" : " " + code) + "): check the credentials ("
                        + S3Options.ACCESS_KEY_ID + " and " + S3Options.SECRET_ACCESS_KEY
                        + ", or the AWS default chain) and the bucket's policy", e);
            }
            return new IOException("Cannot " + operation + " " + where + ": HTTP " + s3.statusCode()
                    + (code == null || code.isEmpty() ? "" : " " + code) + ": " + message, e);
        }
        return new IOException("Cannot " + operation + " " + where + " at " + endpoint() + ": " + e.getMessage(), e);
    }

    private String endpoint() {
        return options.endpoint().map(URI::toString).orElse("AWS S3");
    }

    @Override
    public void close() {
        client.close();
    }
}
