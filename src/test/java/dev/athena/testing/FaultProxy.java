package dev.athena.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault-injecting HTTP proxy on loopback in front of a real S3 server: each request is passed
 * through, or meets the fault that {@link Policy} picks for it (throttling, a server error, a
 * connection reset in the middle of an upload or a download, an answer slower than the client's
 * timeout, a body cut short). One request per connection: the proxy asks both sides to close
 * after each exchange, so it never has to frame a second request.
 */
public final class FaultProxy implements AutoCloseable {
    public enum Fault { NONE, SLOW_DOWN, SERVER_ERROR, RESET_DURING_UPLOAD, RESET_DURING_DOWNLOAD, STALL, TRUNCATED_BODY }

    /** Picks the fault for the {@code n}th request (from 1) of {@code method} on {@code path}. */
    @FunctionalInterface
    public interface Policy {
        Fault pick(int n, String method, String path);
    }

    private final URI upstream;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    private volatile Policy policy = (n, m, p) -> Fault.NONE;
    private volatile long stallMillis = 10_000;

    public FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::acceptLoop);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public void policy(Policy policy) {
        this.policy = policy;
    }

    public void stallMillis(long millis) {
        this.stallMillis = millis;
    }

    /** Requests seen, and faults injected, so far. */
    public int requests() {
        return requests.get();
    }

    public int faults() {
        return faults.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.submit(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client; Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String headText = new String(head, StandardCharsets.ISO_8859_1);
            String[] requestLine = headText.substring(0, headText.indexOf("\r\n")).split(" ");
            String method = requestLine[0];
            String path = requestLine.length > 1 ? requestLine[1] : "/";
            long bodyLength = contentLength(headText);
            Fault fault = policy.pick(requests.incrementAndGet(), method, path);
            if (fault != Fault.NONE) {
                faults.incrementAndGet();
            }
            OutputStream toClient = client.getOutputStream();
            // The SDK asks before it uploads (Expect: 100-continue): an early answer means the body never comes.
            boolean expect = headText.toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue");
            if (expect && fault != Fault.SLOW_DOWN && fault != Fault.SERVER_ERROR && fault != Fault.STALL) {
                toClient.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                toClient.flush();
            }
            if (expect) {
                headText = headText.replaceAll("(?i)\r\nexpect: 100-continue", "");
                if (fault == Fault.SLOW_DOWN || fault == Fault.SERVER_ERROR || fault == Fault.STALL) {
                    bodyLength = 0;
                }
            }
            switch (fault) {
                case SLOW_DOWN -> {
                    skip(in, bodyLength);
                    answer(toClient, 503, "Slow Down", "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
                    return;
                }
                case SERVER_ERROR -> {
                    skip(in, bodyLength);
                    answer(toClient, 500, "Internal Server Error", "<Error><Code>InternalError</Code><Message>injected</Message></Error>");
                    return;
                }
                case RESET_DURING_UPLOAD -> {
                    in.readNBytes((int) Math.min(bodyLength / 2, 1 << 20));
                    reset(client);
                    return;
                }
                case STALL -> {
                    skip(in, bodyLength);
                    Thread.sleep(stallMillis);
                    return;
                }
                default -> {
                }
            }
            OutputStream toUpstream = up.getOutputStream();
            toUpstream.write(withConnectionClose(headText).getBytes(StandardCharsets.ISO_8859_1));
            copy(in, toUpstream, bodyLength);
            toUpstream.flush();
            InputStream fromUpstream = up.getInputStream();
            if (fault == Fault.RESET_DURING_DOWNLOAD || fault == Fault.TRUNCATED_BODY) {
                byte[] answer = fromUpstream.readAllBytes();
                int end = new String(answer, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
                int cut = end + Math.max(0, (answer.length - end) / 2);
                toClient.write(answer, 0, Math.min(cut, answer.length));
                toClient.flush();
                if (fault == Fault.RESET_DURING_DOWNLOAD) {
                    reset(client);
                }
                return;
            }
            fromUpstream.transferTo(toClient);
            toClient.flush();
        } catch (IOException e) {
            // a side went away: nothing to pass on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    private static void answer(OutputStream out, int status, String reason, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }

    private static String withConnectionClose(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (line.isEmpty() || line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) ? state + 1 : (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("client closed mid-body");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
