package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.component.GitserverComponent;
import dev.athena.component.VolumeComponent;
import dev.athena.component.configmap.ConfigMapComponent;
import dev.athena.component.configmap.MountedConfig;
import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.PostgresSettings;
import dev.athena.maintenance.VerifyCommand;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ReadOnlyStore;
import dev.athena.testing.FixtureRepository;
import dev.athena.testing.PostgresCluster;
import dev.athena.testing.Trees;

/**
 * A repository written by an earlier Athena (committed under src/test/resources, see
 * {@link FixtureRepository}) still opens, verifies and restores every component exactly: a change
 * of the format that leaves old repositories unreadable fails here.
 */
class FixtureRepositoryTest {
    @TempDir
    Path tmp;

    private static Path fixture() throws Exception {
        return Path.of(FixtureRepositoryTest.class.getClassLoader().getResource(FixtureRepository.RESOURCE + "/expected.json").toURI())
                .getParent();
    }

    /** Owners are left out: a restore run by another user than root cannot give files away. */
    private static Map<String, String> withoutOwners(Map<String, String> tree) {
        Map<String, String> out = new LinkedHashMap<>();
        tree.forEach((k, v) -> out.put(k, v.replaceAll(" uid=\\d+ gid=\\d+", "")));
        return out;
    }

    @Test
    void theCommittedRepositoryVerifiesAndRestoresEveryComponent() throws Exception {
        FixtureRepository.Expected expected = Json.MAPPER.readValue(Files.readAllBytes(fixture().resolve("expected.json")),
                FixtureRepository.Expected.class);
        // Read only, as an old repository in the recovery cluster is: nothing of the fixture may change.
        Repository repo = Repository.open(new ReadOnlyStore(new LocalStore(fixture().resolve("store"))), FixtureRepository.NAMESPACE,
                FixtureRepository.PASSPHRASE, false);
        assertThat(repo.timestamps()).containsExactly(FixtureRepository.TIMESTAMP);
        Manifest m = repo.readManifest(FixtureRepository.TIMESTAMP);
        assertThat(m.platformVersion()).isEqualTo(FixtureRepository.PLATFORM_VERSION);
        Map<String, String> kinds = new LinkedHashMap<>();
        m.components().forEach((name, c) -> kinds.put(name, c.kind()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("metagraph", "volume", "gitserver", "gitserver", "config", "configmap",
                "postgres", "postgres"));

        VerifyCommand.Report report = new VerifyCommand(repo).depth(Verifier.Depth.BLOBS).call();
        assertThat(report.problems()).as(report.toString()).isEmpty();
        assertThat(report.backups()).containsExactly(FixtureRepository.TIMESTAMP);

        Path metagraph = tmp.resolve("metagraph");
        Path gitserver = tmp.resolve("gitserver");
        Path config = Files.createDirectories(tmp.resolve("config"));
        try (PostgresCluster destination = new PostgresCluster("fixture-destination")) {
            PostgresComponent postgres = new PostgresComponent(new PostgresSettings("127.0.0.1", destination.port, "postgres",
                    PostgresCluster.PASSWORD, List.of(), Optional.empty(), tmp.resolve("scratch"), 1));
            new RestoreCommand(repo, FixtureRepository.TIMESTAMP)
                    .volume("metagraph", metagraph)
                    .component(new GitserverComponent(gitserver))
                    .component(new ConfigMapComponent(new MountedConfig(config), Set.of()))
                    .component(postgres)
                    .call();
            assertThat(FixtureRepository.rows(destination)).isEqualTo(expected.database());
        }
        assertThat(withoutOwners(Trees.describeComparable(metagraph))).containsExactlyInAnyOrderEntriesOf(withoutOwners(expected.metagraph()));
        Path bare = gitserver.resolve("team/app.git");
        FixtureRepository.git(bare, "fsck", "--full", "--strict");
        assertThat(FixtureRepository.refs(bare)).isEqualTo(expected.gitRefs());
        for (Map.Entry<String, String> e : expected.config().entrySet()) {
            assertThat(Files.readString(config.resolve(e.getKey()))).isEqualTo(e.getValue());
        }
    }

    /** Writes the fixture anew into src/test/resources (then commit it): only when the format's version changes. */
    @Test
    @EnabledIfEnvironmentVariable(named = "ATHENA_WRITE_FIXTURE", matches = "true")
    void writeTheFixture() throws Exception {
        FixtureRepository.write(Path.of("src/test/resources", FixtureRepository.RESOURCE), tmp);
    }
}
