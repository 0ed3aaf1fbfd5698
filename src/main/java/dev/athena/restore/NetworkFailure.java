package dev.athena.restore;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Why an HTTP call to an endpoint an operator configured (a health check, Jenkins) failed, in
 * words: Java's HTTP client throws a bare {@code ConnectException} with no message for a refused
 * connection, which a record showed as "ConnectException" alone.
 */
final class NetworkFailure {
    private NetworkFailure() {
    }

    static String describe(IOException e, URI target) {
        String where = target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : "");
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection to " + where + " within the connect timeout: is the host up, and does a firewall let Athena through?";
        }
        if (e instanceof HttpTimeoutException) {
            return where + " accepted the connection but did not answer in time";
        }
        boolean unresolved = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            unresolved |= t instanceof UnknownHostException || t instanceof UnresolvedAddressException;
        }
        if (unresolved) {
            return "unknown host '" + target.getHost() + "': check the URL, and that this pod resolves it";
        }
        if (e instanceof ConnectException) {
            return "connection to " + where + " refused: nothing listens there (is the service up, and is the port right?)";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "TLS with " + where + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        String message = e.getMessage();
        return "cannot talk to " + where + ": " + (message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
    }
}
