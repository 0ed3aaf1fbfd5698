package dev.athena.component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program (pg_dump, git, a hook) with a timeout, capturing its output. Secrets go in
 * through the environment, never the command line, so they appear in no process listing or error.
 */
public final class ExternalCommand {
    /** What a finished command left: its exit code and the last part of its output. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private static final int KEEP_CHARS = 64 * 1024;
    private final List<String> command;
    private final Map<String, String> environment;
    private Path directory;
    private Duration timeout = Duration.ofHours(12);
    private java.util.function.Consumer<Process> started = p -> { };

    public ExternalCommand(List<String> command, Map<String, String> environment) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    public static ExternalCommand of(String... command) {
        return new ExternalCommand(List.of(command), Map.of());
    }

    public ExternalCommand in(Path dir) {
        this.directory = dir;
        return this;
    }

    public ExternalCommand timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Hands the started process to {@code whenStarted}, so another thread can stop it (a parallel restore whose other part failed). */
    public ExternalCommand whenStarted(java.util.function.Consumer<Process> whenStarted) {
        this.started = whenStarted;
        return this;
    }

    /** A started program whose output the caller reads as a stream; its error output is kept for {@link Streaming#finish()}. */
    public final class Streaming {
        private final Process process;
        private final CompletableFuture<String> err;

        private Streaming(Process process) {
            this.process = process;
            this.err = CompletableFuture.supplyAsync(() -> tail(process.getErrorStream()));
        }

        public InputStream stdout() {
            return process.getInputStream();
        }

        /** Waits for the end; throws with the program's own error output when it failed. */
        public void finish() throws IOException, InterruptedException {
            if (!waitFor(process, timeout)) {
                throw new IOException(name() + " did not finish within " + timeout.toSeconds() + " s and was stopped");
            }
            if (process.exitValue() != 0) {
                throw new IOException(name() + " failed (exit " + process.exitValue() + "): " + lastLines(err.join(), 5));
            }
        }

        public void kill() {
            process.destroyForcibly();
        }

        /** The program's error output (its last part, when it is long), once it has ended. */
        public String errorOutput() {
            return err.join();
        }
    }

    /** Starts the program with its output as a stream (pg_dump straight into the repository). */
    public Streaming stream() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            started.accept(p);
            return new Streaming(p);
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits for the program; stops it (and what it started) when it overruns or when the waiting
     * thread is interrupted, so a cancelled backup leaves no pg_dump or git behind.
     */
    private static boolean waitFor(Process p, Duration timeout) throws InterruptedException {
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            stop(p);
            throw e;
        }
        stop(p);
        return false;
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Runs to the end; throws when the program is missing or times out (a non-zero exit is a result). */
    public Result run() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        started.accept(p);
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> tail(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> tail(p.getErrorStream()));
        if (!waitFor(p, timeout)) {
            throw new IOException(name() + " did not finish within " + timeout.toSeconds() + " s and was stopped");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    /** Runs and throws with the program's own error output when it fails. */
    public Result check() throws IOException, InterruptedException {
        Result r = run();
        if (!r.ok()) {
            String why = r.stderr().isBlank() ? r.stdout() : r.stderr();
            throw new IOException(name() + " failed (exit " + r.exitCode() + "): " + lastLines(why, 5));
        }
        return r;
    }

    private String name() {
        return Path.of(command.get(0)).getFileName().toString();
    }

    public static String lastLines(String text, int n) {
        List<String> lines = new ArrayList<>(text.strip().lines().toList());
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static String tail(InputStream in) {
        try (in) {
            StringBuilder b = new StringBuilder();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                if (b.length() > 2 * KEEP_CHARS) {
                    b.delete(0, b.length() - KEEP_CHARS);
                }
            }
            return b.length() > KEEP_CHARS ? b.substring(b.length() - KEEP_CHARS) : b.toString();
        } catch (IOException e) {
            return "";
        }
    }
}
