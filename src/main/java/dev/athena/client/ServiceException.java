package dev.athena.client;

/** The service could not be reached, refused the request, or answered with an error: the message says which and what to do. */
public final class ServiceException extends RuntimeException {
    private final int status;

    public ServiceException(String message) {
        this(message, 0);
    }

    public ServiceException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the service answered with; 0 when it gave none. */
    public int status() {
        return status;
    }
}
