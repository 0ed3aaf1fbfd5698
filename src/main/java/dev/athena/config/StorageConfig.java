package dev.athena.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import dev.athena.storage.CountingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ObjectStore;
import dev.athena.storage.ReadBackStore;
import dev.athena.storage.RetryingStore;
import dev.athena.storage.S3Settings;
import dev.athena.storage.S3Store;

/** The backup location, from the seed's variables; an invalid value is refused naming the variable. */
public record StorageConfig(String type, Path localRoot, S3Settings s3) {

    public static StorageConfig fromEnv(Map<String, String> env) {
        String type = env.getOrDefault("BACKUP_LOCATION_TYPE", "local").trim().toLowerCase();
        switch (type) {
            case "local" -> {
                String root = env.getOrDefault("LOCAL_BACKUP_LOCATION", "/backup");
                if (root.isBlank() || !Path.of(root).isAbsolute()) {
                    throw new ConfigException("LOCAL_BACKUP_LOCATION must be an absolute path, got '" + root + "'");
                }
                return new StorageConfig(type, Path.of(root), null);
            }
            case "s3" -> {
                Optional<URI> endpoint = Optional.empty();
                String e = blankToNull(env.get("AWS_S3_ENDPOINT"));
                if (e != null) {
                    try {
                        URI uri = new URI(e);
                        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                            throw new URISyntaxException(e, "expected http(s)://host[:port]");
                        }
                        endpoint = Optional.of(uri);
                    } catch (URISyntaxException ex) {
                        throw new ConfigException("AWS_S3_ENDPOINT is not a valid URL: " + ex.getMessage());
                    }
                }
                String bucket = env.getOrDefault("AWS_S3_BUCKET_NAME", "athena-ondemand-backup");
                if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                    throw new ConfigException("AWS_S3_BUCKET_NAME '" + bucket + "' is not a valid bucket name");
                }
                String access = blankToNull(env.get("AWS_ACCESS_KEY"));
                String secret = blankToNull(env.get("AWS_SECRET_KEY"));
                if ((access == null) != (secret == null)) {
                    throw new ConfigException("AWS_ACCESS_KEY and AWS_SECRET_KEY must be set together");
                }
                boolean pathStyle = endpoint.isPresent();
                String style = blankToNull(env.get("AWS_S3_FORCE_PATH_STYLE"));
                if (style != null) {
                    switch (style.toLowerCase()) {
                        case "true" -> pathStyle = true;
                        case "false" -> pathStyle = false;
                        default -> throw new ConfigException("AWS_S3_FORCE_PATH_STYLE must be 'true' (endpoint/bucket/key) or 'false'"
                                + " (bucket.endpoint/key), got '" + style + "'");
                    }
                }
                return new StorageConfig(type, null, new S3Settings(bucket, blankToNull(env.get("AWS_S3_REGION")), endpoint,
                        Optional.ofNullable(access), Optional.ofNullable(secret), pathStyle));
            }
            default -> throw new ConfigException("BACKUP_LOCATION_TYPE must be 'local' or 's3', got '" + type + "'");
        }
    }

    /** True for S3: every request is a round trip, worth saving (a restore keeps what it downloaded). */
    public boolean remote() {
        return "s3".equals(type);
    }

    /**
     * Opens the store: every write read back before it counts (a retry writes it again), transient
     * failures retried, and every request that reaches the store counted ({@link CountingStore}).
     */
    public ObjectStore open() {
        ObjectStore store = remote() ? new S3Store(s3) : new LocalStore(localRoot);
        return RetryingStore.standard(new ReadBackStore(new CountingStore(store)));
    }

    /**
     * Opens the store for the leader's lease: no retries (the election looks again soon anyway) and,
     * on S3, a connection silent for {@code timeout} is given up, so one stalled read cannot hold up
     * an election for the minutes a pack upload may take.
     */
    public ObjectStore openForLease(java.time.Duration timeout) {
        return remote() ? new S3Store(s3, timeout) : new LocalStore(localRoot);
    }

    /**
     * {@code env} with the location set to {@code location}: a folder, or {@code s3://BUCKET} with
     * the environment's other S3 settings (endpoint, region, credentials).
     */
    static Map<String, String> at(Map<String, String> env, String location) {
        Map<String, String> with = new java.util.HashMap<>(env);
        if (location.startsWith("s3://")) {
            with.put("BACKUP_LOCATION_TYPE", "s3");
            with.put("AWS_S3_BUCKET_NAME", location.substring(5).replaceAll("/+$", ""));
        } else {
            with.put("BACKUP_LOCATION_TYPE", "local");
            with.put("LOCAL_BACKUP_LOCATION", Path.of(location).toAbsolutePath().toString());
        }
        return with;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return remote() ? s3.toString() : localRoot.toString();
    }
}
