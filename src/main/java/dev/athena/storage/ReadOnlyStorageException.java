package dev.athena.storage;

/** The store refuses every write (a read-only file system or mount, a folder without write permission, a read-only wrapper). */
public class ReadOnlyStorageException extends StorageException {
    public ReadOnlyStorageException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
