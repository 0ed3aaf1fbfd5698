package dev.athena.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.javalin.http.Context;

/**
 * The web dashboard's three files, served from the jar: no fonts, scripts or styles from anywhere
 * else, which the page's Content-Security-Policy also enforces. The page holds no data; its script
 * reads the API with the key the operator enters.
 */
final class Dashboard {
    /**
     * Only this origin's files and API; inline styles are allowed for the disaster-recovery report,
     * which the dashboard opens from memory and which carries its own style sheet.
     */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self';"
            + " img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();

    private Dashboard() {
    }

    static void page(Context ctx) {
        headers(ctx).contentType("text/html; charset=utf-8").result(file("dashboard.html"));
    }

    static void asset(Context ctx, String name, String type) {
        headers(ctx).contentType(type).result(file(name));
    }

    private static Context headers(Context ctx) {
        return ctx.header("Content-Security-Policy", POLICY).header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-cache");
    }

    private static byte[] file(String name) {
        return FILES.computeIfAbsent(name, n -> {
            try (InputStream in = Dashboard.class.getResourceAsStream(n)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks the dashboard's " + n);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
