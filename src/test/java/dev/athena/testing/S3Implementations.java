package dev.athena.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;

import dev.athena.storage.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Real S3 implementations that run on this machine, each a server of its own on loopback,
 * started once per test JVM on first use and stopped when it exits:
 * S3Proxy 4.1 (in-process), S3Proxy 2.6 and Adobe S3Mock 5.2 (jars copied into target/s3-servers
 * by the build), and s3rver 3.7 (npm; installed into target/s3-servers/node on first use when
 * missing). Nothing here is a mock of S3: these are the servers users point AWS_S3_ENDPOINT at.
 */
public final class S3Implementations {
    /** One running server. {@code checksCredentials}: S3Mock accepts any signature. */
    public record Endpoint(String name, URI uri, String accessKey, String secretKey, boolean checksCredentials) {
        public S3Settings settings(String bucket) {
            return new S3Settings(bucket, "us-east-1", Optional.of(uri), Optional.of(accessKey), Optional.of(secretKey));
        }

        public void createBucket(String bucket) {
            try (S3Client s3 = S3Client.builder().endpointOverride(uri).forcePathStyle(true).region(Region.US_EAST_1)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))).build()) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static final List<String> NAMES = List.of("s3proxy-4.1", "s3proxy-2.6", "s3mock-5.2", "s3rver-3.7");
    private static final Path SERVERS = Path.of("target", "s3-servers").toAbsolutePath();
    private static final Map<String, Endpoint> RUNNING = new ConcurrentHashMap<>();
    private static final List<Process> PROCESSES = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (PROCESSES) {
                PROCESSES.forEach(Process::destroyForcibly);
            }
        }));
    }

    private S3Implementations() {
    }

    /** Every implementation, each started on first use. */
    public static List<Endpoint> all() {
        return NAMES.stream().map(S3Implementations::get).toList();
    }

    public static synchronized Endpoint get(String name) {
        Endpoint running = RUNNING.get(name);
        if (running != null) {
            return running;
        }
        try {
            Endpoint started = switch (name) {
                case "s3proxy-4.1" -> s3proxyInProcess();
                case "s3proxy-2.6" -> s3proxy26();
                case "s3mock-5.2" -> s3mock();
                case "s3rver-3.7" -> s3rver();
                default -> throw new IllegalArgumentException("unknown S3 implementation " + name);
            };
            RUNNING.put(name, started);
            return started;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    private static Endpoint s3proxyInProcess() throws Exception {
        S3ProxyJunitCore core = new S3ProxyJunitCore.Builder().withCredentials("proxy4-access", "proxy4-secret")
                .withBlobStoreProvider("transient").build();
        core.beforeEach();
        return new Endpoint("s3proxy-4.1", core.getUri(), "proxy4-access", "proxy4-secret", true);
    }

    private static Endpoint s3proxy26() throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("athena-s3proxy26");
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=proxy26-access",
                "s3proxy.credential=proxy26-secret",
                "jclouds.provider=transient",
                "jclouds.identity=proxy26-access",
                "jclouds.credential=proxy26-secret", ""));
        start(List.of(java(), "-Xmx256m", "-jar", jar("s3proxy-2.6.0.jar").toString(), "--properties", props.toString()), dir, port);
        return new Endpoint("s3proxy-2.6", URI.create("http://127.0.0.1:" + port), "proxy26-access", "proxy26-secret", true);
    }

    private static Endpoint s3mock() throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("athena-s3mock");
        start(List.of(java(), "-Xmx384m", "-jar", jar("s3mock-5.2.0.jar").toString(), "--server.port=0",
                "--com.adobe.testing.s3mock.httpPort=" + port, "--com.adobe.testing.s3mock.store.root=" + dir.resolve("store"),
                "--spring.main.banner-mode=off"), dir, port);
        return new Endpoint("s3mock-5.2", URI.create("http://127.0.0.1:" + port), "any-access", "any-secret", false);
    }

    private static Endpoint s3rver() throws Exception {
        Path prefix = SERVERS.resolve("node");
        Path bin = prefix.resolve("node_modules/s3rver/bin/s3rver.js");
        if (!Files.exists(bin)) {
            Files.createDirectories(prefix);
            Process npm = new ProcessBuilder("npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund", "s3rver@3.7.1")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("npm-install.log").toFile()).start();
            if (npm.waitFor() != 0 || !Files.exists(bin)) {
                throw new IOException("npm install s3rver@3.7.1 failed; see " + prefix.resolve("npm-install.log"));
            }
        }
        int port = freePort();
        Path dir = Files.createTempDirectory("athena-s3rver");
        // s3rver's continuation tokens use a cipher that Node 17+ only has with the legacy OpenSSL provider.
        start(List.of("node", "--openssl-legacy-provider", bin.toString(), "-d", dir.resolve("data").toString(), "-a", "127.0.0.1", "-p", String.valueOf(port),
                "--silent"), dir, port);
        return new Endpoint("s3rver-3.7", URI.create("http://127.0.0.1:" + port), "S3RVER", "S3RVER", true);
    }

    private static Path jar(String name) throws IOException {
        Path jar = SERVERS.resolve(name);
        if (!Files.exists(jar)) {
            throw new IOException(jar + " is missing: the build copies it there (mvn generate-test-resources)");
        }
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void start(List<String> command, Path dir, int port) throws Exception {
        Path log = dir.resolve("server.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        synchronized (PROCESSES) {
            PROCESSES.add(p);
        }
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!p.isAlive()) {
                    throw new IOException(command.get(command.size() > 2 ? 2 : 0) + " exited with " + p.exitValue() + ": " + Files.readString(log));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new IOException("not listening on port " + port + " after 90 s; see " + log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
