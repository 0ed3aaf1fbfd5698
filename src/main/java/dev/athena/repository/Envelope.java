package dev.athena.repository;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals every object the repository stores. Without a key it is the identity; with one it is
 * AES-256-GCM with a fresh random 96-bit nonce per object: {@code nonce || ciphertext || tag}.
 */
public final class Envelope {
    public static final int NONCE = 12;
    public static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no AES-GCM", e);
        }
    });

    private final SecretKey key;

    private Envelope(SecretKey key) {
        this.key = key;
    }

    public static Envelope plain() {
        return new Envelope(null);
    }

    public static Envelope aesGcm(byte[] key32) {
        if (key32.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        return new Envelope(new SecretKeySpec(key32, "AES"));
    }

    public boolean encrypts() {
        return key != null;
    }

    public byte[] seal(byte[] plaintext) {
        return seal(plaintext, 0, plaintext.length);
    }

    public byte[] seal(byte[] plaintext, int offset, int length) {
        if (key == null) {
            return offset == 0 && length == plaintext.length ? plaintext : java.util.Arrays.copyOfRange(plaintext, offset, offset + length);
        }
        try {
            byte[] out = new byte[NONCE + length + TAG];
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            System.arraycopy(nonce, 0, out, 0, NONCE);
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            c.doFinal(plaintext, offset, length, out, NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Opens a sealed object; {@link CorruptDataException} when it was altered or sealed with another key. */
    public byte[] open(byte[] sealed) {
        if (key == null) {
            return sealed;
        }
        if (sealed.length < NONCE + TAG) {
            throw new CorruptDataException("encrypted object too short (" + sealed.length + " bytes)");
        }
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, sealed, 0, NONCE));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new CorruptDataException("authentication failed: the data was altered or sealed with another key", e);
        } catch (GeneralSecurityException e) {
            throw new CorruptDataException("decryption failed: " + e.getMessage(), e);
        }
    }
}
