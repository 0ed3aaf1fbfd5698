package dev.athena.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What `athena serve` reads at start: the seed's defaults, and one clear error naming each bad variable. */
class AthenaConfigTest {
    @TempDir
    static Path tmp;

    @Test
    void theSeedsDefaults() {
        AthenaConfig c = AthenaConfig.fromEnv(Map.of());
        assertThat(c.regularBackups()).isFalse();
        assertThat(c.frequency().toString()).contains("0 0 */2 * * *");
        assertThat(c.retentionDays()).isEqualTo(90);
        assertThat(c.storage().type()).isEqualTo("local");
        assertThat(c.storage().localRoot()).isEqualTo(Path.of("/backup"));
        assertThat(c.namespace()).isEqualTo("app");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.postgres()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "BACKUP_FREQUENCY|every two hours",
            "BACKUP_RETENTION_PERIOD|-1",
            "BACKUP_RETENTION_PERIOD|ninety",
            "ENABLE_REGULAR_BACKUPS|maybe",
            "ATHENA_PORT|70000",
            "ATHENA_NAMESPACE|../other",
            "BACKUP_LOCATION_TYPE|ftp",
            "LOCAL_BACKUP_LOCATION|relative/path",
            "ATHENA_SHUTDOWN_GRACE_SECONDS|-5",
            "ATHENA_COMPRESSION_LEVEL|30",
            "ATHENA_TRANSFER_THREADS|lots",
            "ATHENA_COMPONENT_THREADS|0",
            "POSTGRES_PORT|postgres",
            "POSTGRES_JOBS|0",
            "POSTGRES_STREAM_TABLE_MB|-1",
            "METAGRAPH_VOLUME_PATH|/no/such/folder",
            "ATHENA_LEADER_ELECTION|sometimes",
            "ATHENA_LEASE_SECONDS|1",
            "ATHENA_ADVERTISE_URL|10.0.0.7:8080",
            "RTO_TARGET|soon",
            "RPO_TARGET|0m",
            "RPO_TARGET|-4h",
    })
    void aBadValueIsOneErrorNamingItsVariable(String variable, String value) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("POSTGRES_HOST", "db.example.com"));
        env.put(variable, value);
        assertThatThrownBy(() -> AthenaConfig.fromEnv(env)).isInstanceOf(ConfigException.class).hasMessageContaining(variable);
    }

    @Test
    void recoveryTargetsReadAsAPersonWritesThem() {
        Map<String, String> env = new HashMap<>(Map.of("RTO_TARGET", "15m", "RPO_TARGET", "4h"));
        AthenaConfig config = AthenaConfig.fromEnv(env);
        assertThat(config.recovery().rtoTarget()).contains(java.time.Duration.ofMinutes(15));
        assertThat(config.recovery().rpoTarget()).contains(java.time.Duration.ofHours(4));
        assertThat(AthenaConfig.target(Map.of("X", "90"), "X")).contains(java.time.Duration.ofSeconds(90));
        assertThat(AthenaConfig.target(Map.of("X", "1d"), "X")).contains(java.time.Duration.ofDays(1));
        assertThat(AthenaConfig.fromEnv(Map.of()).recovery().rtoTarget()).isEmpty();
    }

    @Test
    void aSecondLocationIsCheckedLikeTheFirst() {
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("COPY_FREQUENCY", "0 0 3 * * *")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("COPY_FREQUENCY is set but COPY_TO is not");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("COPY_TO", "second")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("COPY_TO must be an absolute folder or s3://BUCKET");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("COPY_TO", "/backup")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is the backup location itself");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("COPY_TO", "s3://Bad_Bucket")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("COPY_TO 's3://Bad_Bucket'", "not a valid bucket name");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("COPY_TO", "/second", "COPY_FREQUENCY", "daily")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("COPY_FREQUENCY 'daily' is not a valid cron expression");

        AthenaConfig c = AthenaConfig.fromEnv(Map.of("COPY_TO", "s3://offsite-copies", "AWS_S3_REGION", "eu-west-1",
                "BACKUP_RETENTION_PERIOD", "30", "ATHENA_ENCRYPTION_KEY", "first-key-0123456789", "ATHENA_COPY_ENCRYPTION_KEY", "second-key-0123456789"));
        assertThat(c.copy()).hasValueSatisfying(copy -> {
            assertThat(copy.storage().remote()).isTrue();
            assertThat(copy.storage().s3().bucket()).isEqualTo("offsite-copies");
            assertThat(copy.retentionDays()).as("the first location's by default").isEqualTo(30);
            assertThat(copy.encryptionKey()).isEqualTo("second-key-0123456789");
            assertThat(copy.when()).isEqualTo("after each backup");
            assertThat(copy.toString()).doesNotContain("second-key");
        });
        assertThat(c.toString()).contains("copyTo=").doesNotContain("second-key");
        assertThat(AthenaConfig.fromEnv(Map.of("COPY_TO", "/second", "ATHENA_ENCRYPTION_KEY", "first-key-0123456789")).copy().get().encryptionKey())
                .as("the same key when the copy has none of its own").isEqualTo("first-key-0123456789");
        assertThat(AthenaConfig.fromEnv(Map.of()).copy()).isEmpty();
    }

    @Test
    void leaderElectionNeedsKeysSharedByEveryReplica() {
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("ATHENA_LEADER_ELECTION", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ATHENA_API_KEYS is not set", "same keys on every replica");
        AthenaConfig ha = AthenaConfig.fromEnv(Map.of("ATHENA_LEADER_ELECTION", "true", "ATHENA_API_KEYS", "k-0123456789abcdef",
                "ATHENA_ADVERTISE_URL", "http://10.0.0.7:8080"));
        org.assertj.core.api.Assertions.assertThat(ha.ha().enabled()).isTrue();
        org.assertj.core.api.Assertions.assertThat(ha.ha().lease()).hasSeconds(30);
        org.assertj.core.api.Assertions.assertThat(ha.ha().advertiseUrl()).contains(java.net.URI.create("http://10.0.0.7:8080"));
        org.assertj.core.api.Assertions.assertThat(AthenaConfig.fromEnv(Map.of()).ha().enabled()).isFalse();
    }

    @Test
    void aFullConfigurationIsAccepted() throws Exception {
        Path metagraph = Files.createDirectories(tmp.resolve("metagraph"));
        AthenaConfig c = AthenaConfig.fromEnv(Map.of("ENABLE_REGULAR_BACKUPS", "true", "BACKUP_FREQUENCY", "0 30 1 * * *",
                "BACKUP_RETENTION_PERIOD", "0", "POSTGRES_HOST", "db", "POSTGRES_JOBS", "4", "POSTGRES_STREAM_TABLE_MB", "0",
                "ATHENA_TRANSFER_THREADS", "0", "ATHENA_COMPRESSION_LEVEL", "-3", "METAGRAPH_VOLUME_PATH", metagraph.toString(),
                "ATHENA_SCRATCH_DIR", tmp.resolve("scratch").toString()));
        assertThat(c.regularBackups()).isTrue();
        assertThat(c.retentionDays()).isZero();
        assertThat(c.postgres()).hasValueSatisfying(p -> {
            assertThat(p.jobs()).isEqualTo(4);
            assertThat(p.streamTableBytes()).isZero();
        });
        assertThat(c.scratchDir()).isEqualTo(tmp.resolve("scratch"));
        assertThat(c.metagraphPath()).contains(metagraph);
    }

    @Test
    void rdsDrillsAreAskedForOnPurposeAndTheirSettingsChecked() {
        Map<String, String> rds = Map.of("AWS_RDS_IDENTIFIER", "platform-db", "AWS_RDS_REGION", "eu-west-1");
        assertThat(AthenaConfig.fromEnv(rds).drills().rds()).as("off unless DRILL_RDS=true: an instance costs money").isEmpty();
        assertThatThrownBy(() -> AthenaConfig.fromEnv(with(rds, "DRILL_RDS_INSTANCE_CLASS", "db.t4g.micro")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DRILL_RDS_INSTANCE_CLASS is set but DRILL_RDS is not true");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("DRILL_RDS", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("DRILL_RDS=true needs AWS_RDS_IDENTIFIER");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(with(with(rds, "DRILL_RDS", "true"), "DRILL_RDS_INSTANCE_CLASS", "t4g.micro")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not an RDS instance class", "db.t4g.micro");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(with(with(rds, "DRILL_RDS", "true"), "DRILL_RDS_SECURITY_GROUPS", "default")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'default' is not a VPC security group id");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(with(rds, "DRILL_RDS", "yes please"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("DRILL_RDS");
        var drills = AthenaConfig.fromEnv(with(with(with(rds, "DRILL_RDS", "true"), "DRILL_RDS_SECURITY_GROUPS", "sg-0123456789abcdef0, sg-89abcdef"),
                "DRILL_RDS_SUBNET_GROUP", "drills")).drills();
        assertThat(drills.rds().get().securityGroups()).containsExactly("sg-0123456789abcdef0", "sg-89abcdef");
        assertThat(drills.rds().get().subnetGroup()).contains("drills");
        assertThat(drills.rds().get().instanceClass()).isEmpty();
        assertThat(drills.toString()).contains("RDS into drill instances");
    }

    @Test
    void physicalBackupsAndWalArchivingAreCheckedTogether() {
        Map<String, String> pg = Map.of("POSTGRES_HOST", "db");
        assertThat(AthenaConfig.fromEnv(pg).physical().backupMode()).isEqualTo("logical");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(with(pg, "POSTGRES_BACKUP_MODE", "physicl"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be one of logical, physical, both");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(with(pg, "POSTGRES_WAL_ARCHIVE", "true"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("POSTGRES_BACKUP_MODE=physical or both");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(Map.of("POSTGRES_BACKUP_MODE", "both"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs POSTGRES_HOST");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(with(pg, "POSTGRES_DATA_DIR", "/var/lib/postgresql/data"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("go together");
        AthenaConfig.PhysicalPostgres p = AthenaConfig.fromEnv(with(with(with(pg, "POSTGRES_BACKUP_MODE", "both"), "POSTGRES_WAL_ARCHIVE", "true"),
                "WAL_UPLOAD_INTERVAL_SECONDS", "3")).physical();
        assertThat(p.logical()).isTrue();
        assertThat(p.physical()).isTrue();
        assertThat(p.uploadInterval()).hasSeconds(3);
        assertThat(p.baseBackupMaxAge()).isZero();
        assertThatThrownBy(() -> AthenaConfig.fromEnv(with(with(pg, "POSTGRES_BACKUP_MODE", "physical"), "POSTGRES_BASE_BACKUP_MAX_AGE_HOURS", "24")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs POSTGRES_WAL_ARCHIVE=true");
        assertThat(AthenaConfig.fromEnv(with(with(with(pg, "POSTGRES_BACKUP_MODE", "physical"), "POSTGRES_WAL_ARCHIVE", "true"),
                "POSTGRES_BASE_BACKUP_MAX_AGE_HOURS", "24")).physical().baseBackupMaxAge()).hasHours(24);
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> out = new HashMap<>(env);
        out.put(name, value);
        return out;
    }
}
