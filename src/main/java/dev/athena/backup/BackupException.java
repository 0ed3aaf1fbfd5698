package dev.athena.backup;

/** A backup failed; no manifest was written, so it does not exist. */
public class BackupException extends RuntimeException {
    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
