package dev.athena.testing;

import java.util.Optional;

import org.gaul.s3proxy.junit.S3ProxyExtension;

import dev.athena.storage.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A real S3 server (S3Proxy, in memory) started inside the tests, and helpers to reach it. */
public final class S3Server {
    public static final String ACCESS = "athena-test-access";
    public static final String SECRET = "athena-test-secret";

    private S3Server() {
    }

    public static S3ProxyExtension extension() {
        return S3ProxyExtension.builder().withCredentials(ACCESS, SECRET).withBlobStoreProvider("transient").build();
    }

    public static S3Settings settings(S3ProxyExtension proxy, String bucket) {
        return new S3Settings(bucket, "us-east-1", Optional.of(proxy.getUri()), Optional.of(ACCESS), Optional.of(SECRET));
    }

    public static void createBucket(S3ProxyExtension proxy, String bucket) {
        try (S3Client s3 = S3Client.builder().endpointOverride(proxy.getUri()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }
}
