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
 * DescribeDBSnapshots, DeleteDBSnapshot, RestoreDBInstanceFromDBSnapshot and DescribeDBInstances
 * for the real AWS SDK client to talk to. Snapshots and instances report "creating" once, then
 * "available", as RDS does after a while.
 */
public final class RdsStub implements AutoCloseable {
    private static final String NS = "http://rds.amazonaws.com/doc/2014-10-31/";
    public final Map<String, Map<String, String>> snapshots = new ConcurrentHashMap<>();
    public final Map<String, Map<String, String>> instances = new ConcurrentHashMap<>();
    /** While true, snapshots stay "creating" however often they are described. */
    public volatile boolean snapshotsStuck;
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
                Map<String, String> s = new HashMap<>(Map.of("instance", p.get("DBInstanceIdentifier"), "status", "creating"));
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
                Map<String, String> i = new HashMap<>(Map.of("status", "creating", "snapshotFrom", p.get("DBSnapshotIdentifier")));
                instances.put(id, i);
                body = result(action, instanceXml(id, i));
            }
            case "DescribeDBInstances" -> {
                String id = p.get("DBInstanceIdentifier");
                Map<String, String> i = instances.get(id);
                if (i == null) {
                    reply(ex, 404, error("DBInstanceNotFound", "DBInstance " + id + " not found."));
                    return;
                }
                String xml = instanceXml(id, i);
                i.put("status", "available");
                body = result(action, "<DBInstances>" + xml + "</DBInstances>");
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

    private static String instanceXml(String id, Map<String, String> i) {
        return "<DBInstance><DBInstanceIdentifier>" + id + "</DBInstanceIdentifier><DBInstanceStatus>" + i.get("status")
                + "</DBInstanceStatus><Engine>postgres</Engine><Endpoint><Address>" + id + ".abc123.us-east-1.rds.amazonaws.com</Address>"
                + "<Port>5432</Port></Endpoint></DBInstance>";
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
