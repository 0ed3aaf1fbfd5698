package dev.athena.service;

/**
 * The request is well formed but the state of things refuses it (a backup that is not Success
 * cannot be restored; a job runs already): the API answers 409.
 */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
