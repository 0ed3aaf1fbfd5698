package dev.athena.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The disaster-recovery report of one restore, as JSON and as a self-contained HTML page (inline
 * style and chart, no external resources) that an operator can hand to an auditor.
 */
public final class RecoveryReport {
    private final RestoreRecord r;

    public RecoveryReport(RestoreRecord record) {
        this.r = record;
    }

    /** The report's content, in the order the HTML shows it. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "Disaster recovery report");
        m.put("restoreId", r.restoreId());
        m.put("status", r.status());
        m.put("sourceNamespace", r.namespace());
        m.put("destinationNamespace", r.destinationNamespace());
        m.put("backupTimestamp", r.timestamp());
        m.put("backupurl", r.backupurl());
        m.put("versions", versions());
        m.put("startedAt", r.startedAt());
        m.put("finishedAt", r.finishedAt());
        m.put("rtoSeconds", r.rtoSeconds());
        m.put("rpoSeconds", r.rpoSeconds());
        m.put("backupWindows", r.backupWindows());
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
        return m;
    }

    private Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("backup", r.backupVersion());
        v.put("destinationBefore", r.versionBefore());
        v.put("destinationAfter", r.versionAfter());
        return v;
    }

    static String esc(Object o) {
        if (o == null) {
            return "—";
        }
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
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

    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Disaster recovery report ").append(esc(r.restoreId())).append("</title><style>")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1d2430;max-width:70rem}")
                .append("h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d5dbe3;padding-bottom:.3rem}")
                .append("table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #d5dbe3;padding:.35rem .6rem;text-align:left;vertical-align:top;font-size:.9rem}")
                .append("th{background:#f1f4f8}.ok{color:#11703a;font-weight:600}.bad{color:#b3261e;font-weight:600}")
                .append(".kpi{display:inline-block;margin:.5rem 1.5rem .5rem 0;padding:.6rem 1rem;border:1px solid #d5dbe3;border-radius:6px}")
                .append(".kpi b{display:block;font-size:1.4rem}pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:.8rem}")
                .append("</style></head><body>\n");
        h.append("<h1>Disaster recovery report</h1><p>Restore <code>").append(esc(r.restoreId())).append("</code> of backup <code>")
                .append(esc(r.timestamp())).append("</code>: <span class=\"").append(r.status() == JobStatus.Success ? "ok" : "bad").append("\">")
                .append(esc(r.status())).append("</span></p>\n");
        h.append("<div><span class=\"kpi\">RTO (restore duration)<b>").append(esc(r.rtoSeconds() == null ? null : duration(r.rtoSeconds() * 1000)))
                .append("</b></span><span class=\"kpi\">RPO (age of the backup at the start)<b>")
                .append(esc(r.rpoSeconds() == null ? null : duration(r.rpoSeconds() * 1000))).append("</b></span></div>\n");

        h.append("<h2>Summary</h2><table>");
        row(h, "Source namespace", r.namespace());
        row(h, "Destination namespace", r.destinationNamespace());
        row(h, "Backup", r.timestamp());
        row(h, "Backup location", r.backupurl());
        row(h, "Backup captured", captured());
        row(h, "Platform version of the backup", r.backupVersion());
        row(h, "Destination version before", r.versionBefore());
        row(h, "Destination version after", r.versionAfter());
        row(h, "Started", r.startedAt());
        row(h, "Finished", r.finishedAt());
        row(h, "Error", r.error());
        h.append("</table>\n");

        h.append("<h2>Timeline</h2>").append(timeline());
        h.append("<h2>Phases</h2><table><tr><th>Phase</th><th>Outcome</th><th>Started</th><th>Finished</th><th>Duration</th><th>Detail</th></tr>");
        for (RestoreRecord.Phase p : r.phases()) {
            h.append("<tr><td>").append(esc(p.name())).append("</td><td class=\"").append(p.status() == JobStatus.Success ? "ok" : "bad").append("\">")
                    .append(esc(p.status())).append("</td><td>").append(esc(p.startedAt())).append("</td><td>").append(esc(p.finishedAt()))
                    .append("</td><td>").append(duration(p.durationMs())).append("</td><td>").append(esc(p.detail())).append("</td></tr>");
        }
        h.append("</table>\n");

        h.append("<h2>Components</h2><table><tr><th>Component</th><th>Outcome</th><th>Bytes</th><th>Items</th><th>Duration</th><th>Checks</th><th>Note</th></tr>");
        for (Map.Entry<String, RestoreRecord.ComponentOutcome> e : r.components().entrySet()) {
            RestoreRecord.ComponentOutcome o = e.getValue();
            Map<String, Long> s = o.stats() == null ? Map.of() : o.stats();
            long passed = checksOf(e.getKey()).stream().filter(RestoreRecord.Check::passed).count();
            int all = checksOf(e.getKey()).size();
            boolean skipped = o.error() != null && o.error().startsWith("skipped");
            h.append("<tr><td>").append(esc(e.getKey())).append("</td><td class=\"").append(skipped ? "" : o.status() == JobStatus.Success ? "ok" : "bad")
                    .append("\">").append(skipped ? "Skipped" : esc(o.status())).append("</td><td>").append(esc(s.get("bytes"))).append("</td><td>").append(esc(items(s)))
                    .append("</td><td>").append(duration(s.get("durationMs"))).append("</td><td>").append(passed).append(" of ").append(all)
                    .append(" passed</td><td>").append(esc(o.error())).append("</td></tr>");
        }
        h.append("</table>\n");

        h.append("<h2>Checks</h2><table><tr><th>Phase</th><th>Check</th><th>Result</th><th>Detail</th></tr>");
        for (RestoreRecord.Check c : r.checks()) {
            h.append("<tr><td>").append(esc(c.phase())).append("</td><td>").append(esc(c.name())).append("</td><td class=\"")
                    .append(c.passed() ? "ok\">passed" : "bad\">failed").append("</td><td>").append(esc(c.detail())).append("</td></tr>");
        }
        h.append("</table>\n");
        if (r.plan() != null && !r.plan().isEmpty()) {
            h.append("<h2>Dry run: what a restore would do</h2><ul>");
            r.plan().forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
            h.append("</ul>\n");
        }
        if (r.upgradeOutput() != null) {
            h.append("<h2>Upgrade output</h2><pre>").append(esc(r.upgradeOutput())).append("</pre>\n");
        }
        if (r.postRestoreOutput() != null) {
            h.append("<h2>Post-restore test suite output</h2><pre>").append(esc(r.postRestoreOutput())).append("</pre>\n");
        }
        if (r.jenkinsBuild() != null) {
            h.append("<h2>Jenkins test run</h2><p>").append(esc(r.jenkinsBuild())).append("</p>\n");
        }
        h.append("<h2>Warnings</h2>");
        if (r.warnings() == null || r.warnings().isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<ul>");
            r.warnings().forEach(w -> h.append("<li>").append(esc(w)).append("</li>"));
            h.append("</ul>");
        }
        h.append("\n<p style=\"color:#6b7685;font-size:.8rem\">Generated by Athena from the restore's record.</p></body></html>\n");
        return h.toString();
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

    private static void row(StringBuilder h, String name, Object value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
    }

    /** An inline SVG Gantt chart of the phases. */
    private String timeline() {
        if (r.phases().isEmpty() || r.startedAt() == null) {
            return "<p>No phase ran.</p>";
        }
        Instant start = Instant.parse(r.startedAt());
        long total = 1;
        for (RestoreRecord.Phase p : r.phases()) {
            total = Math.max(total, Duration.between(start, Instant.parse(p.finishedAt())).toMillis());
        }
        int width = 900;
        int label = 170;
        int rowHeight = 26;
        StringBuilder s = new StringBuilder("<svg role=\"img\" aria-label=\"timeline of the restore phases\" width=\"")
                .append(width).append("\" height=\"").append(rowHeight * r.phases().size() + 24).append("\">");
        int y = 0;
        for (RestoreRecord.Phase p : r.phases()) {
            long from = Duration.between(start, Instant.parse(p.startedAt())).toMillis();
            long ms = p.durationMs() == null ? 0 : p.durationMs();
            double x = label + (width - label - 90) * (double) from / total;
            double w = Math.max(2, (width - label - 90) * (double) ms / total);
            s.append("<text x=\"0\" y=\"").append(y + 17).append("\" font-size=\"13\">").append(esc(p.name())).append("</text>")
                    .append("<rect x=\"").append(String.format("%.1f", x)).append("\" y=\"").append(y + 4).append("\" width=\"")
                    .append(String.format("%.1f", w)).append("\" height=\"18\" rx=\"3\" fill=\"")
                    .append(p.status() == JobStatus.Success ? (p.detail() != null && p.detail().startsWith("skipped") ? "#b8c2cc" : "#2f7d4f") : "#b3261e")
                    .append("\"/><text x=\"").append(String.format("%.1f", x + w + 6)).append("\" y=\"").append(y + 17)
                    .append("\" font-size=\"12\" fill=\"#4a5563\">").append(duration(ms)).append("</text>");
            y += rowHeight;
        }
        s.append("<text x=\"").append(label).append("\" y=\"").append(y + 16).append("\" font-size=\"11\" fill=\"#6b7685\">0 s</text>")
                .append("<text x=\"").append(width - 150).append("\" y=\"").append(y + 16).append("\" font-size=\"11\" fill=\"#6b7685\">")
                .append(duration(total)).append("</text></svg>");
        return s.toString();
    }
}
