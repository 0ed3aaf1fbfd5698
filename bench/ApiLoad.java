import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 200 concurrent clients send status and list requests to a running Athena while a backup runs.
 * Prints latency percentiles and the error count. Bounded: each client sends a fixed number of
 * requests to localhost only. Usage: java bench/ApiLoad.java PORT KEY TIMESTAMP
 */
public class ApiLoad {
    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + args[0] + "/athena/api/v1";
        String key = args[1];
        String ts = args[2];
        int clients = 200;
        int perClient = 10;
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).connectTimeout(Duration.ofSeconds(10)).build();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            final int client = c;
            pool.submit(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perClient; i++) {
                        String path = (client + i) % 2 == 0 ? "/backupstatus?timestamp=" + ts : "/backuplist";
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                                    .header("Authorization", key).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latencies.add(System.nanoTime() - t0);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        long t0 = System.nanoTime();
        start.countDown();
        done.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("requests %d%nerrors %d%nseconds %.2f%np50_ms %.1f%np99_ms %.1f%nmax_ms %.1f%n", sorted.size(), errors.get(), seconds,
                pct(sorted, 50), pct(sorted, 99), sorted.get(sorted.size() - 1) / 1e6);
        System.exit(0);
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }
}
