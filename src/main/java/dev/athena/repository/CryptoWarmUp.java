package dev.athena.repository;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JDK's AES-GCM and SHA-256 compiled before the repository's data needs them.
 *
 * <p>Why: the JDK reaches AES-NI, CLMUL and the SHA extensions only from code the C2 compiler
 * has compiled (the GHASH, AES-CTR and SHA-256 intrinsics); until then GCM runs a bit-by-bit
 * GHASH in Java. C2 compiles a method after some thousands of calls, and a backup or restore
 * makes few, large ones (a chunk is about a megabyte): a fresh JVM never got there and sealed and
 * opened at about 60 MB/s instead of 2.7 GB/s (measured here: 300 MB sealed and opened in 9.5 s
 * cold, 0.2 s after this warm-up). Two thirds of a cold restore's CPU went into that GHASH.
 *
 * <p>The calls below are small and many, with lengths chosen to take both sides of each branch
 * of the JDK's GCM and digest code (empty, partial block, whole blocks, and above its 64 KiB split
 * threshold): code compiled from calls of one shape only is thrown away at the first call of
 * another ("unstable if"), and a process with few calls then never compiles it again. It runs
 * once per process, on a low-priority daemon thread with a throwaway key (about 0.4-0.7 s of one
 * core), from the first data blob of {@link #FROM} bytes or more that the repository seals or
 * looks up ({@link Repository}): a backup's new chunks, or the chunks a restore's check meets.
 * A process that moves no data through AES-GCM never pays for it: no encryption (there it cost
 * more than it saved: 7.57 -> 8.12 CPU-s a backup), little data (started at every open of an
 * encrypted repository, a backup of an empty folder took 1.3 -> 1.6-2.0 s), or only metadata
 * (started by any large object, the 1.1 MB index file of an unchanged re-backup started it).
 */
final class CryptoWarmUp {
    /** A data blob this large (sealed) is a chunk of real data: chunks are about a megabyte, small files' blobs far smaller. */
    static final int FROM = 256 * 1024;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final int ROUNDS = 20_000;
    private static final int LARGE_EVERY = 100;
    private static final int[] LENGTHS = {0, 1, 15, 16, 17, 33, 100, 1000, 4095, 4096, 8191};

    private CryptoWarmUp() {
    }

    /** Starts the warm-up unless this process has started it already. */
    static void start() {
        if (!STARTED.get() && STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(CryptoWarmUp::runQuietly, "athena-crypto-warm-up");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        }
    }

    private static void runQuietly() {
        try {
            run();
        } catch (GeneralSecurityException | RuntimeException e) {
            // Only speed depends on it; the repository's own calls report a JVM without AES-GCM or SHA-256.
        }
    }

    /** The warm-up itself, in the caller's thread. */
    static void run() throws GeneralSecurityException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SecretKeySpec throwaway = new SecretKeySpec(key, "AES");
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] data = new byte[65_536 + 64];
        byte[] nonce = new byte[Envelope.NONCE];
        for (int i = 0; i < ROUNDS; i++) {
            int length = i % LARGE_EVERY == 0 ? 65_536 + 17 + i % 31 : LENGTHS[i % LENGTHS.length];
            // A counter nonce: the throwaway key never sees one twice (GCM refuses that).
            for (int b = 0; b < 4; b++) {
                nonce[b] = (byte) (i >>> (8 * b));
            }
            cipher.init(Cipher.ENCRYPT_MODE, throwaway, new GCMParameterSpec(Envelope.TAG * 8, nonce));
            byte[] sealed = cipher.doFinal(data, 0, length);
            cipher.init(Cipher.DECRYPT_MODE, throwaway, new GCMParameterSpec(Envelope.TAG * 8, nonce));
            cipher.doFinal(sealed);
            sha.update(data, 0, length);
            sha.digest();
        }
    }
}
