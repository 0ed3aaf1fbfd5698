package dev.athena.component.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.component.ExternalCommand;
import dev.athena.config.AthenaConfig;
import dev.athena.config.ConfigException;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.testing.PostgresCluster;

/**
 * A server that refuses unencrypted connections, as managed databases do: with POSTGRES_SSLMODE
 * and POSTGRES_SSLROOTCERT the JDBC sessions, pg_dump, pg_dumpall and pg_restore all connect over
 * TLS and check the server's certificate; without, the error names the mode.
 */
class PostgresTlsTest {
    @TempDir
    static Path certs;
    @TempDir
    Path tmp;
    static PostgresCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        issue("ca", null);
        issue("server", "ca");
        issue("other-ca", null);
        cluster = new PostgresCluster("tls");
        cluster.requireTls(certs.resolve("server.crt"), certs.resolve("server.key"));
        cluster.sql("postgres", "CREATE DATABASE app");
        cluster.sql("app", "CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    /** A self-signed CA when {@code issuer} is null, else a certificate for 127.0.0.1 signed by it. */
    private static void issue(String name, String issuer) throws Exception {
        String key = certs.resolve(name + ".key").toString();
        String crt = certs.resolve(name + ".crt").toString();
        if (issuer == null) {
            ExternalCommand.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", crt, "-days", "2", "-subj", "/CN=Athena test " + name).check();
            return;
        }
        Path ext = Files.writeString(certs.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        String csr = certs.resolve(name + ".csr").toString();
        ExternalCommand.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1").check();
        ExternalCommand.of("openssl", "x509", "-req", "-in", csr, "-CA", certs.resolve(issuer + ".crt").toString(),
                "-CAkey", certs.resolve(issuer + ".key").toString(), "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext.toString()).check();
    }

    private PostgresComponent component(String mode, String ca) {
        PostgresSettings settings = AthenaConfig.fromEnv(Map.of("POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", Integer.toString(cluster.port),
                "POSTGRES_PASSWORD", PostgresCluster.PASSWORD, "POSTGRES_DATABASES", "app", "POSTGRES_BIN_DIR", PostgresCluster.BIN.toString(),
                "POSTGRES_SSLMODE", mode, "POSTGRES_SSLROOTCERT", certs.resolve(ca + ".crt").toString(),
                "ATHENA_SCRATCH_DIR", tmp.resolve("scratch").toString())).postgres().orElseThrow();
        return new PostgresComponent(settings);
    }

    @Test
    void aBackupAndRestoreOverVerifiedTlsRoundTrip() throws Exception {
        String before = cluster.dump("app");
        Repository repo = Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, true);
        new BackupCommand(repo).component(component("verify-full", "ca")).timestamp("2023-02-02t16-00-00").call();
        cluster.sql("app", "DELETE FROM t WHERE id > 10");
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(component("verify-full", "ca")).call();
        assertThat(cluster.dump("app")).isEqualTo(before);
    }

    @Test
    void withoutEncryptionTheServerRefusesAndTheErrorNamesTheMode() {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, true);
        assertThatThrownBy(() -> new BackupCommand(repo).component(component("disable", "ca")).timestamp("2023-02-02t16-00-00").call())
                .hasMessageContaining("sslmode disable").hasMessageContaining("no encryption");
        assertThat(repo.timestamps()).isEmpty();
    }

    @Test
    void aServerCertificateFromAnotherAuthorityIsRefused() {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, true);
        assertThatThrownBy(() -> new BackupCommand(repo).component(component("verify-full", "other-ca")).timestamp("2023-02-02t16-00-00").call())
                .hasMessageContaining("sslmode verify-full").hasMessageContaining("not signed by the CA in POSTGRES_SSLROOTCERT");
        assertThat(repo.timestamps()).isEmpty();
    }

    @Test
    void aBadModeOrAMissingCertificateStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("POSTGRES_HOST", "db", "POSTGRES_SSLMODE", "on")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("POSTGRES_SSLMODE").hasMessageContaining("verify-full");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("POSTGRES_HOST", "db", "POSTGRES_SSLROOTCERT", "/no/such/ca.crt")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("POSTGRES_SSLROOTCERT");
        assertThat(AthenaConfig.fromEnv(Map.of("POSTGRES_HOST", "db")).postgres().orElseThrow().sslMode()).isEqualTo("prefer");
    }
}
