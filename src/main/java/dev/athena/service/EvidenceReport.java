package dev.athena.service;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

import dev.athena.backup.Timestamps;
import dev.athena.concurrent.Sizes;
import dev.athena.maintenance.RollingVerification;

/**
 * GET /evidence: one signed page (and JSON) an auditor can take away for a period: every backup
 * made in it with its status and what verified it, every restore with its RTO, the recovery
 * point achieved (the gaps between successful backups), and each failure with what resolved it
 * (the next successful backup) or that nothing has yet.
 */
final class EvidenceReport {
    private static final Mustache TEMPLATE = new DefaultMustacheFactory("dev/athena/service").compile("evidence.html.mustache");
    private final Map<String, Object> content;
    private final EvidenceSigner signer;

    EvidenceReport(String namespace, Instant from, Instant to, List<BackupRecord> allBackups, List<RestoreRecord> allRestores,
                   List<RestoreRecord> allDrills, RollingVerification.State verification, EvidenceSigner signer, Instant now) {
        this.signer = signer;
        List<BackupRecord> backups = allBackups.stream().filter(b -> within(Timestamps.parse(b.timestamp()), from, to))
                .sorted(Comparator.comparing(BackupRecord::timestamp)).toList();
        Instant verifiedBefore = verification == null || verification.lastCycleStartedAt() == null ? null
                : Instant.parse(verification.lastCycleStartedAt());
        List<Map<String, Object>> backupRows = new ArrayList<>();
        List<Instant> good = new ArrayList<>();
        for (BackupRecord b : backups) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("timestamp", b.timestamp());
            row.put("status", b.status().name());
            row.put("bytes", b.bytes());
            row.put("durationMs", b.durationMs());
            String verified;
            if (Boolean.TRUE.equals(b.damaged())) {
                verified = "damaged: " + b.error();
            } else if (b.status() != JobStatus.Success) {
                verified = "failed: " + b.error();
            } else if (verifiedBefore != null && Timestamps.parse(b.timestamp()).isBefore(verifiedBefore)) {
                verified = "every stored piece read back and hash-checked by the verification cycle ending " + verification.lastCycleFinishedAt();
            } else {
                verified = "read back when it was written (a backup is Success only then); no full verification cycle since";
            }
            row.put("verification", verified);
            backupRows.add(row);
            if (b.status() == JobStatus.Success && b.finishedAt() != null) {
                good.add(Instant.parse(b.finishedAt()));
            }
        }
        List<Map<String, Object>> failures = new ArrayList<>();
        for (BackupRecord b : backups) {
            if (b.status() == JobStatus.Success) {
                continue;
            }
            BackupRecord next = allBackups.stream().filter(x -> x.status() == JobStatus.Success && !Boolean.TRUE.equals(x.damaged())
                    && x.timestamp().compareTo(b.timestamp()) > 0).min(Comparator.comparing(BackupRecord::timestamp)).orElse(null);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("what", "backup " + b.timestamp());
            f.put("error", b.error());
            f.put("resolution", next == null ? "not resolved: no successful backup since"
                    : "resolved by backup " + next.timestamp() + ", " + Sizes.duration(Duration.between(Timestamps.parse(b.timestamp()),
                    Timestamps.parse(next.timestamp())).toMillis()) + " later");
            failures.add(f);
        }
        List<RestoreRecord> restores = allRestores.stream().filter(r -> r.startedAt() != null && within(Instant.parse(r.startedAt()), from, to))
                .sorted(Comparator.comparing(RestoreRecord::restoreId)).toList();
        List<Map<String, Object>> restoreRows = new ArrayList<>();
        for (RestoreRecord r : restores) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("restoreId", r.restoreId());
            row.put("backup", r.timestamp());
            row.put("status", r.status().name());
            row.put("dryRun", r.request() != null && r.request().dryRun());
            row.put("rtoSeconds", r.rtoSeconds());
            row.put("rpoSeconds", r.rpoSeconds());
            row.put("checksPassed", r.checks() == null ? 0 : r.checks().stream().filter(RestoreRecord.Check::passed).count());
            row.put("checks", r.checks() == null ? 0 : r.checks().size());
            row.put("report", r.report());
            restoreRows.add(row);
            if (r.status() != JobStatus.Success) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("what", "restore " + r.restoreId() + " of backup " + r.timestamp());
                f.put("error", r.error());
                RestoreRecord later = restores.stream().filter(x -> x.status() == JobStatus.Success && x.restoreId().compareTo(r.restoreId()) > 0)
                        .findFirst().orElse(null);
                f.put("resolution", later == null ? "not resolved in the period" : "followed by the successful restore " + later.restoreId());
                failures.add(f);
            }
        }
        List<RestoreRecord> drills = allDrills.stream().filter(r -> r.startedAt() != null && within(Instant.parse(r.startedAt()), from, to))
                .sorted(Comparator.comparing(RestoreRecord::restoreId)).toList();
        List<Map<String, Object>> drillRows = new ArrayList<>();
        for (RestoreRecord d : drills) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("drillId", d.restoreId());
            row.put("backup", d.timestamp());
            row.put("status", d.status().name());
            row.put("rtoSeconds", d.rtoSeconds());
            row.put("checksPassed", d.checks() == null ? 0 : d.checks().stream().filter(RestoreRecord.Check::passed).count());
            row.put("checks", d.checks() == null ? 0 : d.checks().size());
            row.put("report", d.report());
            drillRows.add(row);
            if (d.status() != JobStatus.Success) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("what", "restore drill " + d.restoreId() + " of backup " + d.timestamp());
                f.put("error", d.error());
                RestoreRecord later = drills.stream().filter(x -> x.status() == JobStatus.Success && x.restoreId().compareTo(d.restoreId()) > 0)
                        .findFirst().orElse(null);
                f.put("resolution", later == null ? "not resolved in the period: no successful drill since"
                        : "followed by the successful drill " + later.restoreId() + " of backup " + later.timestamp());
                failures.add(f);
            }
        }
        long largestGap = 0;
        for (int i = 1; i < good.size(); i++) {
            largestGap = Math.max(largestGap, Duration.between(good.get(i - 1), good.get(i)).getSeconds());
        }
        Map<String, Object> rpo = new LinkedHashMap<>();
        rpo.put("successfulBackups", good.size());
        rpo.put("largestGapSeconds", good.size() < 2 ? null : largestGap);
        rpo.put("meanGapSeconds", good.size() < 2 ? null : Duration.between(good.get(0), good.get(good.size() - 1)).getSeconds() / (good.size() - 1));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "Backup and recovery evidence");
        m.put("namespace", namespace);
        m.put("from", from.toString());
        m.put("to", to.toString());
        m.put("generatedAt", now.toString());
        m.put("athenaVersion", dev.athena.config.AthenaVersion.NUMBER);
        m.put("generatedOn", dev.athena.repository.RepositoryLock.hostname());
        m.put("backups", backupRows);
        m.put("restores", restoreRows);
        m.put("drills", drillRows);
        m.put("rpo", rpo);
        m.put("verification", verification);
        m.put("failures", failures);
        this.content = m;
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    Map<String, Object> json() {
        return signer.signJson(content);
    }

    String html() {
        Map<String, Object> v = new HashMap<>(content);
        @SuppressWarnings("unchecked")
        Map<String, Object> rpo = (Map<String, Object>) content.get("rpo");
        v.put("largestGap", rpo.get("largestGapSeconds") == null ? "\u2014" : Sizes.duration((Long) rpo.get("largestGapSeconds") * 1000));
        v.put("meanGap", rpo.get("meanGapSeconds") == null ? "\u2014" : Sizes.duration((Long) rpo.get("meanGapSeconds") * 1000));
        v.put("hasFailures", !((List<?>) content.get("failures")).isEmpty());
        v.put("fingerprint", signer.fingerprint());
        StringWriter out = new StringWriter();
        TEMPLATE.execute(out, v);
        return signer.signHtml(out.toString());
    }
}
