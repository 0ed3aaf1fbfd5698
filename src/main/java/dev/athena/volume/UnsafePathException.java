package dev.athena.volume;

/** A path read from a repository would write outside the restore target, or is not a valid name. */
public class UnsafePathException extends RuntimeException {
    public UnsafePathException(String message) {
        super(message);
    }
}
