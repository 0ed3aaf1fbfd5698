package dev.athena.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.athena.concurrent.Parallel;
import dev.athena.concurrent.ProgressMeter;

/**
 * A command's progress on stderr while it runs: on a terminal a bar redrawn in place twice a
 * second, elsewhere (a log file, a CI job, a pipe) a plain line every ten seconds, so a long
 * backup is never silent and a short one prints nothing extra. Lines the command prints meanwhile
 * go through {@link #println} so that they never land in the middle of the bar.
 */
final class ProgressDisplay implements AutoCloseable {
    static final Duration TERMINAL_EVERY = Duration.ofMillis(500);
    static final Duration PLAIN_EVERY = Duration.ofSeconds(10);
    private static final String CLEAR_LINE = "\r\033[K";

    private final Supplier<ProgressMeter.Snapshot> progress;
    private final PrintStream err;
    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final ScheduledExecutorService ticker;
    private boolean barShown;

    /**
     * Shows {@code meter} on this process's stderr, as a bar when stdout and stderr are a terminal.
     * Then anything else printed meanwhile (the log's lines, on stderr) first clears the bar, so it
     * starts on a line of its own; the bar comes back at the next tick.
     */
    static ProgressDisplay start(ProgressMeter meter) {
        return start(meter::snapshot);
    }

    /** The same for progress read from elsewhere (a running service's record); a null snapshot shows nothing. */
    static ProgressDisplay start(Supplier<ProgressMeter.Snapshot> progress) {
        boolean terminal = System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        ProgressDisplay display = new ProgressDisplay(progress, System.out, System.err, terminal, columns(), terminal ? TERMINAL_EVERY : PLAIN_EVERY);
        if (terminal) {
            display.takeOverStandardStreams();
        }
        return display;
    }

    private boolean tookOver;

    private void takeOverStandardStreams() {
        System.setOut(new PrintStream(new ClearingFirst(out), true));
        System.setErr(new PrintStream(new ClearingFirst(err), true));
        tookOver = true;
    }

    /** A standard stream that clears the bar before each write of someone else's. */
    private final class ClearingFirst extends java.io.OutputStream {
        private final PrintStream target;

        ClearingFirst(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            synchronized (ProgressDisplay.this) {
                clearBar();
                target.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (ProgressDisplay.this) {
                clearBar();
                target.write(b, off, len);
            }
        }

        @Override
        public void flush() {
            target.flush();
        }
    }

    ProgressDisplay(ProgressMeter meter, PrintStream out, PrintStream err, boolean terminal, int width, Duration every) {
        this(meter::snapshot, out, err, terminal, width, every);
    }

    ProgressDisplay(Supplier<ProgressMeter.Snapshot> progress, PrintStream out, PrintStream err, boolean terminal, int width, Duration every) {
        this.progress = progress;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.width = width;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Parallel.daemons("athena-progress"));
        ticker.scheduleAtFixedRate(this::show, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static int columns() {
        try {
            return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").trim()));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    private synchronized void show() {
        ProgressMeter.Snapshot s = progress.get();
        if (s == null) {
            return;
        }
        if (terminal) {
            err.print(CLEAR_LINE + bar(s, width));
            barShown = true;
        } else {
            err.println(s.describe());
        }
        err.flush();
    }

    /** A line of the command's own output, printed on stdout below the bar (which is redrawn at the next tick). */
    synchronized void println(String line) {
        clearBar();
        out.println(line);
        out.flush();
    }

    private void clearBar() {
        if (barShown) {
            err.print(CLEAR_LINE);
            err.flush();
            barShown = false;
        }
    }

    /** "[#######.............]  35% restore: metagraph 1.2 GiB of 3.4 GiB ...", cut to the terminal's width. */
    static String bar(ProgressMeter.Snapshot s, int width) {
        String text = s.describe();
        String line;
        if (s.percent() != null) {
            int cells = 20;
            int filled = (int) Math.min(cells, Math.floor(s.percent() / 100 * cells));
            line = "[" + "#".repeat(filled) + ".".repeat(cells - filled) + "] " + text;
        } else {
            line = text;
        }
        return line.length() < width ? line : line.substring(0, Math.max(0, width - 4)) + "...";
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        clearBar();
        if (tookOver) {
            System.setOut(out);
            System.setErr(err);
            tookOver = false;
        }
    }
}
