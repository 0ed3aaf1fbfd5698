package dev.athena.service;

/** A request the service cannot carry out as asked (a target time in the future, a backup after it): 400, with what to change. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message);
    }
}
