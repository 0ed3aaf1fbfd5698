package dev.athena.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.concurrent.Sizes;

/**
 * The service's backup and restore records (its API's JSON) as a person reads them: a table of
 * many, or one described in full. Sizes and durations are human here; {@code -o json} keeps the
 * exact numbers.
 */
final class RecordText {
    private RecordText() {
    }

    static String backupTable(List<JsonNode> backups, Instant now) {
        Table t = new Table("TIMESTAMP", "STATUS", "AGE", "COMPONENTS", "SIZE", "DURATION", "NOTE");
        for (JsonNode b : backups) {
            t.row(text(b, "timestamp"), text(b, "status"), age(text(b, "startedAt"), now), String.join(",", strings(b.path("components"))),
                    b.hasNonNull("bytes") ? Sizes.bytes(b.get("bytes").asLong()) : null,
                    b.hasNonNull("durationMs") ? Sizes.duration(b.get("durationMs").asLong()) : null, note(b));
        }
        return t.toString();
    }

    static String restoreTable(List<JsonNode> restores, Instant now) {
        return restoreTable(restores, now, "RESTORE ID");
    }

    /** As above, the first column headed {@code idHeader} ("DRILL ID" for drills). */
    static String restoreTable(List<JsonNode> restores, Instant now, String idHeader) {
        Table t = new Table(idHeader, "BACKUP", "FROM", "STATUS", "AGE", "DURATION", "NOTE");
        for (JsonNode r : restores) {
            t.row(text(r, "restoreId"), text(r, "timestamp"), text(r, "namespace"), text(r, "status") + (r.path("request").path("dryRun").asBoolean()
                    ? " (dry run)" : ""), age(text(r, "startedAt"), now),
                    r.hasNonNull("durationMs") ? Sizes.duration(r.get("durationMs").asLong()) : null, note(r));
        }
        return t.toString();
    }

    /** What a row's last column says: the progress of a running job, the error of a failed one, its warnings' count. */
    private static String note(JsonNode record) {
        if (record.hasNonNull("progress")) {
            ProgressMeter.Snapshot p = snapshot(record);
            return p == null ? "running" : p.describe();
        }
        if (record.hasNonNull("error")) {
            return record.get("error").asText();
        }
        int warnings = record.path("warnings").size();
        return warnings == 0 ? "" : Sizes.count(warnings, "warning");
    }

    /** A record's progress, or null when it has none (finished, or run by another replica). */
    static ProgressMeter.Snapshot snapshot(JsonNode record) {
        JsonNode p = record.get("progress");
        if (p == null || p.isNull()) {
            return null;
        }
        try {
            return OutputOption.reader().treeToValue(p, ProgressMeter.Snapshot.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    static String describeBackup(JsonNode b) {
        List<String> lines = new ArrayList<>();
        field(lines, "Backup", text(b, "timestamp"));
        field(lines, "Namespace", text(b, "namespace"));
        field(lines, "Status", text(b, "status") + (b.path("damaged").asBoolean() ? " (damaged)" : ""));
        field(lines, "Error", text(b, "error"));
        field(lines, "Only config", b.path("onlyConfig").asBoolean() ? "yes" : null);
        field(lines, "Started", text(b, "startedAt"));
        field(lines, "Finished", text(b, "finishedAt"));
        field(lines, "Duration", b.hasNonNull("durationMs") ? Sizes.duration(b.get("durationMs").asLong()) : null);
        field(lines, "Components", String.join(", ", strings(b.path("components"))));
        field(lines, "Size", b.hasNonNull("bytes") ? Sizes.bytes(b.get("bytes").asLong()) + " (" + b.get("bytes").asLong() + " bytes)" : null);
        field(lines, "New data stored", b.hasNonNull("newBytes") ? Sizes.bytes(b.get("newBytes").asLong()) + " (after deduplication and compression)"
                : null);
        field(lines, "Platform version", text(b, "platformVersion"));
        field(lines, "Location", text(b, "backupurl"));
        ProgressMeter.Snapshot p = snapshot(b);
        field(lines, "Progress", p == null ? null : p.describe());
        if (b.path("windows").size() > 0) {
            lines.add("Captured:");
            b.get("windows").fields().forEachRemaining(e -> lines.add("  " + e.getKey() + ": " + text(e.getValue(), "startedAt") + " to "
                    + text(e.getValue(), "finishedAt")));
        }
        requests(lines, b);
        warnings(lines, b);
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    static String describeRestore(JsonNode r) {
        List<String> lines = new ArrayList<>();
        boolean drill = r.hasNonNull("targets");
        field(lines, drill ? "Drill" : "Restore", text(r, "restoreId"));
        field(lines, "Backup", text(r, "timestamp") + " of namespace " + text(r, "namespace"));
        if (drill) {
            lines.add("Into scratch targets only:");
            r.get("targets").fields().forEachRemaining(t -> lines.add("  " + t.getKey() + ": " + t.getValue().asText()));
        } else {
            field(lines, "Into namespace", text(r, "destinationNamespace"));
        }
        field(lines, "Status", text(r, "status") + (r.path("request").path("dryRun").asBoolean() ? " (dry run: nothing was written)" : ""));
        field(lines, "Error", text(r, "error"));
        field(lines, "Started", text(r, "startedAt"));
        field(lines, "Finished", text(r, "finishedAt"));
        // Only a restore that wrote the platform back recovered it: a failed one or a dry run merely ran that long.
        boolean recovered = "Success".equals(text(r, "status")) && !r.path("request").path("dryRun").asBoolean();
        field(lines, recovered ? "RTO" : "Ran for", r.hasNonNull("rtoSeconds") ? Sizes.duration(r.get("rtoSeconds").asLong() * 1000) : null);
        String target = text(r.path("request"), "targetTime");
        String rpoMeaning = target == null ? " (the backup's age when the restore began)"
                : "latest".equals(target) ? " (the age of the newest data recovered when the restore began)"
                : " (how far before the target time " + target + " the earliest component lies)";
        field(lines, "Target time", target);
        field(lines, "RPO", r.hasNonNull("rpoSeconds") ? Sizes.duration(r.get("rpoSeconds").asLong() * 1000) + rpoMeaning : null);
        field(lines, "Versions", r.hasNonNull("backupVersion") || r.hasNonNull("versionBefore") ? "backup " + text(r, "backupVersion")
                + ", this cluster before " + text(r, "versionBefore") + ", after " + text(r, "versionAfter") : null);
        ProgressMeter.Snapshot p = snapshot(r);
        field(lines, "Progress", p == null ? null : p.describe());
        if (r.path("phases").size() > 0) {
            lines.add("Phases:");
            for (JsonNode ph : r.get("phases")) {
                String detail = text(ph, "detail");
                if (detail != null && detail.startsWith("skipped: ")) {
                    // Not run: "Success" would say it did.
                    lines.add("  " + text(ph, "name") + ": skipped (" + detail.substring("skipped: ".length()) + ")");
                    continue;
                }
                lines.add("  " + text(ph, "name") + ": " + text(ph, "status") + (ph.hasNonNull("durationMs") ? " in "
                        + Sizes.duration(ph.get("durationMs").asLong()) : "") + (detail != null ? ": " + detail : ""));
            }
        }
        if (r.path("checks").size() > 0) {
            lines.add("Checks:");
            for (JsonNode c : r.get("checks")) {
                lines.add("  " + (c.path("passed").asBoolean() ? "passed" : "FAILED") + " " + text(c, "name") + ": " + text(c, "detail"));
            }
        }
        if (r.path("components").size() > 0) {
            lines.add("Components:");
            r.get("components").fields().forEachRemaining(e -> lines.add("  " + e.getKey() + ": " + text(e.getValue(), "status")
                    + (e.getValue().hasNonNull("error") ? ": " + text(e.getValue(), "error") : "")));
        }
        if (r.path("plan").size() > 0) {
            lines.add("Plan (what a restore would do):");
            strings(r.get("plan")).forEach(s -> lines.add("  " + s));
        }
        requests(lines, r);
        warnings(lines, r);
        field(lines, "Report", !r.hasNonNull("report") ? null : drill ? "GET " + text(r, "report")
                : "athena report " + text(r, "timestamp") + " --restore-id " + text(r, "restoreId"));
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private static void requests(List<String> lines, JsonNode record) {
        JsonNode q = record.get("requests");
        if (q != null && q.isObject()) {
            field(lines, "Store requests", "put " + q.path("put").asLong() + ", get " + q.path("get").asLong() + ", head " + q.path("head").asLong()
                    + ", list " + q.path("list").asLong() + ", delete " + q.path("delete").asLong() + "; " + Sizes.bytes(q.path("bytesUp").asLong())
                    + " up, " + Sizes.bytes(q.path("bytesDown").asLong()) + " down");
        }
    }

    private static void warnings(List<String> lines, JsonNode record) {
        if (record.path("warnings").size() > 0) {
            lines.add("Warnings:");
            strings(record.get("warnings")).forEach(w -> lines.add("  " + w));
        }
    }

    private static void field(List<String> lines, String name, String value) {
        if (value != null && !value.isEmpty()) {
            lines.add(String.format("%-17s %s", name + ":", value));
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /** "3 min 5 s" since {@code instant}, or null when it is absent or unreadable. */
    static String age(String instant, Instant now) {
        if (instant == null) {
            return null;
        }
        try {
            return Sizes.duration(Math.max(0, Duration.between(Instant.parse(instant), now).toMillis()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
