package dev.athena.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.athena.api.ApiKeys;
import dev.athena.api.ApiServer;
import dev.athena.config.AthenaConfig;
import dev.athena.config.CommandSettings;
import dev.athena.config.PlatformComponents;
import dev.athena.service.AthenaService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks that this installation works end to end, touching nothing but a folder of its own: a
 * generated volume is backed up, verified and restored by the CLI's commands and then by a
 * service on a free port through its API, and every restored copy is compared with the original.
 * It never reads the environment's backup location or components. The launcher also runs it to
 * record which classes a JVM running Athena loads (bin/athena class-archive).
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Check this installation: back up, verify and restore a generated volume with the CLI and through a service on a free port,"
                + " in a temporary folder; never touches the configured backup location.")
final class SelftestCli implements Callable<Integer> {
    private static final String KEY_HEADER = "Authorization";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--dir", description = "A new or empty folder to work in, left in place afterwards; default: a new temporary folder, removed afterwards.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new SelftestFailure("--dir " + dir + " is not empty: give a new or empty folder (a selftest never works among other files)");
                }
            }
        }
        Path work = dir != null ? Files.createDirectories(dir.toAbsolutePath()) : Files.createTempDirectory("athena-selftest-");
        try {
            run(work);
            System.out.println("selftest passed");
            return 0;
        } finally {
            if (dir == null) {
                deleteTree(work);
            }
        }
    }

    private void run(Path work) throws Exception {
        Path volume = work.resolve("volume");
        long bytes = generate(volume);
        String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(24));
        Map<String, String> env = new HashMap<>();
        env.put("ATHENA_ENCRYPTION_KEY", key);
        env.put("ATHENA_STATE_DIR", work.resolve("state").toString());
        env.put("ATHENA_SCRATCH_DIR", work.resolve("scratch").toString());
        String location = work.resolve("backups").toString();

        step("CLI backup of " + bytes + " bytes", env, "backup", "--location", location, "--volume", "metagraph=" + volume,
                "--timestamp", "2026-01-01t00-00-00");
        step("CLI verify", env, "verify", "--location", location);
        Path restored = work.resolve("restored-cli");
        step("CLI restore", env, "restore", "--location", location, "--timestamp", "2026-01-01t00-00-00", "--volume", "metagraph=" + restored);
        compare(volume, restored, "the CLI's restore");
        System.out.println("ok   the CLI's restore is identical to the volume");

        Map<String, String> serviceEnv = new HashMap<>(env);
        serviceEnv.put("LOCAL_BACKUP_LOCATION", location);
        serviceEnv.put("METAGRAPH_VOLUME_PATH", volume.toString());
        serviceEnv.put("ATHENA_NAMESPACE", "selftest");
        String apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(24));
        serviceEnv.put("ATHENA_API_KEYS", apiKey);
        serviceEnv.put("ATHENA_PORT", "0");
        throughTheService(serviceEnv, apiKey, volume, restored);
    }

    private static void step(String what, Map<String, String> env, String... args) {
        StringWriter errors = new StringWriter();
        int code = Main.run(env, new PrintWriter(errors, true), args);
        if (code != 0) {
            throw new SelftestFailure(what + " failed (exit code " + code + "): " + errors.toString().strip());
        }
        System.out.println("ok   " + what);
    }

    /** {@code asBackedUp}: the CLI's restore, already found identical to the volume as it was backed up. */
    private static void throughTheService(Map<String, String> env, String apiKey, Path volume, Path asBackedUp) throws Exception {
        AthenaConfig config = CommandSettings.fromEnv(env).service();
        AthenaService service = new AthenaService(config, config.storage().open(), Clock.systemUTC(), PlatformComponents.of(config));
        service.start();
        ApiServer api = new ApiServer(service, ApiKeys.of(config.apiKeys())).start(0);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://localhost:" + api.port();
            call(http, "GET", base + "/healthz", null, null, 200);
            JsonNode accepted = call(http, "POST", base + "/athena/api/v1/ondemandbackup", "{}", apiKey, 202);
            String message = accepted.get("message").asText();
            String ts = message.substring(message.lastIndexOf(' ') + 1);
            awaitSuccess(http, base + "/athena/api/v1/backupstatus?timestamp=" + ts, apiKey, "the service's backup " + ts);
            System.out.println("ok   the service's backup " + ts);
            // The restore replaces the volume's contents; a changed file must come back as it was backed up.
            Files.writeString(volume.resolve("folder-0/file-0"), "changed after the backup");
            call(http, "POST", base + "/athena/api/v1/ondemandrestore",
                    "{\"timestamp\": \"" + ts + "\", \"disableUpgrade\": true, \"disablePostRestoreChecks\": true}", apiKey, 202);
            awaitSuccess(http, base + "/athena/api/v1/restorestatus?timestamp=" + ts, apiKey, "the service's restore of " + ts);
            compare(asBackedUp, volume, "the service's restore");
            System.out.println("ok   the service's restore is identical to the backed-up volume");
        } finally {
            api.close();
            service.stop(Duration.ofSeconds(30));
        }
    }

    private static JsonNode call(HttpClient http, String method, String url, String body, String apiKey, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header(KEY_HEADER, apiKey);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new SelftestFailure(method + " " + URI.create(url).getPath() + " answered " + r.statusCode() + " instead of " + expected + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static void awaitSuccess(HttpClient http, String url, String apiKey, String what) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = call(http, "GET", url, null, apiKey, 200);
            String s = status.path("status").asText();
            if (s.equals("Success")) {
                return;
            }
            if (!s.equals("Running")) {
                throw new SelftestFailure(what + " ended " + s + ": " + status.path("error").asText(status.toString()));
            }
            Thread.sleep(50);
        }
        throw new SelftestFailure(what + " did not end within 5 minutes");
    }

    /** Small files in folders, a larger one that spans several chunks, an empty one and a symbolic link. */
    private static long generate(Path volume) throws IOException {
        Random random = new Random(42);
        long bytes = 0;
        for (int f = 0; f < 20; f++) {
            Path folder = Files.createDirectories(volume.resolve("folder-" + f));
            for (int i = 0; i < 50; i++) {
                byte[] content = new byte[100 + random.nextInt(4000)];
                random.nextBytes(content);
                Files.write(folder.resolve("file-" + i), content);
                bytes += content.length;
            }
        }
        byte[] large = new byte[6 * 1024 * 1024];
        random.nextBytes(large);
        Files.write(volume.resolve("large.bin"), large);
        Files.write(volume.resolve("empty"), new byte[0]);
        Files.createSymbolicLink(volume.resolve("link"), Path.of("folder-0/file-0"));
        return bytes + large.length;
    }

    private static void compare(Path expected, Path actual, String what) throws IOException {
        try (Stream<Path> walk = Files.walk(expected)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path other = actual.resolve(expected.relativize(p).toString());
                boolean same;
                if (Files.isSymbolicLink(p)) {
                    same = Files.isSymbolicLink(other) && Files.readSymbolicLink(p).equals(Files.readSymbolicLink(other));
                } else if (Files.isDirectory(p)) {
                    same = Files.isDirectory(other, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                } else {
                    same = Files.isRegularFile(other, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.mismatch(p, other) == -1;
                }
                if (!same) {
                    throw new SelftestFailure(what + " differs from the original at " + expected.relativize(p));
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A step that did not do what it should: one line, through the usual error handler. */
    static final class SelftestFailure extends RuntimeException {
        SelftestFailure(String message) {
            super("selftest: " + message);
        }
    }
}
