package dev.athena.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;

/** Real git repositories receiving real pushes while they are backed up. */
import dev.athena.testing.Git;

class GitserverComponentTest {
    @TempDir
    Path tmp;

    /** A bare repository on the server and a working clone that pushes to it. */
    private Path repository(Path server, String name) throws Exception {
        Path bare = server.resolve(name + ".git");
        Files.createDirectories(bare);
        Git.run(bare, "init", "-q", "--bare", "-b", "main");
        Path work = tmp.resolve("work/" + name);
        Files.createDirectories(work);
        Git.run(work, "init", "-q", "-b", "main");
        Git.run(work, "remote", "add", "origin", bare.toString());
        for (int i = 0; i < 5; i++) {
            Files.writeString(work.resolve("file" + i + ".txt"), ("content " + i + "\n").repeat(200));
            Git.run(work, "add", ".");
            Git.run(work, "commit", "-q", "-m", "commit " + i);
        }
        Git.run(work, "tag", "-a", "v1", "-m", "release 1");
        Git.run(work, "push", "-q", "origin", "main", "v1");
        return work;
    }

    @Test
    void pushesDuringTheBackupNeverLeaveARestoredRepositoryBroken() throws Exception {
        Path server = tmp.resolve("gitserver");
        Path[] clones = new Path[4];
        for (int i = 0; i < clones.length; i++) {
            clones[i] = repository(server.resolve(i % 2 == 0 ? "team-a" : "team-b"), "repo" + i);
        }
        Map<String, GitserverComponent.RepositoryRefs> before = new java.util.TreeMap<>();
        for (Path repo : GitserverComponent.findRepositories(server)) {
            before.put(server.relativize(repo).toString(), GitserverComponent.readRefs(repo));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger pushes = new AtomicInteger();
        Thread pusher = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                Path work = clones[n % clones.length];
                try {
                    Files.writeString(work.resolve("live-" + n + ".txt"), ("pushed while backing up " + n + "\n").repeat(1000));
                    Git.run(work, "add", ".");
                    Git.run(work, "commit", "-q", "-m", "live " + n);
                    Git.run(work, "push", "-q", "origin", "main", "HEAD:refs/heads/feature-" + n);
                    pushes.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                n++;
            }
        });
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        pusher.start();
        Manifest m;
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> pushes.get() >= 2);
            m = new BackupCommand(repo).component(new GitserverComponent(server)).timestamp("2023-02-02t16-00-00").call();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> pushes.get() >= 6);
        } finally {
            stop.set(true);
            pusher.join();
        }
        assertThat(m.components().get("gitserver").stats().get("repositories")).isEqualTo(4);

        Path restored = tmp.resolve("restored");
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(new GitserverComponent(restored)).call();

        assertThat(GitserverComponent.fsck(restored)).isEmpty();
        for (Map.Entry<String, GitserverComponent.RepositoryRefs> e : before.entrySet()) {
            Path r = restored.resolve(e.getKey());
            GitserverComponent.RepositoryRefs now = GitserverComponent.readRefs(r);
            assertThat(now.refs().keySet()).as(e.getKey()).containsAll(e.getValue().refs().keySet());
            for (String ref : now.refs().keySet()) {
                assertThat(Git.run(r, "rev-parse", "--verify", "-q", ref + "^{commit}")).as(ref).hasSize(40);
            }
            assertThat(Git.run(r, "log", "--oneline", "main")).contains("commit 4");
        }
    }
}
