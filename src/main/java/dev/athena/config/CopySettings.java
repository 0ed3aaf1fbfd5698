package dev.athena.config;

import java.util.Map;
import java.util.Optional;

import dev.athena.schedule.CronSchedule;

/**
 * COPY_TO and its settings: a second location {@code serve} keeps in step with the first (3-2-1).
 * {@code frequency} empty means a copy after each successful backup; {@code encryptionKey} is the
 * second location's (ATHENA_COPY_ENCRYPTION_KEY, else ATHENA_ENCRYPTION_KEY); the second location
 * forgets backups older than {@code retentionDays} (COPY_RETENTION_PERIOD, else
 * BACKUP_RETENTION_PERIOD). The key is left out of {@link #toString()}.
 */
public record CopySettings(String to, StorageConfig storage, Optional<CronSchedule> frequency, String encryptionKey, int retentionDays) {

    /** Empty when COPY_TO is unset; a {@link ConfigException} naming the variable when a value is wrong. */
    static Optional<CopySettings> fromEnv(Map<String, String> env, StorageConfig primary, int backupRetentionDays) {
        String to = StorageConfig.blankToNull(env.get("COPY_TO"));
        if (to == null) {
            for (String dependent : new String[] {"COPY_FREQUENCY", "COPY_RETENTION_PERIOD"}) {
                if (StorageConfig.blankToNull(env.get(dependent)) != null) {
                    throw new ConfigException(dependent + " is set but COPY_TO is not: set COPY_TO to the second location"
                            + " (a folder or s3://BUCKET), or unset " + dependent);
                }
            }
            return Optional.empty();
        }
        if (!to.startsWith("s3://") && !java.nio.file.Path.of(to).isAbsolute()) {
            throw new ConfigException("COPY_TO must be an absolute folder or s3://BUCKET, got '" + to + "'");
        }
        StorageConfig storage = storage(env, to);
        if (storage.toString().equals(primary.toString())) {
            throw new ConfigException("COPY_TO '" + to + "' is the backup location itself: name a second folder or bucket");
        }
        Optional<CronSchedule> frequency = Optional.empty();
        String cron = StorageConfig.blankToNull(env.get("COPY_FREQUENCY"));
        if (cron != null) {
            try {
                frequency = Optional.of(CronSchedule.parse(cron));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("COPY_FREQUENCY '" + cron + "' is not a valid cron expression: " + e.getMessage()
                        + "; unset it to copy after each backup");
            }
        }
        String key = key(env);
        int retention = AthenaConfig.integer(env, "COPY_RETENTION_PERIOD", backupRetentionDays, 0, 100_000);
        return Optional.of(new CopySettings(to, storage, frequency, key, retention));
    }

    /** Settings of the second location's S3 store that may differ from the first's (another provider or account), by the first's name. */
    private static final Map<String, String> OWN_S3 = Map.of("COPY_S3_ENDPOINT", "AWS_S3_ENDPOINT", "COPY_S3_REGION", "AWS_S3_REGION",
            "COPY_S3_FORCE_PATH_STYLE", "AWS_S3_FORCE_PATH_STYLE", "COPY_AWS_ACCESS_KEY", "AWS_ACCESS_KEY", "COPY_AWS_SECRET_KEY", "AWS_SECRET_KEY");

    /**
     * The second location {@code to} (a folder or s3://BUCKET). On S3 it takes the first location's
     * endpoint, region and credentials unless COPY_S3_* or COPY_AWS_* give its own, so a copy can
     * go to another provider or account.
     */
    public static StorageConfig storage(Map<String, String> env, String to) {
        Map<String, String> with = StorageConfig.at(env, to);
        boolean own = OWN_S3.keySet().stream().anyMatch(k -> StorageConfig.blankToNull(env.get(k)) != null);
        if (own) {
            // Its own store: nothing of the first one's is mixed in (its keys would be sent to another provider).
            OWN_S3.forEach((copyName, name) -> {
                String v = StorageConfig.blankToNull(env.get(copyName));
                if (v == null) {
                    with.remove(name);
                } else {
                    with.put(name, v);
                }
            });
        }
        try {
            return StorageConfig.fromEnv(with);
        } catch (ConfigException e) {
            String message = e.getMessage().replaceFirst("^AWS_S3_BUCKET_NAME ('[^']*') is not a valid bucket name",
                    "$1 is not a valid bucket name (3 to 63 lowercase letters, digits, dots and hyphens)");
            if (own) {
                for (Map.Entry<String, String> n : OWN_S3.entrySet()) {
                    message = message.replace(n.getValue(), n.getKey());
                }
            }
            throw new ConfigException("COPY_TO '" + to + "': " + message);
        }
    }

    /** The second location's key: ATHENA_COPY_ENCRYPTION_KEY, else ATHENA_ENCRYPTION_KEY, else null (not encrypted). */
    static String key(Map<String, String> env) {
        String key = StorageConfig.blankToNull(env.get("ATHENA_COPY_ENCRYPTION_KEY"));
        return key != null ? key : StorageConfig.blankToNull(env.get("ATHENA_ENCRYPTION_KEY"));
    }

    /** After each backup, or on its own schedule. */
    public String when() {
        return frequency.map(f -> "on " + f).orElse("after each backup");
    }

    @Override
    public String toString() {
        return storage + " (" + when() + ", kept " + retentionDays + " days" + (encryptionKey == null ? "" : ", encrypted") + ")";
    }
}
