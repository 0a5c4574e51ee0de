package org.pocaduck.s3;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * One bucket and key prefix on AWS S3 or any S3-compatible server, through the AWS SDK's
 * synchronous {@link S3Client} (its standard retry policy retries throttling, 5xx replies and
 * dropped connections where the request can be repeated). Objects are named relative to the
 * prefix with {@code /} separators, as a directory's files are.
 *
 * <ul>
 *   <li>Uploads are whole objects: a PUT, or above {@link S3Options#partBytes()} a multipart
 *       upload completed only when every part is in (aborted otherwise), so no reader ever sees
 *       part of one.
 *   <li>Ranged reads fetch again a body cut off mid-read.
 *   <li>Conditional writes use {@code If-Match} / {@code If-None-Match: *}.
 * </ul>
 *
 * <p>Failures are {@link IOException}s naming the bucket and key (never a secret); a missing
 * object is a {@link NoSuchFileException}. Thread-safe; {@link #close()} closes the client.
 */
public final class S3Bucket implements Closeable {
    private final S3Options options;
    private final S3Client client;

    private S3Bucket(S3Options options, S3Client client) {
        this.options = options;
        this.client = client;
    }

    /**
     * Connects and checks that the bucket can be reached with these credentials.
     *
     * @param what what is opened, for the message ("open store", "open the staging location")
     * @return the bucket; the caller closes it
     * @throws StorageException naming the bucket and what failed (missing bucket, access denied,
     *     endpoint unreachable, no region)
     */
    public static S3Bucket open(S3Options options, String what) {
        Objects.requireNonNull(options, "options is null");
        S3Bucket bucket = new S3Bucket(options, client(options, what));
        try {
            bucket.client.headBucket(b -> b.bucket(options.bucket()));
        } catch (SdkException e) {
            bucket.client.close();
            throw new StorageException(bucket.failure(what, "", e).getMessage(), e);
        }
        return bucket;
    }

    private static S3Client client(S3Options options, String what) {
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
                throw new StorageException("Cannot " + what + " " + options.uri() + ": no region: set option "
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

    /** @return the options it was opened with */
    public S3Options options() {
        return options;
    }

    /** @return the SDK client, for tests that reach past this class's checks */
    public S3Client client() {
        return client;
    }

    /** @return the object key of a name (the prefix, then the name) */
    public String key(String name) {
        return options.prefix().isEmpty() ? name : name.isEmpty() ? options.prefix() : options.prefix() + "/" + name;
    }

    /** @return {@code s3://bucket/key} of a name, for messages */
    public String describe(String name) {
        return S3Options.SCHEME + options.bucket() + "/" + key(name);
    }

    /** An object's bytes and its ETag. */
    public record Bytes(byte[] bytes, String etag) {
    }

    /** @return the object's bytes and ETag, or null if it does not exist */
    public Bytes get(String name) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(b -> b.bucket(options.bucket())
                    .key(key(name)));
            return new Bytes(bytes.asByteArray(), bytes.response().eTag());
        } catch (SdkException e) {
            IOException failure = failure("read", name, e);
            if (failure instanceof NoSuchFileException) {
                return null;
            }
            throw failure;
        }
    }

    /** Writes a small object whole. */
    public void put(String name, byte[] bytes) throws IOException {
        try {
            client.putObject(b -> b.bucket(options.bucket()).key(key(name)), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("write", name, e);
        }
    }

    /**
     * Writes a small object only if its ETag is still {@code expectedEtag} (null: only if it does
     * not exist): a conditional PUT.
     *
     * @return false if the server refused the condition (412 or 409): nothing was written
     */
    public boolean putIf(String name, byte[] bytes, String expectedEtag) throws IOException {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(options.bucket()).key(key(name));
        if (expectedEtag == null) {
            request.ifNoneMatch("*");
        } else {
            request.ifMatch(expectedEtag);
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

    /**
     * @return the object's metadata (length, ETag)
     * @throws NoSuchFileException if it does not exist
     */
    public HeadObjectResponse head(String name) throws IOException {
        try {
            return client.headObject(b -> b.bucket(options.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw failure("read the size of", name, e);
        }
    }

    /**
     * Reads {@code length} bytes at {@code position} into {@code into[offset..]}: one ranged GET,
     * repeated (up to three times in all) if the body is cut off.
     */
    public void readRange(String name, long position, byte[] into, int offset, int length) throws IOException {
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

    /**
     * Downloads an object to a local file, only if its ETag is still {@code etag}.
     *
     * @throws NoSuchFileException if it does not exist
     */
    public void download(String name, String etag, Path target) throws IOException {
        try {
            client.getObject(b -> b.bucket(options.bucket()).key(key(name)).ifMatch(etag),
                    ResponseTransformer.toFile(target));
        } catch (SdkException e) {
            throw failure("download", name, e);
        }
    }

    /**
     * Uploads a local file as one object: a PUT, or a multipart upload above the part size.
     *
     * @return the new object's ETag
     */
    public String upload(Path local, String name) throws IOException {
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

    /** @return a stream of {@code length} bytes of a file from {@code start} */
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

    /** @return the names (last part only) of the objects and sub-directories directly in a directory */
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

    /** Deletes an object; a missing one is ignored (S3 semantics). */
    public void delete(String name) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(options.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw failure("delete", name, e);
        }
    }

    /** Deletes every object under a directory. */
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
    }

    /**
     * @return the failure as an IOException naming the bucket and key; a {@link NoSuchFileException}
     *     for a missing key
     */
    public IOException failure(String operation, String name, SdkException e) {
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

    /** Closes the client. Idempotent. */
    @Override
    public void close() {
        client.close();
    }
}
