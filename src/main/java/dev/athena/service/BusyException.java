package dev.athena.service;

/** Another backup or restore is running: the API answers 409. */
public class BusyException extends ConflictException {
    public BusyException(String running) {
        super("a job is already running: " + running + "; try again when it has finished");
    }
}
