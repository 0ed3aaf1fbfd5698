package dev.athena.api;

/** An error the API answers with {@code {"code": status, "message": ...}}. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
