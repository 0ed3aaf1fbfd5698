package dev.athena.storage;

/** A store could not do what was asked; the message names the store, the key and the cause. */
public class StorageException extends RuntimeException {
    private final boolean transientFailure;

    public StorageException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public StorageException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** True when the same request may succeed later (throttling, 5xx, timeouts, connection resets). */
    public boolean isTransient() {
        return transientFailure;
    }
}
