package org.pocaduck.s3;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.pocaduck.ConfigurationException;
import org.pocaduck.StorageConfig;
import org.pocaduck.spi.ConfigOption;

/**
 * Where and how an {@code s3://bucket/prefix} location is reached: the location and the options
 * {@code s3_*} and {@code cache_dir} of a {@link StorageConfig}. The secret key is kept here only
 * to build the client; {@link #toString()} masks it. Immutable.
 *
 * @param bucket the bucket name (S3's rules: 3 to 63 of lowercase letters, digits, '.', '-')
 * @param prefix the key prefix of the store, without leading or trailing '/'; may be empty
 * @param endpoint the endpoint override ({@code http(s)://host:port}), or empty for AWS S3
 * @param region the region name, or empty to take it from the AWS default region chain
 * @param pathStyle true for path-style requests ({@code endpoint/bucket/key}), which most
 *     S3-compatible servers need
 * @param accessKeyId the access key id, or empty for the AWS default credentials chain
 * @param secretAccessKey the secret key (with {@code accessKeyId}), or empty
 * @param profile a profile of the AWS config files to take credentials from, or empty
 * @param cacheDir the local directory for downloaded index files and upload staging
 * @param partBytes objects larger than this are uploaded in parts of this size
 */
public record S3Options(String bucket, String prefix, Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
        Optional<String> accessKeyId, Optional<String> secretAccessKey, Optional<String> profile, Path cacheDir,
        long partBytes) {
    public static final String SCHEME = "s3://";
    public static final String ENDPOINT = "s3_endpoint";
    public static final String REGION = "s3_region";
    public static final String PATH_STYLE = "s3_path_style";
    public static final String ACCESS_KEY_ID = "s3_access_key_id";
    public static final String SECRET_ACCESS_KEY = "s3_secret_access_key";
    public static final String PROFILE = "s3_profile";
    public static final String PART_BYTES = "s3_part_bytes";
    public static final String CACHE_DIR = "cache_dir";

    /** S3's smallest part (except the last) is 5 MiB; its largest 5 GiB. */
    public static final long MIN_PART_BYTES = 5L << 20;
    static final long MAX_PART_BYTES = 5L << 30;
    static final long DEFAULT_PART_BYTES = 32L << 20;

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /**
     * The options, described for what uses them.
     *
     * @param use who reads them, such as {@code "s3:// stores"}: each description starts with it
     * @param cacheUse what {@code cache_dir} holds for that use
     * @return the option keys with their descriptions
     */
    public static List<ConfigOption> options(String use, String cacheUse) {
        return List.of(
                ConfigOption.optional(ENDPOINT, use + ": the S3 endpoint, e.g. http://127.0.0.1:9000 for an "
                        + "S3-compatible server (default: AWS S3 of the region)"),
                ConfigOption.optional(REGION, use + ": the region (default: the AWS default region chain, "
                        + "or us-east-1 with an endpoint)"),
                ConfigOption.optional(PATH_STYLE, use + ": true for path-style requests (default: true with an "
                        + "endpoint, false for AWS S3)"),
                ConfigOption.optional(ACCESS_KEY_ID, use + ": the access key id (default: the AWS default "
                        + "credentials chain: environment, profiles, instance roles)"),
                ConfigOption.optional(SECRET_ACCESS_KEY, use + ": the secret access key, with "
                        + ACCESS_KEY_ID + "; masked wherever a config is printed"),
                ConfigOption.optional(PROFILE, use + ": a profile of the AWS config files to take "
                        + "credentials from"),
                ConfigOption.optional(PART_BYTES, use + ": objects larger than this are uploaded in parts of "
                        + "this size (5MiB to 5GiB; default 32MiB)"),
                ConfigOption.optional(CACHE_DIR, use + ": local directory for " + cacheUse
                        + " (default: <java.io.tmpdir>/pocaduck-cache)"));
    }

    /** @return true if the location is an {@code s3://} URI (scheme case-insensitive) */
    public static boolean isS3(String location) {
        return location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * @param config a config whose location is an {@code s3://} URI
     * @return the config's location and S3 options
     * @throws ConfigurationException naming the value and the rule it breaks
     */
    public static S3Options from(StorageConfig config) {
        return from(config.location(), config);
    }

    /**
     * @param location an {@code s3://bucket/prefix} URI
     * @param config where the {@code s3_*} and {@code cache_dir} options are
     * @return the location and the config's S3 options
     * @throws ConfigurationException naming the value and the rule it breaks
     */
    public static S3Options from(String location, StorageConfig config) {
        if (!isS3(location)) {
            throw new ConfigurationException("Cannot use location '" + location + "': it is not an s3:// URI");
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw new ConfigurationException("Cannot use location '" + location + "': the bucket name '" + bucket
                    + "' must be 3 to 63 lowercase letters, digits, '.' or '-', starting and ending with a letter "
                    + "or digit (S3's bucket naming rules)");
        }
        if (prefix.startsWith("/") || prefix.contains("//")) {
            throw new ConfigurationException("Cannot use location '" + location + "': the key prefix '" + prefix
                    + "' must not contain empty parts ('//')");
        }
        Optional<URI> endpoint = config.option(ENDPOINT).map(text -> {
            URI uri;
            try {
                uri = URI.create(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("Cannot use option '" + ENDPOINT + "' = " + text + ": "
                        + e.getMessage(), e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigurationException("Cannot use option '" + ENDPOINT + "' = " + text
                        + ": it must be an http:// or https:// URL with a host");
            }
            return uri;
        });
        Optional<String> accessKey = config.option(ACCESS_KEY_ID);
        Optional<String> secret = config.option(SECRET_ACCESS_KEY);
        if (accessKey.isPresent() != secret.isPresent()) {
            throw new ConfigurationException("Cannot use " + (accessKey.isPresent() ? ACCESS_KEY_ID : SECRET_ACCESS_KEY)
                    + " without " + (accessKey.isPresent() ? SECRET_ACCESS_KEY : ACCESS_KEY_ID)
                    + ": give both, or neither to use the AWS default credentials chain");
        }
        long part = config.byteSizeOption(PART_BYTES, DEFAULT_PART_BYTES);
        if (part < MIN_PART_BYTES || part > MAX_PART_BYTES) {
            throw new ConfigurationException("Cannot use option '" + PART_BYTES + "' = " + part
                    + ": it must be between " + MIN_PART_BYTES + " and " + MAX_PART_BYTES + " (S3's part sizes)");
        }
        Path cache = config.option(CACHE_DIR).map(Paths::get)
                .orElse(Paths.get(System.getProperty("java.io.tmpdir"), "pocaduck-cache"))
                .toAbsolutePath().normalize();
        return new S3Options(bucket, prefix, endpoint, config.option(REGION),
                config.booleanOption(PATH_STYLE, endpoint.isPresent()), accessKey, secret, config.option(PROFILE),
                cache, part);
    }

    /** @return {@code s3://bucket/prefix} */
    public String uri() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public String toString() {
        return uri() + " (endpoint " + endpoint.map(URI::toString).orElse("AWS") + ", region "
                + region.orElse("default") + (pathStyle ? ", path-style" : "") + ", credentials "
                + (accessKeyId.isPresent() ? "key " + accessKeyId.get() + " / ****" : profile.map(p -> "profile " + p)
                        .orElse("default chain")) + ")";
    }
}
