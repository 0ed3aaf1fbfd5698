package dev.athena.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys the service accepts. With none configured the service never runs open: it
 * generates a key once, stores it owner-only, and says where (never the key itself).
 */
public final class ApiKeys {
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private final List<byte[]> digests;

    private ApiKeys(List<String> keys) {
        this.digests = keys.stream().map(ApiKeys::digest).toList();
    }

    public static ApiKeys of(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is needed");
        }
        return new ApiKeys(keys);
    }

    /** ATHENA_API_KEYS, or the key stored in {@code stateDir/api-key}, generated on first start. */
    public static ApiKeys resolve(List<String> configured, Path stateDir) {
        if (!configured.isEmpty()) {
            return of(configured);
        }
        Path file = stateDir.resolve("api-key");
        try {
            if (Files.isRegularFile(file)) {
                log.info("no ATHENA_API_KEYS set: using the API key stored in {}", file);
                return of(List.of(Files.readString(file).trim()));
            }
            Files.createDirectories(stateDir);
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key + "\n");
            log.warn("no ATHENA_API_KEYS set: generated an API key and stored it in {} (readable by its owner only)", file);
            return of(List.of(key));
        } catch (IOException e) {
            throw new IllegalStateException("no ATHENA_API_KEYS set and cannot store a generated key in " + file + ": " + e.getMessage()
                    + " (set ATHENA_API_KEYS or ATHENA_STATE_DIR)", e);
        }
    }

    /** Checks an Authorization header ({@code <key>} or {@code Bearer <key>}) in constant time. */
    public boolean accepts(String authorization) {
        return which(authorization) > 0;
    }

    /**
     * Which key of ATHENA_API_KEYS the header holds, counting from 1 (0: none), so a record can say
     * who asked without holding the key. Every key is compared, in constant time.
     */
    public int which(String authorization) {
        if (authorization == null) {
            return 0;
        }
        String key = authorization.trim();
        if (key.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = key.substring(7).trim();
        }
        byte[] d = digest(key);
        int found = 0;
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(d, digests.get(i)) && found == 0) {
                found = i + 1;
            }
        }
        return found;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
