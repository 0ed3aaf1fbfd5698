package dev.athena.config;

/** The seed's {@code backupurl}: where an operator finds a backup's folder. */
public final class BackupUrls {
    private final StorageConfig storage;

    public BackupUrls(StorageConfig storage) {
        this.storage = storage;
    }

    public String of(String namespace, String timestamp) {
        String prefix = namespace + "/" + timestamp + "/";
        if (!storage.remote()) {
            return "file://" + storage.localRoot() + "/" + prefix;
        }
        var s3 = storage.s3();
        if (s3.endpoint().isPresent()) {
            return s3.endpoint().get().toString().replaceAll("/+$", "") + "/" + s3.bucket() + "/" + prefix;
        }
        return "https://s3.console.aws.amazon.com/s3/buckets/" + s3.bucket() + "?region=" + (s3.region() == null ? "us-east-1" : s3.region())
                + "&prefix=" + prefix + "&showversions=false";
    }
}
