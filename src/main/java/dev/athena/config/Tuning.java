package dev.athena.config;

import java.util.Map;

import dev.athena.repository.Repository;

/**
 * Performance settings, read once from the environment and handed down as values: the zstd level of
 * new blobs, how many packs move at once (remote stores are bound by round trips, not cores), and how
 * many components are backed up, restored or checked at once (1: one after another, in order).
 */
public record Tuning(int compressionLevel, int transferThreads, int componentThreads) {
    /** What an unset environment gives. */
    public static final Tuning DEFAULTS = new Tuning(Repository.Options.DEFAULTS.compressionLevel(),
            Repository.Options.DEFAULTS.transferThreads(), 8);

    /** Reads the three variables; throws {@link ConfigException} naming the first bad one. */
    public static Tuning fromEnv(Map<String, String> env) {
        return new Tuning(
                number(env, "ATHENA_COMPRESSION_LEVEL", "a zstd level", DEFAULTS.compressionLevel, -7, 19),
                number(env, "ATHENA_TRANSFER_THREADS", "a number of threads", DEFAULTS.transferThreads, 0, 64),
                number(env, "ATHENA_COMPONENT_THREADS", "a number of components", DEFAULTS.componentThreads, 1, 64));
    }

    /** The part of these settings a repository uses; its index spills into {@code scratch} when large. */
    public Repository.Options repositoryOptions(java.nio.file.Path scratch) {
        return new Repository.Options(compressionLevel, transferThreads, scratch);
    }

    private static int number(Map<String, String> env, String variable, String what, int dflt, int min, int max) {
        String value = env.get(variable);
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
        throw new ConfigException(variable + " must be " + what + " from " + min + " to " + max + ", got '" + value + "'");
    }
}
