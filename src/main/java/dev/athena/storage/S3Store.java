package dev.athena.storage;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket: AWS, or any S3-compatible store through AWS_S3_ENDPOINT. With a custom
 * endpoint the client sends only what every S3 implementation understands: no flexible checksums
 * and no {@code aws-chunked} uploads (S3Proxy 2.x refuses their headers with HTTP 501; s3rver
 * stores the chunk framing as the object's bytes), but a {@code Content-MD5} on every upload, which
 * all of them check. Athena's own SHA-256 of every pack and the read-back of every write
 * ({@link ReadBackStore}) keep the integrity the SDK's checksums would have given.
 */
public final class S3Store implements ObjectStore, AutoCloseable {
    /** Objects larger than this go up in parts, so a lost connection costs one part, not a whole pack. */
    static final int MULTIPART_THRESHOLD = 8 * 1024 * 1024;
    static final int PART_SIZE = 5 * 1024 * 1024;

    private final S3Settings settings;
    private final S3Client s3;

    public S3Store(S3Settings settings) {
        this(settings, Duration.ofSeconds(60));
    }

    /** {@code timeout}: how long a connection may stay silent before the request is given up (and retried). */
    public S3Store(S3Settings settings, Duration timeout) {
        this.settings = settings;
        this.s3 = client(settings, timeout);
        checkBucket();
    }

    private static S3Client client(S3Settings settings, Duration timeout) {
        AwsCredentialsProvider credentials = settings.accessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().get()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .region(Region.of(settings.region() == null || settings.region().isBlank() ? "us-east-1" : settings.region()))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(timeout))
                // One retry layer for every store: RetryingStore (its backoff wraps these calls), not the SDK's too.
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofMinutes(5))
                        .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()));
        // Over plain http the SDK would otherwise sign uploads chunk by chunk (aws-chunked), which s3rver stores as is.
        boolean custom = settings.endpoint().isPresent();
        builder.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle())
                .chunkedEncodingEnabled(!custom).build());
        settings.endpoint().ifPresent(e -> builder.endpointOverride(e)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        return builder.build();
    }

    /** Fails at once with one clear message instead of on the first pack upload. */
    private void checkBucket() {
        try {
            // A throttled or briefly failing store at start is tried again, as every later request would be.
            withQuickRetries(settings.bucket(), 0, () -> s3.headBucket(b -> b.bucket(settings.bucket())));
        } catch (NoSuchBucketException e) {
            throw new StorageException("S3 bucket '" + settings.bucket() + "' does not exist (AWS_S3_BUCKET_NAME, " + settings + ")", e);
        } catch (S3Exception e) {
            int status = e.statusCode();
            if (status == 404) {
                throw new StorageException("S3 bucket '" + settings.bucket() + "' does not exist (AWS_S3_BUCKET_NAME, " + settings + ")", e);
            }
            if (status == 401 || status == 403) {
                throw new StorageException("access to S3 bucket '" + settings.bucket() + "' denied (HTTP " + status
                        + "): check AWS_ACCESS_KEY and AWS_SECRET_KEY, or the role's permissions", e);
            }
            throw translate("check bucket", "", e);
        } catch (SdkException e) {
            throw translate("reach", "", e);
        }
    }

    @Override
    public void put(String key, byte[] data) {
        Keys.check(key);
        try {
            if (data.length > MULTIPART_THRESHOLD) {
                putMultipart(key, data);
            } else {
                s3.putObject(b -> b.bucket(settings.bucket()).key(key).contentMD5(md5(data, 0, data.length)), RequestBody.fromBytes(data));
            }
        } catch (SdkException e) {
            throw translate("write", key, e);
        }
    }

    private void putMultipart(String key, byte[] data) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(key)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int offset = 0, number = 1; offset < data.length; offset += PART_SIZE, number++) {
                int end = Math.min(data.length, offset + PART_SIZE);
                final int partNumber = number;
                String partMd5 = md5(data, offset, end - offset);
                byte[] part = Arrays.copyOfRange(data, offset, end);
                String etag = withQuickRetries(key, partNumber, () -> s3.uploadPart(b -> b.bucket(settings.bucket()).key(key)
                        .uploadId(uploadId).partNumber(partNumber).contentMD5(partMd5), RequestBody.fromBytes(part)).eTag());
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            boolean[] sent = new boolean[1];
            withQuickRetries(key, 0, () -> {
                try {
                    return s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId)
                            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
                } catch (S3Exception e) {
                    // A completion whose answer was lost took effect: the upload is gone. The read-back checks the object.
                    if (sent[0] && e.statusCode() == 404) {
                        return null;
                    }
                    throw e;
                } finally {
                    sent[0] = true;
                }
            });
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Attempts for one part of an upload, its completion, and the bucket check at start. */
    static final int PART_ATTEMPTS = 4;

    /**
     * Sends one part (or, as part 0, the completion), again on a transient failure (a reset, a 5xx, throttling): a lost connection
     * costs one part, not the whole upload, which {@link RetryingStore} would start over.
     */
    private <T> T withQuickRetries(String key, int partNumber, java.util.function.Supplier<T> send) {
        for (int attempt = 1; ; attempt++) {
            try {
                return send.get();
            } catch (SdkException e) {
                StorageException failure = translate("write part " + partNumber + " of", key, e);
                if (!failure.isTransient() || attempt >= PART_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(100L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * The upload's MD5, which the store checks against what it received (a body cut short or altered
     * on the way is refused, not stored). Only with a custom endpoint: on AWS the SDK's own checksums
     * do this job.
     */
    private String md5(byte[] data, int offset, int length) {
        if (settings.endpoint().isEmpty()) {
            return null;
        }
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, offset, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    @Override
    public byte[] get(String key) {
        Keys.check(key);
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key));
            return bytes.asByteArray();
        } catch (SdkException e) {
            throw translate("read", key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        Keys.check(key);
        if (length == 0) {
            return new byte[0];
        }
        try {
            return s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key)
                    .range("bytes=" + offset + "-" + (offset + length - 1))).asByteArray();
        } catch (SdkException e) {
            // A range of an empty object is answered 416 by S3 and with a broken body by s3rver: it exists and has no bytes.
            // A transient failure of the size's own request is thrown as such, so the read is tried again.
            if (offset == 0 && isEmpty(key)) {
                return new byte[0];
            }
            throw translate("read", key, e);
        }
    }

    private boolean isEmpty(String key) {
        try {
            return size(key) == 0;
        } catch (ObjectNotFoundException e) {
            return false;
        } catch (StorageException e) {
            if (e.isTransient()) {
                throw e;
            }
            return false;
        }
    }

    @Override
    public InputStream open(String key) {
        Keys.check(key);
        try {
            return s3.getObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw translate("read", key, e);
        }
    }

    @Override
    public boolean exists(String key) {
        Keys.check(key);
        try {
            s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw translate("check", key, e);
        } catch (SdkException e) {
            throw translate("check", key, e);
        }
    }

    @Override
    public long size(String key) {
        Keys.check(key);
        try {
            return s3.headObject(b -> b.bucket(settings.bucket()).key(key)).contentLength();
        } catch (SdkException e) {
            throw translate("check", key, e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        try {
            List<StoredObject> out = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix)).contents()) {
                out.add(new StoredObject(o.key(), o.size(), o.lastModified()));
            }
            return out;
        } catch (SdkException e) {
            throw translate("list", prefix, e);
        }
    }

    @Override
    public List<String> listFolders(String prefix) {
        try {
            List<String> out = new ArrayList<>();
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix).delimiter("/"))) {
                for (var common : page.commonPrefixes()) {
                    String p = common.prefix();
                    out.add(p.substring(prefix.length(), p.length() - 1));
                }
            }
            out.sort(null);
            return out;
        } catch (SdkException e) {
            throw translate("list", prefix, e);
        }
    }

    @Override
    public void delete(String key) {
        Keys.check(key);
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw translate("delete", key, e);
        }
    }

    @Override
    public String locate(String key) {
        return settings.endpoint().map(e -> e.toString().replaceAll("/+$", "") + "/" + settings.bucket() + "/" + key)
                .orElse("s3://" + settings.bucket() + "/" + key);
    }

    /** The SDK's message when no provider of its credential chain had credentials: it lists every provider, over a thousand characters. */
    private static final String NO_CREDENTIALS = "Unable to load credentials";

    private StorageException translate(String action, String key, SdkException e) {
        String where = "s3://" + settings.bucket() + (key.isEmpty() ? "" : "/" + key);
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().startsWith(NO_CREDENTIALS)) {
            return new StorageException("cannot " + action + " " + where + ": no AWS credentials found: set AWS_ACCESS_KEY and AWS_SECRET_KEY,"
                    + " or give the pod an IAM role (IRSA) or the machine an instance profile", e, false);
        }
        if (e instanceof NoSuchKeyException) {
            return new ObjectNotFoundException(key);
        }
        if (e instanceof NoSuchBucketException) {
            return new StorageException("S3 bucket '" + settings.bucket() + "' does not exist (AWS_S3_BUCKET_NAME)", e);
        }
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            if (status == 404) {
                return new ObjectNotFoundException(key);
            }
            boolean retry = status >= 500 || status == 429 || "SlowDown".equals(s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode());
            String detail = s3e.awsErrorDetails() == null ? s3e.getMessage() : s3e.awsErrorDetails().errorMessage();
            return new StorageException("cannot " + action + " " + where + ": HTTP " + status + " " + detail, e, retry);
        }
        // Client-side failures are connection problems and timeouts: worth another try.
        String endpoint = settings.endpoint().map(u -> u.toString() + " (AWS_S3_ENDPOINT)").orElse("AWS S3");
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) {
                return new StorageException("cannot " + action + " " + where + ": the host of " + endpoint + " is unknown here ("
                        + t.getMessage() + "): check the address, and this machine's DNS", e, true);
            }
            if (t instanceof java.net.ConnectException) {
                return new StorageException("cannot " + action + " " + where + ": " + endpoint + " refused the connection or could not be"
                        + " reached: check the address and port, and that the store is up and reachable from here", e, true);
            }
        }
        return new StorageException("cannot " + action + " " + where + ": " + e.getMessage(), e, e instanceof SdkClientException);
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
