package dev.athena.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Looks at the whole environment before any setting is read. A variable that is almost the name
 * of one of Athena's is a typo that would silently change what Athena does
 * ({@code LOCAL_BACKUP_LOCATON} sent backups to /backup): it stops the start, naming the variable
 * meant. Any other variable with one of Athena's prefixes is reported as ignored. Kubernetes
 * service links ({@code POSTGRES_SERVICE_HOST}, {@code POSTGRES_PORT=tcp://...}, ...), which every
 * pod gets for every Service in its namespace, are recognised and never stop the start; where one
 * takes the name of a setting, the message says so and how to fix it.
 */
public final class EnvironmentCheck {
    /** Every variable Athena reads. */
    public static final Set<String> KNOWN = Set.of(
            "ENABLE_REGULAR_BACKUPS", "BACKUP_FREQUENCY", "BACKUP_LOCATION_TYPE", "LOCAL_BACKUP_LOCATION", "BACKUP_RETENTION_PERIOD",
            "AWS_S3_BUCKET_NAME", "AWS_S3_REGION", "AWS_S3_ENDPOINT", "AWS_S3_FORCE_PATH_STYLE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
            "AWS_RDS_IDENTIFIER", "AWS_RDS_REGION", "AWS_RDS_ENDPOINT", "AWS_RDS_RESTORE_IDENTIFIER",
            "ATHENA_NAMESPACE", "POD_NAMESPACE", "ATHENA_PORT", "ATHENA_API_KEYS", "ATHENA_STATE_DIR", "ATHENA_SHUTDOWN_GRACE_SECONDS",
            "ATHENA_ENCRYPTION_KEY", "ATHENA_COMPRESSION_LEVEL", "ATHENA_TRANSFER_THREADS", "ATHENA_COMPONENT_THREADS", "ATHENA_SCRATCH_DIR",
            "ATHENA_LEADER_ELECTION", "ATHENA_LEASE_SECONDS", "ATHENA_ADVERTISE_URL", "ATHENA_SIGNING_KEY",
            "NOTIFY_WEBHOOK_URLS", "NOTIFY_ON_SUCCESS", "NOTIFY_TIMEOUT_SECONDS", "VERIFY_FREQUENCY", "VERIFY_READ_DATA_PERCENT",
            "DRILL_FREQUENCY", "DRILL_SCRATCH_DIR", "DRILL_COMMAND", "DRILL_COMMAND_TIMEOUT_SECONDS",
            "DRILL_POSTGRES_HOST", "DRILL_POSTGRES_PORT", "DRILL_POSTGRES_USER", "DRILL_POSTGRES_PASSWORD",
            "DRILL_RDS", "DRILL_RDS_INSTANCE_CLASS", "DRILL_RDS_SUBNET_GROUP", "DRILL_RDS_SECURITY_GROUPS",
            "POSTGRES_BACKUP_MODE", "POSTGRES_WAL_ARCHIVE", "WAL_UPLOAD_INTERVAL_SECONDS", "POSTGRES_BASE_BACKUP_MAX_AGE_HOURS", "POSTGRES_DATA_DIR", "POSTGRES_STOP_COMMAND",
            "POSTGRES_START_COMMAND",
            "RETENTION_KEEP_HOURLY", "RETENTION_KEEP_DAILY", "RETENTION_KEEP_WEEKLY", "RETENTION_KEEP_MONTHLY", "RETENTION_KEEP_YEARLY",
            "COPY_TO", "COPY_FREQUENCY", "COPY_RETENTION_PERIOD", "COPY_S3_ENDPOINT", "COPY_S3_REGION", "COPY_S3_FORCE_PATH_STYLE",
            "COPY_AWS_ACCESS_KEY", "COPY_AWS_SECRET_KEY",
            // Read by the CLI's commands that talk to a running service.
            "ATHENA_URL", "ATHENA_API_KEY", "ATHENA_COPY_ENCRYPTION_KEY",
            // Read by bin/athena, before the JVM starts.
            "ATHENA_JAVA_OPTS", "ATHENA_JAR", "ATHENA_CLASS_ARCHIVE",
            "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_SSLMODE", "POSTGRES_SSLROOTCERT",
            "POSTGRES_DATABASES", "POSTGRES_BIN_DIR", "POSTGRES_JOBS", "POSTGRES_STREAM_TABLE_MB",
            "METAGRAPH_VOLUME_PATH", "METAGRAPH_PRE_BACKUP_COMMAND", "METAGRAPH_POST_BACKUP_COMMAND", "GITSERVER_VOLUME_PATH",
            "CONFIGMAP_PATH", "CONFIGMAP_NAME", "CONFIG_PRESERVE_KEYS", "PLATFORM_VERSION",
            "HEALTH_CHECK_URLS", "HEALTH_CHECK_TIMEOUT_SECONDS", "UPGRADE_COMMAND", "UPGRADE_TIMEOUT_SECONDS",
            "POST_RESTORE_COMMAND", "POST_RESTORE_TIMEOUT_SECONDS", "RTO_TARGET", "RPO_TARGET",
            "JENKINS_URL", "JENKINS_JOB", "JENKINS_USER", "JENKINS_TOKEN", "JENKINS_TIMEOUT_SECONDS");

    /** Prefixes of Athena's variables: an unknown variable with one of them is reported. */
    static final List<String> PREFIXES = List.of("ATHENA_", "BACKUP_", "LOCAL_BACKUP", "AWS_S3_", "AWS_RDS_", "POSTGRES_", "METAGRAPH_",
            "GITSERVER_", "CONFIGMAP_", "DRILL_", "RETENTION_", "JENKINS_", "HEALTH_CHECK_", "UPGRADE_", "POST_RESTORE_", "RTO_", "RPO_", "COPY_", "NOTIFY_", "VERIFY_", "WAL_");

    /** Names Kubernetes gives service-link variables (docker-links style, plus SERVICE_HOST/SERVICE_PORT). */
    private static final Pattern SERVICE_LINK_NAME = Pattern.compile(
            "[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_\\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");
    private static final Pattern SERVICE_LINK_VALUE = Pattern.compile("(tcp|udp|sctp)://[^\\s]+:\\d+");

    private EnvironmentCheck() {
    }

    /**
     * Throws a {@link ConfigException} for a likely typo or a service link that took a setting's
     * name; returns one warning per other unknown variable with Athena's prefix.
     */
    public static List<String> check(Map<String, String> env) {
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (KNOWN.contains(name)) {
                if (SERVICE_LINK_VALUE.matcher(value).matches()) {
                    String service = name.substring(0, name.lastIndexOf('_')).toLowerCase().replace('_', '-');
                    throw new ConfigException(name + " is '" + value + "', which Kubernetes sets for a Service named '" + service
                            + "' (a service link), not a setting of Athena's: set 'enableServiceLinks: false' in the pod spec,"
                            + " or set " + name + " explicitly");
                }
                continue;
            }
            if (isServiceLink(name, value)) {
                continue;
            }
            String meant = typoOf(name);
            if (meant != null) {
                throw new ConfigException(name + " is not a variable Athena reads; did you mean " + meant + "? (unset or rename it)");
            }
            if (PREFIXES.stream().anyMatch(name::startsWith)) {
                warnings.add("environment variable " + name + " is not one Athena reads; it is ignored");
            }
        }
        checkSecrets(env, warnings);
        return warnings;
    }

    /** Variables that hold secrets: a placeholder left in is refused, a short key is warned about. */
    static final List<String> SECRETS = List.of("ATHENA_API_KEYS", "ATHENA_API_KEY", "ATHENA_ENCRYPTION_KEY", "ATHENA_COPY_ENCRYPTION_KEY", "POSTGRES_PASSWORD", "AWS_SECRET_KEY", "COPY_AWS_SECRET_KEY", "JENKINS_TOKEN", "NOTIFY_WEBHOOK_URLS", "ATHENA_SIGNING_KEY", "DRILL_POSTGRES_PASSWORD");
    static final int STRONG_KEY = 16;

    /**
     * The deploy manifests ship {@code change-me...} placeholders: one left in would protect the API,
     * or encrypt every backup, with a key anyone can read on GitHub.
     */
    static void checkSecrets(Map<String, String> env, List<String> warnings) {
        for (String name : SECRETS) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            List<String> parts = name.equals("ATHENA_API_KEYS") ? List.of(value.split(",")) : List.of(value);
            for (String part : parts) {
                String v = part.trim();
                if (v.toLowerCase(java.util.Locale.ROOT).startsWith("change-me")) {
                    throw new ConfigException(name + " still holds the manifest's placeholder ('change-me...'): put a real secret in the"
                            + " Secret (for example: openssl rand -base64 32)");
                }
                if ((name.equals("ATHENA_API_KEYS") || name.endsWith("ENCRYPTION_KEY")) && !v.isEmpty() && v.length() < STRONG_KEY) {
                    warnings.add(name + (parts.size() > 1 ? " holds a key" : " is") + " shorter than " + STRONG_KEY
                            + " characters: easy to guess; use a long random one (openssl rand -base64 32)");
                }
            }
        }
    }

    static boolean isServiceLink(String name, String value) {
        return SERVICE_LINK_NAME.matcher(name).matches() || name.endsWith("_PORT") && SERVICE_LINK_VALUE.matcher(value).matches();
    }

    /**
     * The known variable {@code name} is a near-miss of: one letter added, missing, wrong or two
     * swapped, or two such slips in a long name. Looser matches are left alone, so the platform's
     * own variables ({@code POSTGRES_DB}) are not taken for typos.
     */
    static String typoOf(String name) {
        for (String k : KNOWN) {
            // The name without its unit (POSTGRES_BASE_BACKUP_MAX_AGE for ..._HOURS): too far for the spelling distance, but plainly meant.
            if (k.startsWith(name + "_") && k.indexOf('_', name.length() + 1) < 0 && name.indexOf('_') > 0) {
                return k;
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KNOWN) {
            int d = Spelling.distance(name, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = name.length() >= 12 ? 2 : 1;
        return bestDistance <= allowed ? best : null;
    }
}
