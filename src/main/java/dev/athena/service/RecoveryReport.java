package dev.athena.service;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

/**
 * The disaster-recovery report of one restore, as JSON and as a self-contained HTML page (inline
 * style and chart, no external resources) that an operator can hand to an auditor.
 */
public final class RecoveryReport {
    private final RestoreRecord r;
    private final java.util.Optional<Duration> rtoTarget;
    private final java.util.Optional<Duration> rpoTarget;
    private final Instant generatedAt;

    /** A report without recovery objectives to hold the restore to. */
    public RecoveryReport(RestoreRecord record) {
        this(record, java.util.Optional.empty(), java.util.Optional.empty());
    }

    /** A report that says whether the restore met {@code rtoTarget} and its backup {@code rpoTarget} (RTO_TARGET, RPO_TARGET). */
    public RecoveryReport(RestoreRecord record, java.util.Optional<Duration> rtoTarget, java.util.Optional<Duration> rpoTarget) {
        this(record, rtoTarget, rpoTarget, null);
    }

    /** As above, signed by {@code signer} (null: unsigned, as the demo's sample). */
    public RecoveryReport(RestoreRecord record, java.util.Optional<Duration> rtoTarget, java.util.Optional<Duration> rpoTarget,
                          EvidenceSigner signer) {
        this.r = record;
        this.rtoTarget = rtoTarget;
        this.rpoTarget = rpoTarget;
        this.generatedAt = Instant.now();
        this.signer = signer;
    }

    private final EvidenceSigner signer;

    /** The SHA-256 of the stored manifest of the backup restored, from the validate phase's check; null when it was not read. */
    private String manifestSha256() {
        if (r.checks() == null) {
            return null;
        }
        return r.checks().stream().filter(c -> dev.athena.restore.DisasterRecovery.MANIFEST_CHECK.equals(c.name()) && c.detail() != null
                && c.detail().startsWith("SHA-256 ")).map(c -> c.detail().substring(8, 72)).findFirst().orElse(null);
    }

    private boolean dryRun() {
        return r.request() != null && r.request().dryRun();
    }

    private static boolean skipped(RestoreRecord.Phase p) {
        return p.detail() != null && p.detail().startsWith("skipped");
    }

    /**
     * The one line an operator reads first: what failed (the phase and why) for a failed restore;
     * the recovery time and the backup's age, against their targets when set, for a successful one.
     */
    String headline() {
        if (r.status() == JobStatus.Running) {
            return "Restore running since " + r.startedAt();
        }
        if (r.status() != JobStatus.Success) {
            String phase = r.phases().stream().filter(p -> p.status() == JobStatus.Failed).map(RestoreRecord.Phase::name).findFirst().orElse(null);
            return "Restore failed" + (phase == null ? "" : " in its " + phase) + ": " + (r.error() == null ? "no reason recorded" : r.error());
        }
        if (dryRun()) {
            return "Dry run passed: every check before a restore passed, and nothing was written";
        }
        StringBuilder s = new StringBuilder("Recovered in ").append(duration(r.rtoSeconds() == null ? null : r.rtoSeconds() * 1000));
        rtoTarget.ifPresent(t -> s.append(" (target ").append(duration(t.toMillis())).append(": ").append(met(r.rtoSeconds(), t)).append(')'));
        String age = duration(r.rpoSeconds() == null ? null : r.rpoSeconds() * 1000);
        if (r.request() != null && r.request().targetTime() != null) {
            s.append(RestoreRequest.LATEST.equals(r.request().targetTime()) ? " to the newest archived data, " + age + " old"
                    : " to " + r.request().targetTime() + ", the earliest component " + age + " before it");
        } else {
            s.append(" from a backup ").append(age).append(" old");
        }
        rpoTarget.ifPresent(t -> s.append(" (target ").append(duration(t.toMillis())).append(": ").append(met(r.rpoSeconds(), t)).append(')'));
        return s.toString();
    }

    private static String met(Long seconds, Duration target) {
        return seconds == null ? "not measured" : seconds <= target.getSeconds() ? "met" : "missed by " + duration((seconds - target.getSeconds()) * 1000);
    }

    private Map<String, Object> targets() {
        if (rtoTarget.isEmpty() && rpoTarget.isEmpty()) {
            return null;
        }
        Map<String, Object> t = new LinkedHashMap<>();
        rtoTarget.ifPresent(d -> {
            t.put("rtoSeconds", d.getSeconds());
            t.put("rtoMet", r.status() == JobStatus.Success && !dryRun() && r.rtoSeconds() != null ? r.rtoSeconds() <= d.getSeconds() : null);
        });
        rpoTarget.ifPresent(d -> {
            t.put("rpoSeconds", d.getSeconds());
            t.put("rpoMet", r.rpoSeconds() == null ? null : r.rpoSeconds() <= d.getSeconds());
        });
        return t;
    }

    /** The report's content, in the order the HTML shows it. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "Disaster recovery report");
        m.put("headline", headline());
        m.put("athenaVersion", dev.athena.config.AthenaVersion.NUMBER);
        m.put("generatedAt", generatedAt.toString());
        m.put("generatedOn", dev.athena.repository.RepositoryLock.hostname());
        m.put("restoreId", r.restoreId());
        m.put("status", r.status());
        m.put("sourceNamespace", r.namespace());
        if (r.targets() == null) {
            m.put("destinationNamespace", r.destinationNamespace());
        } else {
            m.put("drillTargets", r.targets());
        }
        m.put("backupTimestamp", r.timestamp());
        m.put("backupurl", r.backupurl());
        m.put("manifestSha256", manifestSha256());
        m.put("versions", versions());
        m.put("startedAt", r.startedAt());
        m.put("finishedAt", r.finishedAt());
        m.put("rtoSeconds", r.rtoSeconds());
        m.put("rpoSeconds", r.rpoSeconds());
        m.put("targets", targets());
        m.put("backupWindows", r.backupWindows());
        Map<String, Map<String, Object>> moments = recoveredTo();
        if (!moments.isEmpty()) {
            m.put("recoveredTo", moments);
        }
        m.put("request", r.request());
        m.put("phases", r.phases());
        m.put("components", r.components());
        m.put("checks", r.checks());
        m.put("upgradeOutput", r.upgradeOutput());
        m.put("postRestoreOutput", r.postRestoreOutput());
        m.put("jenkinsBuild", r.jenkinsBuild());
        m.put("plan", r.plan());
        m.put("warnings", r.warnings());
        m.put("error", r.error());
        return signer == null ? m : signer.signJson(m);
    }

    private Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("backup", r.backupVersion());
        v.put("destinationBefore", r.versionBefore());
        v.put("destinationAfter", r.versionAfter());
        return v;
    }

    static String duration(Long ms) {
        if (ms == null) {
            return "—";
        }
        Duration d = Duration.ofMillis(ms);
        return d.toHours() > 0 ? String.format("%dh %02dm %02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : d.toMinutes() > 0 ? String.format("%dm %02ds", d.toMinutes(), d.toSecondsPart())
                : String.format("%.1fs", ms / 1000.0);
    }

    /** The page's template: compiled once; Mustache escapes every value for HTML. */
    private static final Mustache TEMPLATE = new DefaultMustacheFactory("dev/athena/service").compile("report.html.mustache");

    /** One self-contained page: inline style and SVG, nothing fetched from anywhere. */
    public String html() {
        StringWriter out = new StringWriter();
        TEMPLATE.execute(out, view());
        return signer == null ? out.toString() : signer.signHtml(out.toString());
    }

    private static String orDash(Object o) {
        return o == null ? "\u2014" : String.valueOf(o);
    }

    private static String outcomeClass(JobStatus s) {
        return s == JobStatus.Success ? "ok" : "bad";
    }

    /** What the template shows, computed here so the template only places values. */
    private Map<String, Object> view() {
        Map<String, Object> v = new HashMap<>();
        v.put("restoreId", orDash(r.restoreId()));
        v.put("timestamp", orDash(r.timestamp()));
        v.put("status", orDash(r.status()));
        v.put("statusClass", outcomeClass(r.status()));
        v.put("headline", headline());
        // A failed restore recovered nothing: its duration is how long it ran, not a recovery time.
        v.put("rtoLabel", r.status() == JobStatus.Success && !dryRun() ? "RTO (restore duration)" : "Ran for");
        v.put("rtoTarget", rtoTarget.map(t -> "target " + duration(t.toMillis())).orElse(null));
        v.put("rpoTarget", rpoTarget.map(t -> "target " + duration(t.toMillis())).orElse(null));
        v.put("athenaVersion", dev.athena.config.AthenaVersion.NUMBER);
        v.put("generatedAt", generatedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        v.put("generatedOn", dev.athena.repository.RepositoryLock.hostname());
        v.put("rto", orDash(r.rtoSeconds() == null ? null : duration(r.rtoSeconds() * 1000)));
        v.put("rpo", orDash(r.rpoSeconds() == null ? null : duration(r.rpoSeconds() * 1000)));
        List<Map<String, String>> summary = new ArrayList<>();
        BiConsumer<String, Object> row = (name, value) -> summary.add(Map.of("name", name, "value", orDash(value)));
        row.accept("Source namespace", r.namespace());
        if (r.targets() == null) {
            row.accept("Destination namespace", r.destinationNamespace());
        } else {
            r.targets().forEach((component, where) -> row.accept("Drilled " + component + " into", where));
        }
        row.accept("Backup", r.timestamp());
        row.accept("Backup location", r.backupurl());
        row.accept("Manifest SHA-256", manifestSha256());
        row.accept("Signed by", signer == null ? "not signed" : "Ed25519 key " + signer.fingerprint()
                + " (GET /athena/api/v1/signingkey; athena report verify FILE)");
        row.accept("Requested by", r.request() == null ? null : r.request().requestedBy());
        row.accept("Backup captured", captured());
        Map<String, Map<String, Object>> moments = recoveredTo();
        if (!moments.isEmpty()) {
            row.accept("Target time", r.request().targetTime());
            StringBuilder s = new StringBuilder();
            moments.forEach((name, at) -> s.append(s.length() == 0 ? "" : "; ").append(name).append(" at ").append(at.get("moment"))
                    .append(at.containsKey("behindTargetMs") ? " (" + duration((Long) at.get("behindTargetMs")) + " before the target)" : ""));
            row.accept("Recovered to", s.toString());
        }
        row.accept("Platform version of the backup", r.backupVersion());
        row.accept("Destination version before", r.versionBefore());
        row.accept("Destination version after", r.versionAfter());
        row.accept("Started", r.startedAt());
        row.accept("Finished", r.finishedAt());
        row.accept("Error", r.error());
        v.put("summary", summary);
        v.put("timeline", timeline());
        v.put("phases", r.phases().stream().map(p -> Map.of("name", orDash(p.name()), "status", skipped(p) ? "Skipped" : orDash(p.status()),
                "statusClass", skipped(p) ? "" : outcomeClass(p.status()), "startedAt", orDash(p.startedAt()), "finishedAt", orDash(p.finishedAt()),
                "duration", duration(p.durationMs()), "detail", orDash(p.detail()))).toList());
        List<Map<String, Object>> components = new ArrayList<>();
        for (Map.Entry<String, RestoreRecord.ComponentOutcome> e : r.components().entrySet()) {
            RestoreRecord.ComponentOutcome o = e.getValue();
            Map<String, Long> stats = o.stats() == null ? Map.of() : o.stats();
            boolean skipped = o.error() != null && o.error().startsWith("skipped");
            Map<String, Object> c = new HashMap<>();
            c.put("name", e.getKey());
            c.put("status", skipped ? "Skipped" : orDash(o.status()));
            c.put("statusClass", skipped ? "" : outcomeClass(o.status()));
            c.put("bytes", orDash(stats.get("bytes")));
            c.put("items", orDash(items(stats)));
            c.put("duration", duration(stats.get("durationMs")));
            c.put("passed", checksOf(e.getKey()).stream().filter(RestoreRecord.Check::passed).count());
            c.put("all", checksOf(e.getKey()).size());
            c.put("note", orDash(o.error()));
            components.add(c);
        }
        v.put("components", components);
        v.put("checks", r.checks().stream().map(c -> Map.of("phase", orDash(c.phase()), "name", orDash(c.name()),
                "result", c.passed() ? "passed" : "failed", "resultClass", c.passed() ? "ok" : "bad", "detail", orDash(c.detail()))).toList());
        v.put("hasPlan", r.plan() != null && !r.plan().isEmpty());
        v.put("plan", r.plan() == null ? List.of() : r.plan());
        v.put("upgradeOutput", r.upgradeOutput());
        v.put("postRestoreOutput", r.postRestoreOutput());
        v.put("jenkinsBuild", r.jenkinsBuild());
        v.put("hasWarnings", r.warnings() != null && !r.warnings().isEmpty());
        v.put("warnings", r.warnings() == null ? List.of() : r.warnings());
        return v;
    }

    private List<RestoreRecord.Check> checksOf(String component) {
        return r.checks().stream().filter(c -> c.name().startsWith(component + ":")).toList();
    }

    private static String items(Map<String, Long> s) {
        for (String k : List.of("files", "rows", "tables", "keys", "repositories")) {
            if (s.containsKey(k)) {
                return s.get(k) + " " + k;
            }
        }
        return null;
    }

    /**
     * When each component of the backup was captured, and how far apart they started: how close
     * to one moment the restored platform's parts are. Null for backups that did not record it.
     */
    /**
     * For a point-in-time restore: the moment each component was recovered to (PostgreSQL: its last
     * transaction replayed; the others: the end of their capture in the backup) and how far before
     * the target that lies, the RPO each achieved. Empty for other restores.
     */
    Map<String, Map<String, Object>> recoveredTo() {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        if (r.request() == null || r.request().targetTime() == null || r.components() == null) {
            return out;
        }
        Instant target = r.request().targetInstant().equals(dev.athena.component.Component.LATEST) ? null : r.request().targetInstant();
        Map<String, dev.athena.repository.Manifest.Window> windows = r.backupWindows() == null ? Map.of() : r.backupWindows();
        r.components().forEach((name, outcome) -> {
            Instant moment = null;
            if (outcome.stats() != null && outcome.stats().get("recoveredToEpochMs") != null) {
                moment = Instant.ofEpochMilli(outcome.stats().get("recoveredToEpochMs"));
            } else if (windows.containsKey(name)) {
                moment = Instant.parse(windows.get(name).finishedAt());
            }
            if (moment != null) {
                Map<String, Object> at = new java.util.LinkedHashMap<>();
                at.put("moment", moment.toString());
                if (target != null) {
                    at.put("behindTargetMs", Math.max(0, Duration.between(moment, target).toMillis()));
                }
                out.put(name, at);
            }
        });
        return out;
    }

    String captured() {
        Map<String, dev.athena.repository.Manifest.Window> windows = r.backupWindows();
        if (windows == null || windows.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, dev.athena.repository.Manifest.Window> e : windows.entrySet()) {
            Instant from = Instant.parse(e.getValue().startedAt());
            Instant to = Instant.parse(e.getValue().finishedAt());
            s.append(s.length() == 0 ? "" : "; ").append(e.getKey()).append(" from ").append(from.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                    .append(" (").append(duration(Duration.between(from, to).toMillis())).append(")");
        }
        long spreadMs = dev.athena.repository.Manifest.Window.spread(windows).toMillis();
        return s.append("; all started within ").append(spreadMs < 1000 ? spreadMs + " ms" : duration(spreadMs)).toString();
    }

    /** An inline SVG Gantt chart of the phases, as the template's numbers; null when no phase ran. */
    private Map<String, Object> timeline() {
        if (r.phases().isEmpty() || r.startedAt() == null) {
            return null;
        }
        Instant start = Instant.parse(r.startedAt());
        long total = 1;
        for (RestoreRecord.Phase p : r.phases()) {
            total = Math.max(total, Duration.between(start, Instant.parse(p.finishedAt())).toMillis());
        }
        int width = 900;
        int label = 170;
        int rowHeight = 26;
        List<Map<String, Object>> bars = new ArrayList<>();
        int y = 0;
        for (RestoreRecord.Phase p : r.phases()) {
            long from = Duration.between(start, Instant.parse(p.startedAt())).toMillis();
            long ms = p.durationMs() == null ? 0 : p.durationMs();
            double x = label + (width - label - 90) * (double) from / total;
            double w = Math.max(2, (width - label - 90) * (double) ms / total);
            boolean skipped = p.detail() != null && p.detail().startsWith("skipped");
            bars.add(Map.of("name", orDash(p.name()), "textY", y + 17, "rectY", y + 4, "x", String.format("%.1f", x),
                    "w", String.format("%.1f", w), "labelX", String.format("%.1f", x + w + 6), "duration", duration(ms),
                    "fill", p.status() == JobStatus.Success ? (skipped ? "#b8c2cc" : "#2f7d4f") : "#b3261e"));
            y += rowHeight;
        }
        return Map.of("width", width, "height", rowHeight * r.phases().size() + 24, "bars", bars, "axisStart", label,
                "axisEnd", width - 150, "axisY", y + 16, "total", duration(total));
    }
}
