package dev.athena.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.athena.component.ExternalCommand;
import dev.athena.config.PlatformComponents;
import dev.athena.config.AthenaConfig;
import dev.athena.service.AthenaService;
import dev.athena.service.BackupRecord;
import dev.athena.service.RecoveryReport;
import dev.athena.service.RestoreRecord;
import dev.athena.service.RestoreRequest;
import dev.athena.service.JobStatus;

/**
 * The whole job on a sample platform: a "prod" platform at version 1.1.0 (metagraph, gitserver,
 * ConfigMap, and PostgreSQL when its server is installed) is backed up, restored into a "dr"
 * platform at version 1.0.0 (upgraded first), checked, and its disaster-recovery report written.
 */
public final class Demo {
    private final Path dir;
    private final PrintStream out;

    public Demo(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    public Path run() throws Exception {
        Files.createDirectories(dir);
        out.println("Athena demo in " + dir);
        Optional<Path> pgBin = DemoPostgres.findBin();
        List<DemoPostgres> clusters = new ArrayList<>();
        try {
            Map<String, String> prodEnv = platform("prod", "1.1.0");
            Map<String, String> drEnv = platform("dr", "1.0.0");
            drEnv.put("UPGRADE_COMMAND", "echo upgrading the platform to {version}");
            drEnv.put("CONFIG_PRESERVE_KEYS", "PUBLIC_HOSTNAME");
            if (pgBin.isPresent()) {
                try {
                    DemoPostgres prodDb = DemoPostgres.start(pgBin.get(), dir.resolve("prod/postgres"), dir);
                    clusters.add(prodDb);
                    DemoPostgres drDb = DemoPostgres.start(pgBin.get(), dir.resolve("dr/postgres"), dir);
                    clusters.add(drDb);
                    prodDb.psql("postgres", "CREATE DATABASE platform");
                    prodDb.psql("platform", "CREATE TABLE projects AS SELECT g AS id, 'project ' || g AS name FROM generate_series(1, 1000) g");
                    database(prodEnv, prodDb);
                    database(drEnv, drDb);
                    out.println("  PostgreSQL: two clusters started from " + pgBin.get());
                } catch (Exception e) {
                    out.println("  PostgreSQL: not part of the demo (" + e.getMessage() + ")");
                }
            } else {
                out.println("  PostgreSQL: not part of the demo (no PostgreSQL server installed under /usr/lib/postgresql)");
            }
            samplePlatform(dir.resolve("prod"));
            Files.writeString(dir.resolve("dr/config/PUBLIC_HOSTNAME"), "dr.example.com");

            String backup;
            try (AthenaService prod = service(prodEnv)) {
                backup = prod.startBackup(false);
                BackupRecord b = await(() -> prod.records().find(backup).filter(r -> r.status().finished()).orElse(null));
                out.println("1. backup " + backup + " of namespace prod: " + b.status() + " (" + b.components() + ", " + b.bytes()
                        + " bytes, " + b.newBytes() + " stored)" + (b.error() == null ? "" : ": " + b.error()));
                if (b.status() != JobStatus.Success) {
                    throw new IllegalStateException("the demo backup failed: " + b.error());
                }
            }
            try (AthenaService dr = service(drEnv)) {
                dr.startRestore(new RestoreRequest(backup, "prod", true, false, false, false, false, java.util.Set.of(), false, false));
                RestoreRecord r = await(() -> dr.records().latestRestore(backup).filter(x -> x.status().finished()).orElse(null));
                out.println("2. restore into namespace dr: " + r.status() + (r.error() == null ? "" : ": " + r.error()));
                r.phases().forEach(p -> out.println("     " + p.name() + ": " + p.status() + " in " + p.durationMs() + " ms"
                        + (p.detail() == null ? "" : " (" + p.detail() + ")")));
                long passed = r.checks().stream().filter(RestoreRecord.Check::passed).count();
                out.println("3. checks: " + passed + " of " + r.checks().size() + " passed; RTO " + r.rtoSeconds() + " s, RPO " + r.rpoSeconds() + " s");
                RecoveryReport report = new RecoveryReport(r);
                Path html = dir.resolve("disaster-recovery-report.html");
                Files.writeString(html, report.html());
                Files.write(dir.resolve("disaster-recovery-report.json"), dev.athena.api.ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(report.json()));
                out.println("4. report: " + html);
                return html;
            }
        } finally {
            clusters.forEach(DemoPostgres::close);
        }
    }

    private Map<String, String> platform(String namespace, String version) throws Exception {
        Path root = dir.resolve(namespace);
        Map<String, String> env = new HashMap<>();
        env.put("ATHENA_NAMESPACE", namespace);
        env.put("LOCAL_BACKUP_LOCATION", dir.resolve("backups").toString());
        env.put("PLATFORM_VERSION", version);
        env.put("METAGRAPH_VOLUME_PATH", Files.createDirectories(root.resolve("metagraph")).toString());
        env.put("GITSERVER_VOLUME_PATH", Files.createDirectories(root.resolve("gitserver")).toString());
        env.put("CONFIGMAP_PATH", Files.createDirectories(root.resolve("config")).toString());
        env.put("ATHENA_SCRATCH_DIR", root.resolve("scratch").toString());
        env.put("ATHENA_API_KEYS", "demo");
        return env;
    }

    private static void database(Map<String, String> env, DemoPostgres db) {
        env.put("POSTGRES_HOST", "127.0.0.1");
        env.put("POSTGRES_PORT", Integer.toString(db.port));
        env.put("POSTGRES_PASSWORD", DemoPostgres.PASSWORD);
    }

    private static void samplePlatform(Path root) throws Exception {
        Path meta = root.resolve("metagraph");
        for (int i = 0; i < 50; i++) {
            Files.writeString(Files.createDirectories(meta.resolve("graphs/g" + i % 5)).resolve("node-" + i + ".json"),
                    "{\"id\": " + i + ", \"edges\": [" + (i + 1) + ", " + (i + 2) + "]}\n");
        }
        Files.createSymbolicLink(meta.resolve("current"), Path.of("graphs/g0"));
        Path config = root.resolve("config");
        Files.writeString(config.resolve("PUBLIC_HOSTNAME"), "prod.example.com");
        Files.writeString(config.resolve("FEATURE_FLAGS"), "lineage,search");
        Path bare = root.resolve("gitserver/demo/pipelines.git");
        try {
            Files.createDirectories(bare);
            ExternalCommand.of("git", "init", "-q", "--bare", bare.toString()).check();
            Path work = root.resolve("work");
            ExternalCommand.of("git", "clone", "-q", bare.toString(), work.toString()).check();
            Files.writeString(work.resolve("pipeline.py"), "print('hello from the demo')\n");
            ExternalCommand.of("git", "-C", work.toString(), "add", ".").check();
            new ExternalCommand(List.of("git", "-C", work.toString(), "-c", "user.name=demo", "-c", "user.email=demo@example.com",
                    "commit", "-q", "-m", "first pipeline"), Map.of()).check();
            ExternalCommand.of("git", "-C", work.toString(), "push", "-q", "origin", "HEAD").check();
        } catch (Exception e) {
            Files.writeString(root.resolve("gitserver/README"), "git is not installed: no repository in the demo\n");
        }
    }

    private static AthenaService service(Map<String, String> env) {
        AthenaConfig config = AthenaConfig.fromEnv(env);
        return new AthenaService(config, config.storage().open(), Clock.systemUTC(), PlatformComponents.of(config));
    }

    private interface Poll<T> {
        T get() throws Exception;
    }

    private static <T> T await(Poll<T> poll) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            T value = poll.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the demo job did not finish within 10 minutes");
    }
}
