package dev.athena.repository;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The repository's only plaintext object: format version, chunker parameters and, when encrypted,
 * the KDF salt and the random master key sealed with the key derived from ATHENA_ENCRYPTION_KEY.
 */
public record RepositoryConfig(int version, String id, String chunker, int chunkMin, int chunkAvg, int chunkMax,
                               String compression, Encryption encryption) {
    public static final int VERSION = 1;
    static final int KDF_ITERATIONS = 210_000;

    public record Encryption(String cipher, String kdf, int iterations, String salt, String masterKey) {
    }

    static RepositoryConfig create(String passphrase) {
        SecureRandom random = new SecureRandom();
        byte[] idBytes = new byte[16];
        random.nextBytes(idBytes);
        Encryption encryption = null;
        if (passphrase != null) {
            byte[] salt = new byte[16];
            byte[] master = new byte[32];
            random.nextBytes(salt);
            random.nextBytes(master);
            byte[] sealed = Envelope.aesGcm(derive(passphrase, salt, KDF_ITERATIONS)).seal(master);
            encryption = new Encryption("AES-256-GCM", "PBKDF2WithHmacSHA256", KDF_ITERATIONS,
                    Base64.getEncoder().encodeToString(salt), Base64.getEncoder().encodeToString(sealed));
        }
        return new RepositoryConfig(VERSION, HexFormat.of().formatHex(idBytes), "fastcdc-gear-v1",
                Chunker.MIN_SIZE, Chunker.AVG_SIZE, Chunker.MAX_SIZE, "zstd", encryption);
    }

    /** The envelope for this repository's objects; a clear error when the key is missing or wrong. */
    Envelope envelope(String passphrase, String where) {
        if (version != VERSION) {
            throw new RepositoryException("repository " + where + " has format version " + version + "; this Athena reads version " + VERSION);
        }
        if (encryption == null) {
            if (passphrase != null) {
                throw new RepositoryException("repository " + where + " was created without encryption, but ATHENA_ENCRYPTION_KEY is set;"
                        + " unset it to use this repository, or back up to a new location");
            }
            return Envelope.plain();
        }
        if (passphrase == null) {
            throw new RepositoryException("repository " + where + " is encrypted: set ATHENA_ENCRYPTION_KEY to the key it was created with");
        }
        byte[] kek = derive(passphrase, Base64.getDecoder().decode(encryption.salt()), encryption.iterations());
        try {
            return Envelope.aesGcm(Envelope.aesGcm(kek).open(Base64.getDecoder().decode(encryption.masterKey())));
        } catch (CorruptDataException e) {
            throw new RepositoryException("ATHENA_ENCRYPTION_KEY does not open repository " + where + ": wrong key");
        }
    }

    /**
     * Keys derived in this process, by a hash of what they were derived from: each job of {@code serve} opens the
     * repository again, and 210,000 rounds of PBKDF2 cost a fresh JVM 0.3-0.8 s each time. The hash, not the
     * passphrase, is the map's key; the derived key is no more secret than the master key the open repository holds.
     */
    private static final java.util.Map<String, byte[]> DERIVED = new java.util.concurrent.ConcurrentHashMap<>();

    private static byte[] derive(String passphrase, byte[] salt, int iterations) {
        String key = cacheKey(passphrase, salt, iterations);
        return DERIVED.computeIfAbsent(key, k -> pbkdf2(passphrase, salt, iterations)).clone();
    }

    private static String cacheKey(String passphrase, byte[] salt, int iterations) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(java.nio.ByteBuffer.allocate(4).putInt(iterations).array());
            sha.update(passphrase.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static byte[] pbkdf2(String passphrase, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 unavailable", e);
        }
    }
}
