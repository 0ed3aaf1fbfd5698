package dev.athena.config;

import java.util.Map;

/**
 * Performance settings read from the environment by the classes that use them (the repository's
 * compression and transfers, how many components run at once). Checked once at start, by
 * {@code serve} and by every CLI command, so a bad value stops Athena with one line naming the
 * variable; the classes then read them with {@code ...OrDefault}, which never throws: a class
 * whose static initializer threw would fail with a stack trace, not a message.
 */
public final class Tuning {
    private Tuning() {
    }

    /** Throws {@link ConfigException} naming the first bad variable. */
    public static void check(Map<String, String> env) {
        try {
            compressionLevel(env.get("ATHENA_COMPRESSION_LEVEL"));
            transferThreads(env.get("ATHENA_TRANSFER_THREADS"));
            componentThreads(env.get("ATHENA_COMPONENT_THREADS"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** zstd level for new blobs: -7 (fastest) to 19 (smallest); 1 when unset. */
    public static int compressionLevel(String value) {
        return number("ATHENA_COMPRESSION_LEVEL", "a zstd level", value, 1, -7, 19);
    }

    /** Packs moved at once; 0 uploads each on the thread that filled it. 4 when unset. */
    public static int transferThreads(String value) {
        return number("ATHENA_TRANSFER_THREADS", "a number of threads", value, 4, 0, 64);
    }

    /** Components backed up, restored or checked at once; 8 (all of them) when unset. */
    public static int componentThreads(String value) {
        return number("ATHENA_COMPONENT_THREADS", "a number of components", value, 8, 1, 64);
    }

    /**
     * This process's settings: the zstd level of new blobs; packs uploaded, or read by the
     * pre-restore check, at once (remote stores are bound by round trips, not cores); components
     * backed up, restored or checked at once (1: one after another, in order). A bad value gives
     * the default here, {@link #check} having stopped the start already.
     */
    public static final int COMPRESSION_LEVEL = fromProcess(Tuning::compressionLevel, "ATHENA_COMPRESSION_LEVEL", 1);
    public static final int TRANSFER_THREADS = fromProcess(Tuning::transferThreads, "ATHENA_TRANSFER_THREADS", 4);
    public static final int COMPONENT_THREADS = fromProcess(Tuning::componentThreads, "ATHENA_COMPONENT_THREADS", 8);

    private static int fromProcess(java.util.function.ToIntFunction<String> parse, String variable, int dflt) {
        try {
            return parse.applyAsInt(System.getenv(variable));
        } catch (IllegalArgumentException e) {
            return dflt;
        }
    }

    static int number(String variable, String what, String value, int dflt, int min, int max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + " must be " + what + " from " + min + " to " + max + ", got '" + value + "'");
    }
}
