package dev.athena.restore;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.athena.component.ExternalCommand;

/**
 * Brings the destination to the backup's platform version before the data goes in: runs
 * UPGRADE_COMMAND with {version} replaced, and refuses a downgrade unless asked.
 */
public final class PlatformUpgrade {
    /** A version goes into a shell command: only plain version characters are accepted. */
    static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private final Optional<String> command;
    private final Duration timeout;

    public PlatformUpgrade(Optional<String> command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    /** What to do: nothing (and why), or the command to run. */
    public record Plan(boolean needed, String reason, String command) {
    }

    public Plan plan(String backupVersion, String destinationVersion, boolean allowDowngrade) {
        if (backupVersion == null || destinationVersion == null) {
            return new Plan(false, "platform versions unknown (PLATFORM_VERSION unset in the "
                    + (backupVersion == null ? "source" : "destination") + ")", null);
        }
        if (backupVersion.equals(destinationVersion)) {
            return new Plan(false, "the destination already runs " + destinationVersion, null);
        }
        if (!VERSION.matcher(backupVersion).matches()) {
            throw new IllegalArgumentException("the backup's platform version '" + backupVersion + "' is not a plain version string; refusing to run it through UPGRADE_COMMAND");
        }
        if (compare(backupVersion, destinationVersion) < 0 && !allowDowngrade) {
            throw new IllegalStateException("refusing to downgrade the destination from " + destinationVersion + " to " + backupVersion
                    + ": pass \"allowDowngrade\": true to do it, or \"disableUpgrade\": true to restore the data only");
        }
        if (command.isEmpty()) {
            throw new IllegalStateException("the backup is from platform version " + backupVersion + " and this cluster runs " + destinationVersion
                    + ": set UPGRADE_COMMAND, or pass \"disableUpgrade\": true");
        }
        return new Plan(true, destinationVersion + " -> " + backupVersion, command.get().replace("{version}", backupVersion));
    }

    /** Runs the planned command; its output (the last part) is returned for the record. */
    public String run(Plan plan) throws IOException, InterruptedException {
        ExternalCommand.Result r = new ExternalCommand(List.of("/bin/sh", "-c", plan.command()), Map.of()).timeout(timeout).run();
        String output = (r.stdout() + r.stderr()).strip();
        output = output.length() > 4000 ? output.substring(output.length() - 4000) : output;
        if (!r.ok()) {
            throw new IOException("UPGRADE_COMMAND failed (exit " + r.exitCode() + "): " + ExternalCommand.lastLines(output, 3));
        }
        return output;
    }

    /** Compares versions part by part: numbers as numbers, other parts as text (3.10.1 > 3.9). */
    static int compare(String a, String b) {
        String[] x = a.split("[.+-]");
        String[] y = b.split("[.+-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+") ? Long.compare(Long.parseLong(p), Long.parseLong(q)) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
