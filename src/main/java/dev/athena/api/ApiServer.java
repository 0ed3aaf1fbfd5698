package dev.athena.api;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.config.Spelling;
import dev.athena.repository.RepositoryLayout;
import dev.athena.service.AthenaService;
import dev.athena.service.ConflictException;
import dev.athena.service.NotFoundException;
import dev.athena.service.NotLeaderException;
import dev.athena.service.RecoveryReport;
import dev.athena.service.RestoreRecord;
import dev.athena.service.RestoreRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The seed's HTTP API under /athena/api/v1, plus /healthz and /metrics. */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    public static final String BASE = "/athena/api/v1";
    static final long MAX_BODY = 1024 * 1024;
    static final Set<String> SERVICES = Set.of("gitserver", "metagraph", "postgres", "config");
    /** The fields each request body may hold; any other is refused (see {@link RequestBody#allowOnly}). */
    static final Set<String> BACKUP_FIELDS = Set.of("onlyConfig");
    static final Set<String> TIMESTAMP_FIELDS = Set.of("timestamp");
    static final Set<String> RESTORE_FIELDS = Set.of("timestamp", "sourceNamespace", "enableReportGeneration", "enableJenkinsTestRun",
            "disableUpgrade", "disablePreRestoreChecks", "disablePostRestoreChecks", "svcs", "dryRun", "allowDowngrade", "location", "targetTime");
    static final Set<String> SERVICE_FIELDS = Set.of("disable", "include");
    /** At most this many items per component in one item-level restore: a list, not a copy of the volume's index. */
    static final int MAX_ITEMS = 1000;

    private final java.util.concurrent.CompletableFuture<AthenaService> service;
    private final ApiKeys keys;
    private final Javalin app;
    private final LeaderForwarding forwarding;

    static {
        // Without this Jetty asks the JVM's management beans whether references are compressed, to pad one queue: starting
        // JMX cost a fresh serve 0.15 s, which a disaster recovery waits for. 16 references of 4 bytes fill a 64-byte cache
        // line (compressed references, any heap under 32 GiB); the value only spaces that queue's fields.
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        }
    }

    public ApiServer(AthenaService service, ApiKeys keys) {
        this(java.util.concurrent.CompletableFuture.completedFuture(service), keys);
    }

    /**
     * An API for a service still starting: {@code serve} opens the repository (its key derivation
     * takes a fresh JVM 0.3 s and more) while the HTTP server starts, instead of one after the
     * other. Every request, /healthz too, waits until the service has started, so an answer means
     * what it meant before; if it never starts, requests get 503 and {@code serve} exits.
     */
    public ApiServer(java.util.concurrent.CompletableFuture<AthenaService> starting, ApiKeys keys) {
        this.service = starting;
        this.keys = keys;
        this.forwarding = new LeaderForwarding(() -> service().leadership());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY;
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.routes.get("/healthz", ctx -> {
                service();
                json(ctx, 200, Map.of("status", "ok"));
            });
            // The dashboard: a page and its script and style, all from the jar; it reads the API below with the key it is given.
            config.routes.get("/", ctx -> Dashboard.page(ctx));
            config.routes.get("/dashboard.js", ctx -> Dashboard.asset(ctx, "dashboard.js", "text/javascript; charset=utf-8"));
            config.routes.get("/dashboard.css", ctx -> Dashboard.asset(ctx, "dashboard.css", "text/css; charset=utf-8"));
            config.routes.get("/metrics", ctx -> {
                AthenaService s = service();
                ctx.contentType(dev.athena.service.Metrics.contentType())
                        .result(s.renderMetrics());
            });
            // Every body within the limit is read before anything answers: an early answer (404, 405, 401) with the body
            // left unread makes the server close the connection while the client still sends, and the client sees a reset, not the answer.
            config.routes.before(ApiServer::readBodyFirst);
            config.routes.before(BASE + "/*", this::authenticate);
            config.routes.post(BASE + "/ondemandbackup", this::onDemandBackup);
            config.routes.get(BASE + "/backup/latest", this::latest);
            config.routes.get(BASE + "/backupstatus", this::backupStatus);
            config.routes.get(BASE + "/backuplist", ctx -> json(ctx, 200, service().records().list()));
            config.routes.post(BASE + "/ondemandrestore", this::onDemandRestore);
            config.routes.get(BASE + "/restorestatus", this::restoreStatus);
            config.routes.get(BASE + "/restorereport", this::restoreReport);
            config.routes.get(BASE + "/evidence", this::evidence);
            config.routes.post(BASE + "/ondemanddrill", ctx -> {
                if (forwarding.forwarded(ctx)) {
                    return;
                }
                RequestBody b = body(ctx).allowOnly(Set.of("timestamp"));
                String id = service().startDrill(RequestBody.timestamp(ctx.queryParam("timestamp"), b, false));
                json(ctx, 202, new CodeAndMessage(202, "Request Accepted with drillId " + id));
            });
            config.routes.get(BASE + "/drillstatus", ctx -> {
                body(ctx).allowOnly(Set.of());
                String id = drillId(ctx);
                json(ctx, 200, service().drill(id).orElseThrow(() -> new ApiException(404, id == null ? "no drill yet: POST /ondemanddrill starts one"
                        : "no drill " + id + " (GET /drilllist lists them)")));
            });
            config.routes.get(BASE + "/drilllist", ctx -> {
                body(ctx).allowOnly(Set.of());
                json(ctx, 200, service().drills());
            });
            config.routes.get(BASE + "/drillreport", ctx -> {
                body(ctx).allowOnly(Set.of());
                String id = drillId(ctx);
                RestoreRecord drill = service().drill(id).orElseThrow(() -> new ApiException(404, "no drill " + (id == null ? "yet" : id)));
                RecoveryReport report = service().drillReport(drill);
                switch (ctx.queryParam("format") == null ? "html" : ctx.queryParam("format")) {
                    case "html" -> ctx.status(200).contentType("text/html; charset=utf-8").result(report.html());
                    case "json" -> json(ctx, 200, report.json());
                    default -> throw new ApiException(400, "format must be html or json");
                }
            });
            config.routes.get(BASE + "/signingkey", ctx -> {
                body(ctx).allowOnly(Set.of());
                json(ctx, 200, service().signer().describe());
            });
            config.routes.get(BASE + "/verifystatus", ctx -> {
                body(ctx).allowOnly(Set.of());
                json(ctx, 200, service().verificationStatus().orElseThrow(() -> new ApiException(404,
                        "continuous verification is off: set VERIFY_FREQUENCY (a cron expression) and VERIFY_READ_DATA_PERCENT")));
            });
            config.routes.get(BASE + "/walstatus", ctx -> {
                body(ctx).allowOnly(Set.of());
                // Only the leader archives: a follower asks it, as it does for jobs.
                if (service().walStatus().isEmpty() && service().config().physical().walArchive() && forwarding.forwarded(ctx)) {
                    return;
                }
                json(ctx, 200, service().walStatus().orElseThrow(() -> new ApiException(404,
                        "WAL archiving is off: set POSTGRES_WAL_ARCHIVE=true (with POSTGRES_HOST and a user allowed to replicate)")));
            });
            config.routes.get(BASE + "/retentionplan", ctx -> {
                body(ctx).allowOnly(Set.of());
                json(ctx, 200, service().retentionPlan());
            });
            config.routes.get(BASE + "/schedule", ctx -> {
                body(ctx).allowOnly(Set.of());
                json(ctx, 200, service().schedule());
            });
            config.routes.get(BASE + "/restorelist", ctx -> {
                body(ctx).allowOnly(Set.of());
                json(ctx, 200, service().records().restores());
            });
            config.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.status() == 503) {
                    ctx.header("Retry-After", "5");
                }
                error(ctx, e.status(), e.getMessage());
            });
            // Domain exceptions are the client's doing; anything else is ours: a 500 with the stack trace in the log.
            config.routes.exception(ConflictException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
            config.routes.exception(NotLeaderException.class, (e, ctx) -> error(ctx.header("Retry-After", "5"), 503, e.getMessage()));
            config.routes.exception(NotFoundException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
            config.routes.exception(dev.athena.service.BadRequestException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error; see Athena's log");
            });
            config.routes.error(404, ctx -> {
                String result = ctx.result();
                if (result == null || !result.startsWith("{")) {
                    error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(405, ctx -> error(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path()));
            config.routes.error(413, ctx -> error(ctx, 413, "the body is larger than 1 MiB"));
        });
    }

    /** The started service: waits while it starts; 503 when it could not start. */
    private AthenaService service() {
        try {
            return service.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ApiException(503, "Athena could not start: " + (cause.getMessage() == null ? cause : cause.getMessage()));
        }
    }

    public ApiServer start(int port) {
        app.start(port);
        log.info("HTTP API listening on port {}", app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    private static void readBodyFirst(Context ctx) {
        long length = ctx.contentLength();
        if (length > MAX_BODY) {
            // Never read: the connection cannot be used again, and the client is told so.
            ctx.header("Connection", "close");
            throw new ApiException(413, "the body is larger than 1 MiB");
        }
        if (length > 0) {
            readBody(ctx);
        }
    }

    private void authenticate(Context ctx) {
        if (!keys.accepts(ctx.header("Authorization"))) {
            throw new ApiException(401, "missing or wrong API key: send it as 'Authorization: <api-key>' or 'Authorization: Bearer <api-key>'");
        }
        String length = ctx.header("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY) {
                    throw new ApiException(413, "the body is larger than 1 MiB");
                }
            } catch (NumberFormatException e) {
                throw new ApiException(400, "invalid Content-Length");
            }
        }
    }

    /** The body's bytes (read once, then kept by Javalin); a body that cannot be read is the client's error. */
    private static byte[] readBody(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (Exception e) {
            // Malformed chunked encoding, a client that stopped sending. (Jetty's read errors come through Kotlin
            // unchecked, whatever their declared type.)
            throw new ApiException(400, "the request body could not be read: malformed or cut short");
        }
    }

    private static RequestBody body(Context ctx) {
        byte[] bytes = readBody(ctx);
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "the body is larger than 1 MiB");
        }
        return RequestBody.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    private void onDemandBackup(Context ctx) {
        if (forwarding.forwarded(ctx)) {
            return;
        }
        boolean onlyConfig = body(ctx).allowOnly(BACKUP_FIELDS).bool("onlyConfig", false);
        String ts = service().startBackup(onlyConfig);
        json(ctx, 202, new CodeAndMessage(202, "Request Accepted with timestamp " + ts));
    }

    private void latest(Context ctx) {
        json(ctx, 200, service().records().latest().orElseThrow(() -> new ApiException(404, "there is no backup yet")));
    }

    private void backupStatus(Context ctx) {
        String ts = RequestBody.timestamp(ctx.queryParam("timestamp"), body(ctx).allowOnly(TIMESTAMP_FIELDS), true);
        json(ctx, 200, service().records().find(ts).orElseThrow(() -> new ApiException(404, "no backup " + ts)));
    }

    /** The newest restore from a backup, or with ?restoreId= that one. */
    private void restoreStatus(Context ctx) {
        String ts = RequestBody.timestamp(ctx.queryParam("timestamp"), body(ctx).allowOnly(TIMESTAMP_FIELDS), true);
        String id = restoreId(ctx);
        json(ctx, 200, service().records().restore(ts, id).orElseThrow(() -> new ApiException(404, "no restore "
                + (id == null ? "" : id + " ") + "from backup " + ts)));
    }

    private static String restoreId(Context ctx) {
        String id = ctx.queryParam("restoreId");
        if (id != null && !id.matches("\\d{4}-\\d{2}-\\d{2}t\\d{2}-\\d{2}-\\d{2}-\\d{3}")) {
            throw new ApiException(400, "invalid restoreId '" + id + "': it looks like 2026-12-07t10-00-00-123 (GET /restorelist lists them)");
        }
        return id;
    }

    /** The disaster-recovery report of a restore (the newest from that backup, or ?restoreId=), as HTML or ?format=json. */
    private void restoreReport(Context ctx) {
        String ts = RequestBody.timestamp(ctx.queryParam("timestamp"), body(ctx).allowOnly(TIMESTAMP_FIELDS), true);
        String id = restoreId(ctx);
        String format = ctx.queryParam("format") == null ? "html" : ctx.queryParam("format");
        RestoreRecord record = service().records().restore(ts, id).orElseThrow(() -> new ApiException(404, "no restore from backup " + ts));
        var recovery = service().config().recovery();
        RecoveryReport report = new RecoveryReport(record, recovery.rtoTarget(), recovery.rpoTarget(), service().signer());
        switch (format) {
            case "html" -> ctx.status(200).contentType("text/html; charset=utf-8").result(report.html());
            case "json" -> json(ctx, 200, report.json());
            default -> throw new ApiException(400, "format must be html or json");
        }
    }

    private void onDemandRestore(Context ctx) {
        if (forwarding.forwarded(ctx)) {
            return;
        }
        RequestBody b = body(ctx).allowOnly(RESTORE_FIELDS);
        String targetTime = b.string("targetTime");
        java.time.Instant target = null;
        if (RestoreRequest.LATEST.equals(targetTime)) {
            target = dev.athena.component.Component.LATEST;
        } else if (targetTime != null) {
            try {
                target = java.time.OffsetDateTime.parse(targetTime).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw new ApiException(400, "targetTime '" + targetTime + "' is neither an RFC 3339 time such as 2026-12-07T14:03:00Z nor \"latest\"");
            }
        }
        // With a target time, the backup may be left to Athena: the newest at or before it.
        String ts = RequestBody.timestamp(ctx.queryParam("timestamp"), b, target == null);
        String source = b.string("sourceNamespace");
        if (source == null || source.isBlank()) {
            source = service().config().namespace();
        }
        try {
            RepositoryLayout.checkNamespace(source);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "sourceNamespace: " + e.getMessage());
        }
        Set<String> disabled = new HashSet<>();
        Map<String, java.util.List<String>> items = new java.util.LinkedHashMap<>();
        JsonNode svcs = b.node().get("svcs");
        if (svcs != null && !svcs.isNull()) {
            if (!svcs.isObject()) {
                throw new ApiException(400, "field 'svcs' must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = svcs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!SERVICES.contains(e.getKey())) {
                    throw new ApiException(400, "svcs: unknown service '" + e.getKey() + "'" + Spelling.hint(e.getKey(), SERVICES)
                            + "; known: " + String.join(", ", new java.util.TreeSet<>(SERVICES)));
                }
                if (!e.getValue().isObject()) {
                    throw new ApiException(400, "field 'svcs." + e.getKey() + "' must be an object like {\"disable\": true}");
                }
                RequestBody.allowOnly(e.getValue(), "svcs." + e.getKey() + ".", SERVICE_FIELDS);
                if (RequestBody.bool(e.getValue(), "disable", "svcs." + e.getKey() + ".disable", false)) {
                    disabled.add(e.getKey());
                }
                JsonNode include = e.getValue().get("include");
                if (include != null && !include.isNull()) {
                    String field = "svcs." + e.getKey() + ".include";
                    if (!include.isArray() || include.isEmpty() || include.size() > MAX_ITEMS) {
                        throw new ApiException(400, "field '" + field + "' must be a list of 1 to " + MAX_ITEMS + " items: paths of a volume,"
                                + " repositories of the gitserver, databases (NAME or NAME=NEWNAME) or keys of the config");
                    }
                    java.util.List<String> list = new java.util.ArrayList<>();
                    for (JsonNode item : include) {
                        if (!item.isTextual() || item.asText().isBlank()) {
                            throw new ApiException(400, "field '" + field + "' must hold non-empty strings");
                        }
                        list.add(item.asText());
                    }
                    if (e.getKey().equals("metagraph") || e.getKey().equals("gitserver")) {
                        try {
                            dev.athena.volume.PathSelection.of(list);
                        } catch (IllegalArgumentException bad) {
                            throw new ApiException(400, field + ": " + bad.getMessage());
                        }
                    }
                    if (disabled.contains(e.getKey())) {
                        throw new ApiException(400, "svcs." + e.getKey() + " is both disabled and given items to include: choose one");
                    }
                    items.put(e.getKey(), list);
                }
            }
        }
        RestoreRequest request = new RestoreRequest(ts, source, b.bool("enableReportGeneration", false), b.bool("enableJenkinsTestRun", false),
                b.bool("disableUpgrade", false), b.bool("disablePreRestoreChecks", false), b.bool("disablePostRestoreChecks", false),
                Set.copyOf(disabled), b.bool("dryRun", false), b.bool("allowDowngrade", false), items, location(b)).requestedBy(requestedBy(ctx));
        if (target != null) {
            request = request.atMoment(ts, target.equals(dev.athena.component.Component.LATEST) ? RestoreRequest.LATEST : target.toString());
        }
        String restored = service().startRestore(request);
        // The seed's answer; a point-in-time restore also says which backup it starts from, as a backup says its timestamp.
        json(ctx, 202, new CodeAndMessage(202, target == null ? "Request Accepted" : "Request Accepted with timestamp " + restored));
    }

    private static String drillId(Context ctx) {
        String id = ctx.queryParam("drillId");
        if (id != null && !id.matches("\\d{4}-\\d{2}-\\d{2}t\\d{2}-\\d{2}-\\d{2}-\\d{3}")) {
            throw new ApiException(400, "invalid drillId '" + id + "': it looks like 2026-12-07t10-00-00-123 (GET /drilllist lists them)");
        }
        return id;
    }

    /** An auditor's page for a period: ?from= and &to= (dates, inclusive, or RFC 3339 instants; default the last 30 days through today), &format=json. */
    private void evidence(Context ctx) {
        body(ctx).allowOnly(Set.of());
        java.time.Instant now = service().now();
        // By default through the end of today (UTC): a backup's name can run a second or two ahead of the clock (two in one second).
        java.time.Instant to = moment(ctx.queryParam("to"), "to", true,
                now.atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        java.time.Instant from = moment(ctx.queryParam("from"), "from", false, to.minus(java.time.Duration.ofDays(30)));
        if (!from.isBefore(to)) {
            throw new ApiException(400, "from must be before to");
        }
        String format = ctx.queryParam("format") == null ? "html" : ctx.queryParam("format");
        Object page = switch (format) {
            case "html", "json" -> service().evidence(from, to, format);
            default -> throw new ApiException(400, "format must be html or json");
        };
        if (page instanceof String html) {
            ctx.status(200).contentType("text/html; charset=utf-8").result(html);
        } else {
            json(ctx, 200, page);
        }
    }

    /** A date (2026-12-01: its start, or with {@code end}, the next day's) or an RFC 3339 instant; {@code fallback} when absent. */
    private static java.time.Instant moment(String value, String name, boolean end, java.time.Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            if (value.length() == 10) {
                java.time.LocalDate d = java.time.LocalDate.parse(value);
                return (end ? d.plusDays(1) : d).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            }
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new ApiException(400, name + " '" + value + "' is neither a date (2026-12-01) nor an RFC 3339 time (2026-12-01T00:00:00Z)");
        }
    }

    /** Names a client may give itself (the CLI sends user@host): shown in records and reports, never trusted for access. */
    static final String REQUESTED_BY = "X-Athena-Requested-By";

    /**
     * Who asked, as far as the request says: the name the client gave (or its User-Agent), which
     * key it used (its place in ATHENA_API_KEYS) and its address (the original client's, for a
     * request a follower passed on).
     */
    private String requestedBy(Context ctx) {
        String name = printable(ctx.header(REQUESTED_BY));
        String agent = printable(ctx.header("User-Agent"));
        String from = ctx.header(LeaderForwarding.FORWARDED) != null && ctx.header(LeaderForwarding.CLIENT) != null
                ? printable(ctx.header(LeaderForwarding.CLIENT)) : ctx.ip();
        StringBuilder who = new StringBuilder(name != null ? name : agent != null ? agent : "an API client");
        if (name != null && agent != null) {
            who.append(" (").append(agent).append(")");
        }
        int key = keys.which(ctx.header("Authorization"));
        return who.append(", API key #").append(key).append(", from ").append(from).toString();
    }

    /** A header's value fit for a record: printable ASCII, at most 100 characters; null when there is none. */
    private static String printable(String value) {
        if (value == null) {
            return null;
        }
        String clean = value.replaceAll("[^\\x20-\\x7e]", "").trim();
        return clean.isEmpty() ? null : clean.length() > 100 ? clean.substring(0, 100) : clean;
    }

    /** "primary" (the default) or "secondary": the copy COPY_TO keeps, for when the backup location is lost or slow. */
    private String location(RequestBody b) {
        String location = b.string("location");
        if (location == null) {
            return null;
        }
        if (!RestoreRequest.LOCATIONS.contains(location)) {
            throw new ApiException(400, "field 'location' must be primary or secondary, got '" + location + "'"
                    + Spelling.hint(location, RestoreRequest.LOCATIONS));
        }
        if (location.equals("secondary") && service().config().copy().isEmpty()) {
            throw new ApiException(400, "location 'secondary': no second location is configured; set COPY_TO to where the copies are");
        }
        return location;
    }

    private static void json(Context ctx, int status, Object value) {
        ctx.status(status).contentType("application/json").result(ApiJson.write(value));
    }

    private static void error(Context ctx, int status, String message) {
        json(ctx, status, new CodeAndMessage(status, message == null ? "error" : message));
    }

    /** The seed's answer shape, "code" first as in its examples: for 202s and for every error. */
    record CodeAndMessage(int code, String message) {
    }

    @Override
    public void close() {
        app.stop();
    }
}
