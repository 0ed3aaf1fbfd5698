package dev.athena.storage;

import java.net.URI;
import java.util.Optional;

/**
 * Where and how to reach a bucket. The secret key is deliberately left out of {@link #toString()}
 * so a settings object can be logged. {@code pathStyle}: the bucket in the path
 * ({@code endpoint/bucket/key}) rather than in the host name ({@code bucket.endpoint/key}).
 */
public record S3Settings(String bucket, String region, Optional<URI> endpoint,
                         Optional<String> accessKey, Optional<String> secretKey, boolean pathStyle) {

    /** Path-style addressing with a custom endpoint (what most S3-compatible stores expect), virtual-host on AWS. */
    public S3Settings(String bucket, String region, Optional<URI> endpoint, Optional<String> accessKey, Optional<String> secretKey) {
        this(bucket, region, endpoint, accessKey, secretKey, endpoint.isPresent());
    }

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("AWS_S3_BUCKET_NAME is empty");
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("AWS_ACCESS_KEY and AWS_SECRET_KEY must be set together");
        }
    }

    @Override
    public String toString() {
        return "s3://" + bucket + " (region " + (region == null ? "from the SDK's chain" : region) + endpoint.map(e -> ", endpoint " + e).orElse("")
                + (pathStyle == endpoint.isPresent() ? "" : pathStyle ? ", path-style" : ", virtual-host style") + ")";
    }
}
