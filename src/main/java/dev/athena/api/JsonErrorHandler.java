package dev.athena.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers itself, before any route runs (a path with {@code %00} or an ambiguous
 * segment, a malformed request line or header): the API's JSON error shape instead of Jetty's HTML
 * page, and {@code Connection: close}, since Jetty closes the connection after them (without the
 * header a client reused it, and its next request got no answer).
 */
final class JsonErrorHandler extends ErrorHandler {

    static byte[] body(int code) {
        String message = code == 400 ? "bad request: the request line, a header or the path is malformed"
                : HttpStatus.getMessage(code).toLowerCase(java.util.Locale.ROOT);
        return ("{\"code\":" + code + ",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CONNECTION, "close");
        return ByteBuffer.wrap(body(status));
    }
}
