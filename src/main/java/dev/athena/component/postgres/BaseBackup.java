package dev.athena.component.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.athena.component.ExternalCommand;
import dev.athena.component.postgres.pitr.WalPosition;
import dev.athena.volume.VirtualTree;

/**
 * A physical base backup of the whole cluster, taken by pg_basebackup over the replication
 * protocol and streamed as one tar straight into the repository ({@value #FILE}): never staged on
 * disk, and cut along PostgreSQL's pages ({@link TarSplitter}), so what no update touched since the
 * last base backup costs nothing the next time. The WAL written while it ran is in the tar ({@code -X fetch}), so it restores on its own
 * to the moment it ended; with the archived WAL, to any moment after.
 */
final class BaseBackup {
    static final String FILE = "base.tar";
    /** Eight pages: small enough that scattered updates leave most blocks as they were, large enough to keep the index small. */
    static final int BLOCK = 64 * 1024;
    private static final Pattern START = Pattern.compile("write-ahead log start point: ([0-9A-F]+/[0-9A-F]+) on timeline (\\d+)");
    private static final Pattern END = Pattern.compile("write-ahead log end point: ([0-9A-F]+/[0-9A-F]+)");

    /**
     * Where the base backup's WAL starts and ends, on which timeline, the tar's size, and when it was taken ({@code takenAt},
     * absent in backups written before it was recorded).
     */
    record Info(String startLsn, String endLsn, int timeline, long bytes, long durationMs, String takenAt) {
        long start() {
            return WalPosition.parseLsn(startLsn);
        }

        long end() {
            return WalPosition.parseLsn(endLsn);
        }
    }

    private BaseBackup() {
    }

    static Info take(PostgresTools tools, VirtualTree tree, String label, java.time.Instant now) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        // -c fast: a checkpoint at once, not spread over minutes; --no-password: a missing password fails instead of waiting at a prompt.
        ExternalCommand.Streaming run = tools.command("postgres", "pg_basebackup", "-D", "-", "-F", "t", "-X", "fetch", "-c", "fast", "-v",
                "--no-password", "--label", label).stream();
        long bytes;
        try (InputStream tar = run.stdout()) {
            bytes = tree.file(FILE, tar, new TarSplitter(BLOCK)::split);
        } catch (IOException | RuntimeException e) {
            run.kill();
            throw e;
        }
        try {
            run.finish();
        } catch (IOException e) {
            String why = e.getMessage();
            if (why.contains("no pg_hba.conf entry for replication") || why.contains("must be superuser or replication role")) {
                why += " (the user needs the REPLICATION attribute, and pg_hba.conf a 'replication' line for Athena's address)";
            }
            throw new IOException("base backup: " + why, e);
        }
        String err = run.errorOutput();
        Matcher start = START.matcher(err);
        Matcher end = END.matcher(err);
        if (!start.find() || !end.find()) {
            throw new IOException("base backup: pg_basebackup did not say where its WAL starts and ends: " + ExternalCommand.lastLines(err, 5));
        }
        return new Info(start.group(1), end.group(1), Integer.parseInt(start.group(2)), bytes, (System.nanoTime() - t0) / 1_000_000, now.toString());
    }
}
