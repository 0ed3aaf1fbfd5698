package dev.athena.service;

/** The backup (or restore) asked for does not exist: the API answers 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
