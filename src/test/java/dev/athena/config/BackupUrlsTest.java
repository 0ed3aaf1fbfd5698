package dev.athena.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The seed's and the contract's backupurl forms. */
class BackupUrlsTest {
    @Test
    void awsS3UsesTheConsoleUrlOfTheSeed() {
        StorageConfig s3 = StorageConfig.fromEnv(Map.of("BACKUP_LOCATION_TYPE", "s3", "AWS_S3_BUCKET_NAME", "my-backups", "AWS_S3_REGION", "us-west-2"));
        assertThat(new BackupUrls(s3).of("app", "2023-02-02t16-00-00")).isEqualTo(
                "https://s3.console.aws.amazon.com/s3/buckets/my-backups?region=us-west-2&prefix=app/2023-02-02t16-00-00/&showversions=false");
    }

    @Test
    void anS3CompatibleEndpointAndALocalFolder() {
        StorageConfig minio = StorageConfig.fromEnv(Map.of("BACKUP_LOCATION_TYPE", "s3", "AWS_S3_BUCKET_NAME", "bk1",
                "AWS_S3_ENDPOINT", "http://minio.local:9000/"));
        assertThat(new BackupUrls(minio).of("app", "2023-02-02t16-00-00")).isEqualTo("http://minio.local:9000/bk1/app/2023-02-02t16-00-00/");
        StorageConfig local = StorageConfig.fromEnv(Map.of());
        assertThat(new BackupUrls(local).of("app", "2023-02-02t16-00-00")).isEqualTo("file:///backup/app/2023-02-02t16-00-00/");
    }
}
