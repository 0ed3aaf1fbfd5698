package dev.athena.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.athena.backup.BackupCommand;
import dev.athena.component.ExternalCommand;
import dev.athena.component.GitserverComponent;
import dev.athena.component.VolumeComponent;
import dev.athena.component.configmap.ConfigMapComponent;
import dev.athena.component.configmap.MountedConfig;
import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.PostgresSettings;
import dev.athena.repository.Json;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.volume.FileNames;

/**
 * The repository committed under {@code src/test/resources/fixtures/repository-v1}: made once, by
 * {@code FixtureRepositoryTest.writeTheFixture} (run with ATHENA_WRITE_FIXTURE=true), and read by
 * every build since, so that a change of the format that leaves old repositories unreadable fails.
 * Beside the store it writes {@code expected.json}: what a restore of each component must give.
 */
public final class FixtureRepository {
    public static final String RESOURCE = "fixtures/repository-v1";
    public static final String PASSPHRASE = "fixture-passphrase";
    public static final String NAMESPACE = "app";
    public static final String TIMESTAMP = "2024-01-01t00-00-00";
    public static final String PLATFORM_VERSION = "3.4.1";

    /** What the fixture's components held, as the restore must give them back. */
    public record Expected(Map<String, String> metagraph, Map<String, String> gitRefs, Map<String, String> config,
                           Map<String, String> database) {
    }

    private FixtureRepository() {
    }

    public static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        return new ExternalCommand(cmd, Map.of("GIT_AUTHOR_NAME", "fixture", "GIT_AUTHOR_EMAIL", "fixture@athena.dev",
                "GIT_COMMITTER_NAME", "fixture", "GIT_COMMITTER_EMAIL", "fixture@athena.dev",
                "GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")).check().stdout().strip();
    }

    /** Every ref of a repository and its object id, and HEAD's content. */
    public static Map<String, String> refs(Path repository) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String line : git(repository, "for-each-ref", "--format=%(refname) %(objectname)").split("\n")) {
            if (!line.isBlank()) {
                String[] p = line.split(" ");
                out.put(p[0], p[1]);
            }
        }
        out.put("HEAD", Files.readString(repository.resolve("HEAD")).strip());
        return out;
    }

    /** The rows of the fixture's tables, each table's rows as one string in order. */
    public static Map<String, String> rows(PostgresCluster cluster) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var c = cluster.connect("shop"); var st = c.createStatement()) {
            for (String table : List.of("items", "orders")) {
                try (var rs = st.executeQuery("SELECT string_agg(t::text, '|' ORDER BY t::text) FROM " + table + " t")) {
                    rs.next();
                    out.put(table, rs.getString(1));
                }
            }
        }
        return out;
    }

    /** A small folder of every kind of entry the tree format holds, with fixed times and modes. */
    static Path volume(Path root) throws IOException {
        Files.createDirectories(root.resolve("graphs/2024"));
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("README"), "metagraph fixture\n");
        Files.createFile(root.resolve("empty-file"));
        StringBuilder text = new StringBuilder();
        Random random = new Random(2024);
        while (text.length() < 700_000) {
            text.append("node ").append(random.nextInt(100_000)).append(" -> ").append(random.nextInt(100_000)).append('\n');
        }
        // Over the chunker's minimum, so it is cut into several chunks.
        Files.writeString(root.resolve("graphs/2024/edges.txt"), text);
        Files.createLink(root.resolve("graphs/edges-link"), root.resolve("graphs/2024/edges.txt"));
        Files.createSymbolicLink(root.resolve("current"), Path.of("graphs/2024"));
        Path raw = FileNames.resolve(root, new byte[] {'l', 'a', 't', 'i', 'n', '1', '-', (byte) 0xe9});
        Files.writeString(raw, "a name that is not UTF-8\n");
        Files.writeString(root.resolve("run.sh"), "#!/bin/sh\necho graph\n");
        Files.setAttribute(root.resolve("run.sh"), "unix:mode", 0755);
        Files.setAttribute(root.resolve("README"), "unix:mode", 0640);
        long t = 1_704_067_200_123_456_789L;
        for (Path p : List.of(root.resolve("README"), root.resolve("empty-file"), root.resolve("graphs/2024/edges.txt"), raw,
                root.resolve("run.sh"), root.resolve("graphs/2024"), root.resolve("graphs"), root.resolve("empty"), root)) {
            Files.setLastModifiedTime(p, FileTime.from(t++, TimeUnit.NANOSECONDS));
        }
        return root;
    }

    /** Makes the fixture in {@code out} (emptied first): {@code out/store} and {@code out/expected.json}. */
    public static void write(Path out, Path work) throws Exception {
        if (Files.exists(out)) {
            try (var walk = Files.walk(out)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path metagraph = volume(work.resolve("metagraph"));
        Path server = Files.createDirectories(work.resolve("gitserver"));
        Path bare = server.resolve("team/app.git");
        Files.createDirectories(bare);
        git(bare, "init", "-q", "--bare", "-b", "main");
        Path clone = Files.createDirectories(work.resolve("clone"));
        git(clone, "init", "-q", "-b", "main");
        Files.writeString(clone.resolve("app.py"), "print('hello')\n");
        git(clone, "add", ".");
        git(clone, "commit", "-q", "-m", "first");
        Files.writeString(clone.resolve("app.py"), "print('hello, athena')\n");
        git(clone, "commit", "-q", "-am", "second");
        git(clone, "tag", "-a", "v1", "-m", "release 1");
        git(clone, "push", "-q", bare.toString(), "main", "v1");
        Path config = Files.createDirectories(work.resolve("config"));
        Files.writeString(config.resolve("APP_HOST"), "app.example.com");
        Files.writeString(config.resolve("DB_URL"), "postgres://db:5432/shop");
        try (PostgresCluster db = new PostgresCluster("fixture-source")) {
            db.sql("postgres", "CREATE DATABASE shop");
            db.sql("shop", "CREATE TABLE items (id int PRIMARY KEY, name text)",
                    "INSERT INTO items VALUES (1, 'anvil'), (2, 'bellows'), (3, 'crème brûlée')",
                    "CREATE TABLE orders (id int, item int REFERENCES items, qty int)",
                    "INSERT INTO orders SELECT g, 1 + g % 3, g * 2 FROM generate_series(1, 200) g");
            Repository repo = Repository.open(new LocalStore(out.resolve("store")), NAMESPACE, PASSPHRASE, true);
            // Streamed tables (threshold 0) and pg_dump's archive both appear in the fixture.
            PostgresComponent postgres = new PostgresComponent(new PostgresSettings("127.0.0.1", db.port, "postgres", PostgresCluster.PASSWORD,
                    List.of("shop"), Optional.empty(), work.resolve("scratch"), 1, 0));
            new BackupCommand(repo).timestamp(TIMESTAMP).platformVersion(PLATFORM_VERSION)
                    .component(new VolumeComponent("metagraph", metagraph))
                    .component(new GitserverComponent(server))
                    .component(new ConfigMapComponent(new MountedConfig(config), Set.of()))
                    .component(postgres)
                    .call();
            repo.close();
            Map<String, String> configValues = new LinkedHashMap<>();
            configValues.put("APP_HOST", "app.example.com");
            configValues.put("DB_URL", "postgres://db:5432/shop");
            Expected expected = new Expected(Trees.describeComparable(metagraph), refs(bare), configValues, rows(db));
            Files.write(out.resolve("expected.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(expected)
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
