package dev.athena.repository;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/**
 * The one place that knows where things live in a store. Everything of namespace N is under
 * {@code N/}: its backups at {@code N/<timestamp>/} and the shared deduplicated data at
 * {@code N/repository/}, so copying the folder {@code N/} is enough to restore N elsewhere.
 */
public final class RepositoryLayout {
    /** The seed's timestamp form, {@code 2023-02-02t17-03-15}; it also names a backup's folder. */
    public static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}t\\d{2}-\\d{2}-\\d{2}");
    /** A Kubernetes namespace: a DNS label. */
    public static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    public static final String MANIFEST = "manifest.json";

    private final String namespace;

    public RepositoryLayout(String namespace) {
        this.namespace = checkNamespace(namespace);
    }

    public static String checkNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("invalid namespace '" + namespace
                    + "': expected a Kubernetes namespace (lowercase letters, digits and '-', at most 63)");
        }
        return namespace;
    }

    /** The timestamp form, read strictly: the 31st of February or hour 25 name no moment. */
    private static final DateTimeFormatter STRICT = DateTimeFormatter.ofPattern("uuuu-MM-dd't'HH-mm-ss").withResolverStyle(ResolverStyle.STRICT);

    /** The timestamp unchanged when it is in the seed's form and names a real moment (UTC); else a one-line reason. */
    public static String checkTimestamp(String timestamp) {
        if (timestamp == null || !TIMESTAMP.matcher(timestamp).matches()) {
            throw new IllegalArgumentException("invalid timestamp '" + timestamp + "': expected yyyy-MM-dd't'HH-mm-ss, e.g. 2023-02-02t17-03-15");
        }
        try {
            STRICT.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid timestamp '" + timestamp + "': it names no real moment (month 01-12, a day that"
                    + " month has, hour 00-23, minute and second 00-59)");
        }
        return timestamp;
    }

    /** True for a folder name that is a valid timestamp (a backup's folder). */
    public static boolean isTimestamp(String name) {
        try {
            checkTimestamp(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String namespace() {
        return namespace;
    }

    public String namespaceFolder() {
        return namespace + "/";
    }

    public String repositoryFolder() {
        return namespace + "/repository/";
    }

    /** Claims of processes creating the repository at once (see {@link Repository}); {@code creating-<uuid>}. */
    public String creationClaimPrefix() {
        return repositoryFolder() + "creating-";
    }

    public String config() {
        return repositoryFolder() + "config";
    }

    public String packFolder() {
        return repositoryFolder() + "data/";
    }

    public String pack(BlobId id) {
        String hex = id.hex();
        return packFolder() + hex.substring(0, 2) + "/" + hex;
    }

    /** The pack id named by a key under {@link #packFolder()}, or null for anything else found there. */
    public BlobId packIdOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        try {
            return key.startsWith(packFolder()) ? BlobId.parse(name) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String indexFolder() {
        return repositoryFolder() + "index/";
    }

    public String index(String id) {
        return indexFolder() + id;
    }

    public String lockFolder() {
        return repositoryFolder() + "locks/";
    }

    public String lock(String id) {
        return lockFolder() + id;
    }

    /** The leader's lease of {@code serve} replicas (section 14): one folder per term. */
    public String leaderFolder() {
        return repositoryFolder() + "leader/";
    }

    public String leaderTerm(long term) {
        return leaderFolder() + String.format("%012d", term) + "/";
    }

    public String leaderClaim(long term, String candidate) {
        return leaderTerm(term) + candidate;
    }

    /** The term of a claim listed under {@link #leaderFolder}, or 0 for anything else found there. */
    public long leaderTermOf(String key) {
        if (!key.startsWith(leaderFolder())) {
            return 0;
        }
        String[] parts = key.substring(leaderFolder().length()).split("/");
        if (parts.length != 2 || !parts[0].matches("\\d{12}")) {
            return 0;
        }
        return Long.parseLong(parts[0]);
    }

    public String backupFolder(String timestamp) {
        return namespace + "/" + checkTimestamp(timestamp) + "/";
    }

    public String manifest(String timestamp) {
        return backupFolder(timestamp) + MANIFEST;
    }

    /** A writer's claim on the name {@code timestamp}, written before anything else of that backup. */
    public String claim(String timestamp, String writerId) {
        return backupFolder(timestamp) + "claim-" + writerId;
    }

    /** Where rolling verification keeps its place in the cycle over every pack (sealed JSON). */
    public String verification() {
        return namespaceFolder() + "verification.json";
    }

    /** The backup's status record, written when it starts and when it ends. */
    public String status(String timestamp) {
        return backupFolder(timestamp) + "status.json";
    }

    /** Records of the restores made in this namespace from backup {@code timestamp} (of any namespace). */
    public String restoreFolder(String backupTimestamp) {
        return namespace + "/restores/" + checkTimestamp(backupTimestamp) + "/";
    }

    /** Restore drills' records and reports: {@code <ns>/drills/<drill-id>.json}, {@code -report.json}, {@code -report.html}. */
    public String drillsFolder() {
        return namespace + "/drills/";
    }

    /**
     * PostgreSQL's archived write-ahead log: {@code <ns>/wal/<segment name>} for each complete
     * segment and {@code <segment name>.partial} for the one being written, outside the packs.
     */
    public String walFolder() {
        return namespace + "/wal/";
    }

    /** Every restore folder of this namespace, under which {@link #isRestoreRecord} tells records from reports. */
    public String restoresFolder() {
        return namespace + "/restores/";
    }

    public String restoreRecord(String backupTimestamp, String restoreId) {
        return restoreFolder(backupTimestamp) + restoreId + ".json";
    }

    /** A restore's disaster-recovery report, as JSON. */
    public String restoreReportJson(String backupTimestamp, String restoreId) {
        return restoreFolder(backupTimestamp) + restoreId + "-report.json";
    }

    /** A restore's disaster-recovery report, as one self-contained HTML page. */
    public String restoreReportHtml(String backupTimestamp, String restoreId) {
        return restoreFolder(backupTimestamp) + restoreId + "-report.html";
    }

    /** Whether {@code key}, listed under {@link #restoresFolder}, is a restore's record rather than one of its reports. */
    public static boolean isRestoreRecord(String key) {
        return key.endsWith(".json") && !key.endsWith("-report.json");
    }
}
