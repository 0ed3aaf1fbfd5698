package dev.athena.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.athena.component.postgres.PostgresSettings;
import dev.athena.repository.RepositoryLayout;
import dev.athena.restore.JenkinsSettings;
import dev.athena.restore.RecoverySettings;
import dev.athena.schedule.CronSchedule;

/**
 * Every setting of {@code athena serve}, read once from the environment and checked at start:
 * an invalid value stops the service with a message naming the variable.
 */
public record AthenaConfig(String namespace, int port, List<String> apiKeys, StorageConfig storage,
                           boolean regularBackups, CronSchedule frequency, int retentionDays,
                           String encryptionKey, String platformVersion,
                           Optional<Path> metagraphPath, Optional<Path> gitserverPath, Optional<Path> configMapPath,
                           Path stateDir, int shutdownGraceSeconds, Optional<PostgresSettings> postgres,
                           Optional<String> configMapName, java.util.Set<String> configPreserveKeys,
                           Optional<String> metagraphPreHook, Optional<String> metagraphPostHook, Optional<RdsSettings> rds,
                           RecoverySettings recovery, Path scratchDir, HighAvailability ha, Tuning tuning,
                           Optional<CopySettings> copy, dev.athena.schedule.RetentionPolicy.Keep retentionKeep,
                           Notifications notifications, Optional<Verification> verification, Optional<String> signingKey,
                           Drills drills, PhysicalPostgres physical) {

    /**
     * POSTGRES_BACKUP_MODE, POSTGRES_WAL_ARCHIVE and their settings: base backups over the
     * replication protocol beside (or instead of) the logical dumps, the write-ahead log streamed
     * into the repository, and where a point-in-time restore puts the recovered cluster.
     */
    public record PhysicalPostgres(String backupMode, boolean walArchive, java.time.Duration uploadInterval, Optional<Path> dataDir,
                                   Optional<String> stopCommand, Optional<String> startCommand, java.time.Duration baseBackupMaxAge) {
        public static final List<String> MODES = List.of("logical", "physical", "both");

        public boolean logical() {
            return !backupMode.equals("physical");
        }

        public boolean physical() {
            return !backupMode.equals("logical");
        }
    }

    /**
     * Restore drills: on demand always, on DRILL_FREQUENCY when set, into DRILL_SCRATCH_DIR (files)
     * and databases named athena_drill_..., with DRILL_COMMAND run after the checks.
     */
    public record Drills(Optional<CronSchedule> frequency, Path scratchDir, Optional<String> command, java.time.Duration commandTimeout,
                         Optional<PostgresSettings> postgres, Optional<dev.athena.component.rds.RdsDrillSettings> rds) {
        @Override
        public String toString() {
            return frequency.map(f -> "on " + f).orElse("on demand") + " into " + scratchDir + postgres.map(p -> ", databases on " + p.host() + ":" + p.port()).orElse("")
                    + rds.map(r -> ", RDS into drill instances" + r.instanceClass().map(c -> " of class " + c).orElse("")).orElse("");
        }
    }

    /** VERIFY_FREQUENCY and VERIFY_READ_DATA_PERCENT: continuous verification, a share of the packs per run. */
    public record Verification(CronSchedule frequency, int readDataPercent) {
    }

    /** NOTIFY_*: where failed (and, on request, successful) jobs are announced. The URLs are secrets: never logged whole. */
    public record Notifications(List<java.net.URI> webhooks, boolean onSuccess, java.time.Duration timeout) {
        @Override
        public String toString() {
            return webhooks.size() + " webhook" + (webhooks.size() == 1 ? "" : "s") + (onSuccess ? ", successes too" : "");
        }
    }

    /**
     * ATHENA_LEADER_ELECTION and its settings: several replicas of serve on one namespace, of which
     * the leader runs the schedule and the jobs. {@code advertiseUrl} is how the others reach this
     * one's API; unset, it is made from this host's address and the port.
     */
    public record HighAvailability(boolean enabled, java.time.Duration lease, Optional<java.net.URI> advertiseUrl) {
    }

    /** AWS_RDS_*: the RDS instance whose snapshots back up PostgreSQL. */
    public record RdsSettings(String instanceId, String region, Optional<java.net.URI> endpoint, Optional<String> restoreInstanceId,
                              Optional<String> accessKey, Optional<String> secretKey) {
        @Override
        public String toString() {
            return "RDS " + instanceId + " in " + region;
        }
    }

    public static AthenaConfig fromEnv(Map<String, String> env) {
        String namespace = first(env, "ATHENA_NAMESPACE", "POD_NAMESPACE").orElse("app");
        try {
            RepositoryLayout.checkNamespace(namespace);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("ATHENA_NAMESPACE: " + e.getMessage());
        }
        int port = integer(env, "ATHENA_PORT", 8080, 0, 65535);
        List<String> keys = new ArrayList<>();
        for (String k : env.getOrDefault("ATHENA_API_KEYS", "").split(",")) {
            if (!k.isBlank()) {
                keys.add(k.trim());
            }
        }
        boolean regular = bool(env, "ENABLE_REGULAR_BACKUPS", false);
        String cron = env.getOrDefault("BACKUP_FREQUENCY", "0 0 */2 * * *");
        CronSchedule frequency;
        try {
            frequency = CronSchedule.parse(cron);
        } catch (IllegalArgumentException e) {
            // The seed's own example, "0 0 _/4 _ * _", lost its '*' to markdown.
            String hint = cron.contains("_") ? "; the seed's documentation shows '_' where '*' is meant: write '" + cron.replace('_', '*') + "'" : "";
            throw new ConfigException("BACKUP_FREQUENCY '" + cron + "' is not a valid cron expression: " + e.getMessage() + hint);
        }
        int retention = integer(env, "BACKUP_RETENTION_PERIOD", 90, 0, 100_000);
        Tuning tuning = Tuning.fromEnv(env);
        StorageConfig storage = StorageConfig.fromEnv(env);
        return new AthenaConfig(namespace, port, List.copyOf(keys), storage, regular, frequency, retention,
                StorageConfig.blankToNull(env.get("ATHENA_ENCRYPTION_KEY")), StorageConfig.blankToNull(env.get("PLATFORM_VERSION")),
                folder(env, "METAGRAPH_VOLUME_PATH"), folder(env, "GITSERVER_VOLUME_PATH"), path(env, "CONFIGMAP_PATH"),
                Path.of(env.getOrDefault("ATHENA_STATE_DIR", Path.of(System.getProperty("user.home"), ".athena").toString())),
                integer(env, "ATHENA_SHUTDOWN_GRACE_SECONDS", 60, 0, 86_400), postgres(env), configMapName(env),
                list(env, "CONFIG_PRESERVE_KEYS"), Optional.ofNullable(StorageConfig.blankToNull(env.get("METAGRAPH_PRE_BACKUP_COMMAND"))),
                Optional.ofNullable(StorageConfig.blankToNull(env.get("METAGRAPH_POST_BACKUP_COMMAND"))), rds(env), recovery(env),
                scratchFolder(env), highAvailability(env, keys), tuning,
                CopySettings.fromEnv(env, storage, retention), retentionKeep(env), notifications(env), verification(env),
                Optional.ofNullable(StorageConfig.blankToNull(env.get("ATHENA_SIGNING_KEY"))), drills(env), physical(env));
    }

    private static PhysicalPostgres physical(Map<String, String> env) {
        String mode = env.getOrDefault("POSTGRES_BACKUP_MODE", "logical").trim();
        if (!PhysicalPostgres.MODES.contains(mode)) {
            throw new ConfigException("POSTGRES_BACKUP_MODE must be one of " + String.join(", ", PhysicalPostgres.MODES) + ", got '" + mode + "'");
        }
        boolean archive = bool(env, "POSTGRES_WAL_ARCHIVE", false);
        boolean server = StorageConfig.blankToNull(env.get("POSTGRES_HOST")) != null;
        if ((archive || !mode.equals("logical")) && !server) {
            throw new ConfigException((archive ? "POSTGRES_WAL_ARCHIVE=true" : "POSTGRES_BACKUP_MODE=" + mode) + " needs POSTGRES_HOST: the WAL and base"
                    + " backups come from a PostgreSQL server over the replication protocol (for RDS, use its snapshots and RestoreDBInstanceToPointInTime)");
        }
        if (archive && mode.equals("logical")) {
            throw new ConfigException("POSTGRES_WAL_ARCHIVE=true needs base backups to replay the WAL onto: set POSTGRES_BACKUP_MODE=physical or both");
        }
        Optional<Path> dataDir = path(env, "POSTGRES_DATA_DIR");
        Optional<String> stop = Optional.ofNullable(StorageConfig.blankToNull(env.get("POSTGRES_STOP_COMMAND")));
        Optional<String> start = Optional.ofNullable(StorageConfig.blankToNull(env.get("POSTGRES_START_COMMAND")));
        if (dataDir.isPresent() != stop.isPresent() || dataDir.isPresent() != start.isPresent()) {
            throw new ConfigException("POSTGRES_DATA_DIR, POSTGRES_STOP_COMMAND and POSTGRES_START_COMMAND go together: a point-in-time restore into the"
                    + " data folder stops the server, replaces the folder and starts it again; set all three, or none");
        }
        int maxAgeHours = integer(env, "POSTGRES_BASE_BACKUP_MAX_AGE_HOURS", 0, 0, 24 * 366);
        if (maxAgeHours > 0 && !archive) {
            throw new ConfigException("POSTGRES_BASE_BACKUP_MAX_AGE_HOURS=" + maxAgeHours + " needs POSTGRES_WAL_ARCHIVE=true: a backup that keeps the last"
                    + " base backup reaches its own moment through the archived WAL");
        }
        return new PhysicalPostgres(mode, archive, java.time.Duration.ofSeconds(integer(env, "WAL_UPLOAD_INTERVAL_SECONDS", 10, 1, 3600)),
                dataDir, stop, start, java.time.Duration.ofHours(maxAgeHours));
    }

    private static Drills drills(Map<String, String> env) {
        Optional<CronSchedule> frequency = Optional.empty();
        String cron = StorageConfig.blankToNull(env.get("DRILL_FREQUENCY"));
        if (cron != null) {
            try {
                frequency = Optional.of(CronSchedule.parse(cron));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("DRILL_FREQUENCY '" + cron + "' is not a valid cron expression: " + e.getMessage());
            }
        }
        Path scratch = path(env, "DRILL_SCRATCH_DIR").orElse(scratchFolder(env).resolve("athena-drills"));
        Optional<PostgresSettings> server = Optional.empty();
        if (StorageConfig.blankToNull(env.get("DRILL_POSTGRES_HOST")) != null) {
            // The platform's settings (sslmode, tools, jobs), on another server and as another user when given.
            Map<String, String> drillEnv = new java.util.HashMap<>(env);
            drillEnv.put("POSTGRES_HOST", env.get("DRILL_POSTGRES_HOST"));
            for (String v : new String[] {"PORT", "USER", "PASSWORD"}) {
                String value = StorageConfig.blankToNull(env.get("DRILL_POSTGRES_" + v));
                if (value != null) {
                    drillEnv.put("POSTGRES_" + v, value);
                }
            }
            try {
                server = postgres(drillEnv);
            } catch (ConfigException e) {
                throw new ConfigException("DRILL_POSTGRES_*: " + e.getMessage().replace("POSTGRES_", "DRILL_POSTGRES_"));
            }
        }
        return new Drills(frequency, scratch, Optional.ofNullable(StorageConfig.blankToNull(env.get("DRILL_COMMAND"))),
                java.time.Duration.ofSeconds(integer(env, "DRILL_COMMAND_TIMEOUT_SECONDS", 1800, 1, 86_400)), server, rdsDrills(env));
    }

    private static Optional<dev.athena.component.rds.RdsDrillSettings> rdsDrills(Map<String, String> env) {
        boolean enabled = bool(env, "DRILL_RDS", false);
        List<String> details = List.of("DRILL_RDS_INSTANCE_CLASS", "DRILL_RDS_SUBNET_GROUP", "DRILL_RDS_SECURITY_GROUPS");
        if (!enabled) {
            for (String d : details) {
                if (StorageConfig.blankToNull(env.get(d)) != null) {
                    throw new ConfigException(d + " is set but DRILL_RDS is not true: set DRILL_RDS=true to let drills make an RDS instance, or unset " + d);
                }
            }
            return Optional.empty();
        }
        if (StorageConfig.blankToNull(env.get("AWS_RDS_IDENTIFIER")) == null) {
            throw new ConfigException("DRILL_RDS=true needs AWS_RDS_IDENTIFIER: drills of RDS restore its snapshots; unset DRILL_RDS for a PostgreSQL server");
        }
        Optional<String> instanceClass = Optional.ofNullable(StorageConfig.blankToNull(env.get("DRILL_RDS_INSTANCE_CLASS")));
        if (instanceClass.isPresent() && !instanceClass.get().matches("db\\.[a-z0-9]+\\.[a-z0-9]+")) {
            throw new ConfigException("DRILL_RDS_INSTANCE_CLASS '" + instanceClass.get() + "' is not an RDS instance class: write one such as db.t4g.micro");
        }
        List<String> securityGroups = List.copyOf(list(env, "DRILL_RDS_SECURITY_GROUPS"));
        for (String g : securityGroups) {
            if (!g.matches("sg-[0-9a-f]{8,17}")) {
                throw new ConfigException("DRILL_RDS_SECURITY_GROUPS: '" + g + "' is not a VPC security group id: write ids such as sg-0123456789abcdef0, separated by commas");
            }
        }
        return Optional.of(new dev.athena.component.rds.RdsDrillSettings(instanceClass, Optional.ofNullable(StorageConfig.blankToNull(env.get("DRILL_RDS_SUBNET_GROUP"))), securityGroups));
    }

    private static Optional<Verification> verification(Map<String, String> env) {
        String cron = StorageConfig.blankToNull(env.get("VERIFY_FREQUENCY"));
        if (cron == null) {
            if (StorageConfig.blankToNull(env.get("VERIFY_READ_DATA_PERCENT")) != null) {
                throw new ConfigException("VERIFY_READ_DATA_PERCENT is set but VERIFY_FREQUENCY is not: set when verification runs"
                        + " (a cron expression, like BACKUP_FREQUENCY), or unset VERIFY_READ_DATA_PERCENT");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new Verification(CronSchedule.parse(cron), integer(env, "VERIFY_READ_DATA_PERCENT", 10, 1, 100)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("VERIFY_FREQUENCY '" + cron + "' is not a valid cron expression: " + e.getMessage());
        }
    }

    private static Notifications notifications(Map<String, String> env) {
        List<java.net.URI> hooks = new ArrayList<>();
        for (String u : env.getOrDefault("NOTIFY_WEBHOOK_URLS", "").split(",")) {
            if (!u.isBlank()) {
                try {
                    hooks.add(url("NOTIFY_WEBHOOK_URLS", u));
                } catch (ConfigException e) {
                    // The URL may hold a token: say which one by its place, not by its text.
                    throw new ConfigException("NOTIFY_WEBHOOK_URLS: URL #" + (hooks.size() + 1) + " is not an http(s) URL");
                }
            }
        }
        boolean onSuccess = bool(env, "NOTIFY_ON_SUCCESS", false);
        if (hooks.isEmpty() && onSuccess) {
            throw new ConfigException("NOTIFY_ON_SUCCESS is true but NOTIFY_WEBHOOK_URLS is not set: set the receivers' URLs, or unset NOTIFY_ON_SUCCESS");
        }
        return new Notifications(List.copyOf(hooks), onSuccess, java.time.Duration.ofSeconds(integer(env, "NOTIFY_TIMEOUT_SECONDS", 10, 1, 300)));
    }

    /** RETENTION_KEEP_*: backups kept by calendar besides BACKUP_RETENTION_PERIOD. */
    private static dev.athena.schedule.RetentionPolicy.Keep retentionKeep(Map<String, String> env) {
        return new dev.athena.schedule.RetentionPolicy.Keep(integer(env, "RETENTION_KEEP_HOURLY", 0, 0, 100_000),
                integer(env, "RETENTION_KEEP_DAILY", 0, 0, 100_000), integer(env, "RETENTION_KEEP_WEEKLY", 0, 0, 100_000),
                integer(env, "RETENTION_KEEP_MONTHLY", 0, 0, 100_000), integer(env, "RETENTION_KEEP_YEARLY", 0, 0, 100_000));
    }

    private static HighAvailability highAvailability(Map<String, String> env, List<String> keys) {
        boolean enabled = bool(env, "ATHENA_LEADER_ELECTION", false);
        java.time.Duration lease = java.time.Duration.ofSeconds(integer(env, "ATHENA_LEASE_SECONDS", 30, 3, 3600));
        Optional<java.net.URI> advertise = Optional.ofNullable(StorageConfig.blankToNull(env.get("ATHENA_ADVERTISE_URL")))
                .map(u -> url("ATHENA_ADVERTISE_URL", u));
        if (enabled && keys.isEmpty()) {
            throw new ConfigException("ATHENA_LEADER_ELECTION is true but ATHENA_API_KEYS is not set: each replica would make up its own key"
                    + " and refuse the requests the others forward to it; set ATHENA_API_KEYS to the same keys on every replica");
        }
        return new HighAvailability(enabled, lease, advertise);
    }

    private static RecoverySettings recovery(Map<String, String> env) {
        List<java.net.URI> urls = new ArrayList<>();
        for (String u : list(env, "HEALTH_CHECK_URLS")) {
            urls.add(url("HEALTH_CHECK_URLS", u));
        }
        Optional<JenkinsSettings> jenkins = Optional.empty();
        String jenkinsUrl = StorageConfig.blankToNull(env.get("JENKINS_URL"));
        if (jenkinsUrl != null) {
            String job = StorageConfig.blankToNull(env.get("JENKINS_JOB"));
            if (job == null) {
                throw new ConfigException("JENKINS_JOB must be set with JENKINS_URL");
            }
            jenkins = Optional.of(new JenkinsSettings(url("JENKINS_URL", jenkinsUrl), job, env.get("JENKINS_USER"), env.get("JENKINS_TOKEN"),
                    java.time.Duration.ofSeconds(integer(env, "JENKINS_TIMEOUT_SECONDS", 3600, 1, 86_400))));
        }
        return new RecoverySettings(List.copyOf(urls), java.time.Duration.ofSeconds(integer(env, "HEALTH_CHECK_TIMEOUT_SECONDS", 300, 1, 86_400)),
                Optional.ofNullable(StorageConfig.blankToNull(env.get("UPGRADE_COMMAND"))),
                java.time.Duration.ofSeconds(integer(env, "UPGRADE_TIMEOUT_SECONDS", 1800, 1, 86_400)),
                Optional.ofNullable(StorageConfig.blankToNull(env.get("POST_RESTORE_COMMAND"))),
                java.time.Duration.ofSeconds(integer(env, "POST_RESTORE_TIMEOUT_SECONDS", 1800, 1, 86_400)), jenkins,
                target(env, "RTO_TARGET"), target(env, "RPO_TARGET"));
    }

    /** A recovery objective: {@code 90s}, {@code 15m}, {@code 4h}, {@code 1d}, or whole seconds; unset: none. */
    static Optional<java.time.Duration> target(Map<String, String> env, String name) {
        String v = StorageConfig.blankToNull(env.get(name));
        if (v == null) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})\\s*([smhd]?)").matcher(v.trim().toLowerCase(java.util.Locale.ROOT));
        if (m.matches() && Long.parseLong(m.group(1)) > 0) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "m" -> java.time.Duration.ofMinutes(n);
                case "h" -> java.time.Duration.ofHours(n);
                case "d" -> java.time.Duration.ofDays(n);
                default -> java.time.Duration.ofSeconds(n);
            });
        }
        throw new ConfigException(name + "='" + v + "' is not a duration: write it like 90s, 15m, 4h or 1d");
    }

    private static java.net.URI url(String variable, String value) {
        try {
            java.net.URI u = new java.net.URI(value.trim());
            if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
                throw new java.net.URISyntaxException(value, "expected http(s)://host");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(variable + ": '" + value + "' is not an http(s) URL");
        }
    }

    private static Optional<RdsSettings> rds(Map<String, String> env) {
        String id = StorageConfig.blankToNull(env.get("AWS_RDS_IDENTIFIER"));
        if (id == null) {
            return Optional.empty();
        }
        if (!id.matches("[a-zA-Z][-a-zA-Z0-9]{0,62}")) {
            throw new ConfigException("AWS_RDS_IDENTIFIER '" + id + "' is not a valid RDS instance identifier");
        }
        String region = StorageConfig.blankToNull(env.get("AWS_RDS_REGION"));
        if (region == null) {
            throw new ConfigException("AWS_RDS_REGION must be set with AWS_RDS_IDENTIFIER");
        }
        Optional<java.net.URI> endpoint = Optional.ofNullable(StorageConfig.blankToNull(env.get("AWS_RDS_ENDPOINT"))).map(java.net.URI::create);
        return Optional.of(new RdsSettings(id, region, endpoint, Optional.ofNullable(StorageConfig.blankToNull(env.get("AWS_RDS_RESTORE_IDENTIFIER"))),
                Optional.ofNullable(StorageConfig.blankToNull(env.get("AWS_ACCESS_KEY"))), Optional.ofNullable(StorageConfig.blankToNull(env.get("AWS_SECRET_KEY")))));
    }

    private static Optional<String> configMapName(Map<String, String> env) {
        String name = StorageConfig.blankToNull(env.get("CONFIGMAP_NAME"));
        if (name == null) {
            return Optional.empty();
        }
        if (StorageConfig.blankToNull(env.get("CONFIGMAP_PATH")) != null) {
            throw new ConfigException("CONFIGMAP_PATH and CONFIGMAP_NAME are both set: set one");
        }
        if (!name.matches("[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?")) {
            throw new ConfigException("CONFIGMAP_NAME '" + name + "' is not a valid Kubernetes object name");
        }
        return Optional.of(name);
    }

    private static java.util.Set<String> list(Map<String, String> env, String name) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String k : env.getOrDefault(name, "").split(",")) {
            if (!k.isBlank()) {
                out.add(k.trim());
            }
        }
        return out;
    }

    private static Optional<PostgresSettings> postgres(Map<String, String> env) {
        String host = StorageConfig.blankToNull(env.get("POSTGRES_HOST"));
        if (host == null) {
            return Optional.empty();
        }
        List<String> databases = new ArrayList<>();
        for (String d : env.getOrDefault("POSTGRES_DATABASES", "").split(",")) {
            if (!d.isBlank()) {
                databases.add(d.trim());
            }
        }
        Path scratch = scratchFolder(env);
        return Optional.of(new PostgresSettings(host, integer(env, "POSTGRES_PORT", 5432, 1, 65535),
                env.getOrDefault("POSTGRES_USER", "postgres"), StorageConfig.blankToNull(env.get("POSTGRES_PASSWORD")),
                List.copyOf(databases), path(env, "POSTGRES_BIN_DIR"), scratch, integer(env, "POSTGRES_JOBS", 2, 1, 64),
                integer(env, "POSTGRES_STREAM_TABLE_MB", 32, 0, 1 << 20) * 1024L * 1024, sslMode(env), sslRootCert(env)));
    }

    private static String sslMode(Map<String, String> env) {
        String mode = env.getOrDefault("POSTGRES_SSLMODE", "prefer").trim();
        if (!PostgresSettings.SSL_MODES.contains(mode)) {
            throw new ConfigException("POSTGRES_SSLMODE must be one of " + String.join(", ", PostgresSettings.SSL_MODES) + ", got '" + mode + "'");
        }
        return mode;
    }

    private static Optional<Path> sslRootCert(Map<String, String> env) {
        Optional<Path> cert = path(env, "POSTGRES_SSLROOTCERT");
        if (cert.isPresent() && !java.nio.file.Files.isReadable(cert.get())) {
            throw new ConfigException("POSTGRES_SSLROOTCERT " + cert.get() + " is not a readable file");
        }
        return cert;
    }

    /** Where restores stage pg_dump's archive and keep downloaded packs. */
    public static Path scratchFolder(Map<String, String> env) {
        return Path.of(env.getOrDefault("ATHENA_SCRATCH_DIR", System.getProperty("java.io.tmpdir")));
    }

    private static Optional<String> first(Map<String, String> env, String... names) {
        return Arrays.stream(names).map(env::get).filter(v -> v != null && !v.isBlank()).map(String::trim).findFirst();
    }

    static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        String v = StorageConfig.blankToNull(env.get(name));
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String v = StorageConfig.blankToNull(env.get(name));
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase()) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(name + " must be true or false, got '" + v + "'");
        };
    }

    private static Optional<Path> path(Map<String, String> env, String name) {
        String v = StorageConfig.blankToNull(env.get(name));
        if (v == null) {
            return Optional.empty();
        }
        Path p = Path.of(v);
        if (!p.isAbsolute()) {
            throw new ConfigException(name + " must be an absolute path, got '" + v + "'");
        }
        return Optional.of(p);
    }

    private static Optional<Path> folder(Map<String, String> env, String name) {
        Optional<Path> p = path(env, name);
        if (p.isPresent() && !java.nio.file.Files.isDirectory(p.get())) {
            throw new ConfigException(name + " is '" + p.get() + "', which is not a folder");
        }
        return p;
    }

    /** Secrets are left out so the configuration can be logged. */
    @Override
    public String toString() {
        return "namespace=" + namespace + ", port=" + port + ", location=" + storage + ", apiKeys=" + apiKeys.size()
                + ", regularBackups=" + regularBackups + " (" + frequency + "), retentionDays=" + retentionDays
                + (retentionKeep.any() ? " " + retentionKeep : "")
                + ", encryption=" + (encryptionKey != null) + ", platformVersion=" + platformVersion
                + ", metagraph=" + metagraphPath.orElse(null) + ", gitserver=" + gitserverPath.orElse(null)
                + ", configMap=" + configMapPath.map(Path::toString).or(() -> configMapName.map(n -> "ConfigMap " + n)).orElse(null)
                + ", postgres=" + rds.map(Object::toString).orElse(postgres.map(Object::toString).orElse(null))
                + (ha.enabled() ? ", leaderElection=lease " + ha.lease().toSeconds() + " s" : "")
                + copy.map(c -> ", copyTo=" + c).orElse("")
                + (notifications.webhooks().isEmpty() ? "" : ", notifications=" + notifications)
                + verification.map(v -> ", verification=" + v.readDataPercent() + "% of packs on " + v.frequency()).orElse("")
                + ", drills " + drills;
    }
}
