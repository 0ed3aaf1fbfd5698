package dev.athena.repository;

/** The repository cannot do what was asked; the message says why and what to do. */
public class RepositoryException extends RuntimeException {
    public RepositoryException(String message) {
        super(message);
    }

    public RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
