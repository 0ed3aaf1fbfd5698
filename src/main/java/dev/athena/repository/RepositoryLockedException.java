package dev.athena.repository;

/** Another process holds a lock that conflicts with the one asked for. */
public class RepositoryLockedException extends RepositoryException {
    public RepositoryLockedException(String message) {
        super(message);
    }
}
