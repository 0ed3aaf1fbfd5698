package dev.athena.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stub of the AWS RDS Query API (no RDS runs here): just enough of CreateDBSnapshot,
 * DescribeDBSnapshots, DeleteDBSnapshot, RestoreDBInstanceFromDBSnapshot, DescribeDBInstances (one
 * or all) and DeleteDBInstance for the real AWS SDK client to talk to. Snapshots and instances
 * report "creating" once, then "available", as RDS does after a while; a deleted instance reports
 * "deleting" once, then is gone. Every parameter of a restore is kept, to be checked.
 */
public final class RdsStub implements AutoCloseable {
    private static final String NS = "http://rds.amazonaws.com/doc/2014-10-31/";
    public final Map<String, Map<String, String>> snapshots = new ConcurrentHashMap<>();
    public final Map<String, Map<String, String>> instances = new ConcurrentHashMap<>();
    /** Instances deleted and gone, with what they were made with. */
    public final Map<String, Map<String, String>> deletedInstances = new ConcurrentHashMap<>();
    /** While true, snapshots stay "creating" however often they are described. */
    public volatile boolean snapshotsStuck;
    /** While true, snapshots and instances are available as soon as they are made (for tests whose client polls slowly). */
    public volatile boolean readyAtOnce;
    /** While true, instances being created stay "creating" however often they are described. */
    public volatile boolean instancesStuck;
    /** While true, an instance being created refuses to be deleted (InvalidDBInstanceState). */
    public volatile boolean refuseDeleteWhileCreating;
    /** Where restored instances say they listen; by default a name that resolves nowhere. */
    public volatile String endpointHost;
    public volatile int endpointPort = 5432;
    /** What every instance says RDS can restore it up to (RFC 3339); null: automated backups off. */
    public volatile String latestRestorableTime;
    private final HttpServer server;

    public RdsStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        instances.put("platform-db", new HashMap<>(Map.of("status", "available", "snapshotFrom", "")));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> p = new HashMap<>();
        for (String kv : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                p.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String action = p.get("Action");
        String body;
        int status = 200;
        switch (action) {
            case "CreateDBSnapshot" -> {
                String id = p.get("DBSnapshotIdentifier");
                if (!instances.containsKey(p.get("DBInstanceIdentifier"))) {
                    reply(ex, 404, error("DBInstanceNotFound", "DBInstance " + p.get("DBInstanceIdentifier") + " not found."));
                    return;
                }
                Map<String, String> s = new HashMap<>(Map.of("instance", p.get("DBInstanceIdentifier"), "status", readyAtOnce ? "available" : "creating"));
                p.forEach((k, v) -> {
                    if (k.startsWith("Tags.Tag.")) {
                        s.put(k, v);
                    }
                });
                snapshots.put(id, s);
                body = result(action, snapshotXml(id, s));
            }
            case "DescribeDBSnapshots" -> {
                String id = p.get("DBSnapshotIdentifier");
                Map<String, String> s = snapshots.get(id);
                if (s == null) {
                    reply(ex, 404, error("DBSnapshotNotFound", "DBSnapshot " + id + " not found."));
                    return;
                }
                String xml = snapshotXml(id, s);
                if (!snapshotsStuck) {
                    s.put("status", "available");
                }
                body = result(action, "<DBSnapshots>" + xml.replace("DBSnapshot>", "DBSnapshot>") + "</DBSnapshots>");
            }
            case "DeleteDBSnapshot" -> {
                String id = p.get("DBSnapshotIdentifier");
                Map<String, String> s = snapshots.remove(id);
                if (s == null) {
                    reply(ex, 404, error("DBSnapshotNotFound", "DBSnapshot " + id + " not found."));
                    return;
                }
                s.put("status", "deleted");
                body = result(action, snapshotXml(id, s));
            }
            case "RestoreDBInstanceFromDBSnapshot" -> {
                String id = p.get("DBInstanceIdentifier");
                if (!snapshots.containsKey(p.get("DBSnapshotIdentifier"))) {
                    reply(ex, 404, error("DBSnapshotNotFound", "DBSnapshot " + p.get("DBSnapshotIdentifier") + " not found."));
                    return;
                }
                Map<String, String> i = new HashMap<>(p);
                i.put("status", readyAtOnce ? "available" : "creating");
                i.put("snapshotFrom", p.get("DBSnapshotIdentifier"));
                instances.put(id, i);
                body = result(action, instanceXml(id, i));
            }
            case "RestoreDBInstanceToPointInTime" -> {
                String id = p.get("TargetDBInstanceIdentifier");
                if (!instances.containsKey(p.get("SourceDBInstanceIdentifier"))) {
                    reply(ex, 404, error("DBInstanceNotFound", "DBInstance " + p.get("SourceDBInstanceIdentifier") + " not found."));
                    return;
                }
                Map<String, String> i = new HashMap<>(p);
                i.put("status", readyAtOnce ? "available" : "creating");
                i.put("restoredFrom", p.get("SourceDBInstanceIdentifier") + "@" + p.get("RestoreTime"));
                instances.put(id, i);
                body = result(action, instanceXml(id, i));
            }
            case "DescribeDBInstances" -> {
                String id = p.get("DBInstanceIdentifier");
                if (id != null && !instances.containsKey(id)) {
                    reply(ex, 404, error("DBInstanceNotFound", "DBInstance " + id + " not found."));
                    return;
                }
                StringBuilder xml = new StringBuilder();
                for (String each : id == null ? new java.util.TreeSet<>(instances.keySet()) : java.util.Set.of(id)) {
                    Map<String, String> i = instances.get(each);
                    xml.append(instanceXml(each, i));
                    if ("deleting".equals(i.get("status"))) {
                        deletedInstances.put(each, instances.remove(each));
                    } else if (!instancesStuck || !"creating".equals(i.get("status"))) {
                        i.put("status", "available");
                    }
                }
                body = result(action, "<DBInstances>" + xml + "</DBInstances>");
            }
            case "DeleteDBInstance" -> {
                String id = p.get("DBInstanceIdentifier");
                Map<String, String> i = instances.get(id);
                if (i == null) {
                    reply(ex, 404, error("DBInstanceNotFound", "DBInstance " + id + " not found."));
                    return;
                }
                if (refuseDeleteWhileCreating && "creating".equals(i.get("status"))) {
                    reply(ex, 400, error("InvalidDBInstanceState", "Instance " + id + " is not in available state."));
                    return;
                }
                i.put("status", "deleting");
                i.put("SkipFinalSnapshot", p.get("SkipFinalSnapshot"));
                body = result(action, instanceXml(id, i));
            }
            default -> {
                status = 400;
                body = error("InvalidAction", "stub does not know " + action);
            }
        }
        reply(ex, status, body);
    }

    private static String snapshotXml(String id, Map<String, String> s) {
        return "<DBSnapshot><DBSnapshotIdentifier>" + id + "</DBSnapshotIdentifier><DBInstanceIdentifier>" + s.get("instance")
                + "</DBInstanceIdentifier><DBSnapshotArn>arn:aws:rds:us-east-1:123456789012:snapshot:" + id + "</DBSnapshotArn>"
                + "<Status>" + s.get("status") + "</Status><Engine>postgres</Engine><EngineVersion>15.4</EngineVersion>"
                + "<AllocatedStorage>20</AllocatedStorage><SnapshotCreateTime>2023-02-02T16:00:00Z</SnapshotCreateTime></DBSnapshot>";
    }

    private String instanceXml(String id, Map<String, String> i) {
        String host = endpointHost != null ? endpointHost : id + ".abc123.us-east-1.rds.amazonaws.com";
        return "<DBInstance><DBInstanceIdentifier>" + id + "</DBInstanceIdentifier><DBInstanceStatus>" + i.get("status")
                + "</DBInstanceStatus><DBInstanceClass>" + i.getOrDefault("DBInstanceClass", "db.m5.large") + "</DBInstanceClass>"
                + "<Engine>postgres</Engine><EngineVersion>15.4</EngineVersion>"
                + (latestRestorableTime == null ? "" : "<LatestRestorableTime>" + latestRestorableTime + "</LatestRestorableTime>")
                + "<Endpoint><Address>" + host + "</Address>"
                + "<Port>" + endpointPort + "</Port></Endpoint></DBInstance>";
    }

    private static String result(String action, String inner) {
        return "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + inner + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></" + action + "Response>";
    }

    private static String error(String code, String message) {
        return "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
                + "</Message></Error><RequestId>stub</RequestId></ErrorResponse>";
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/xml");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
