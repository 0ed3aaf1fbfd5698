package dev.athena.repository;

/** Bytes read from the repository are not what was written: a hash, a tag or a structure does not check out. */
public class CorruptDataException extends RuntimeException {
    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
