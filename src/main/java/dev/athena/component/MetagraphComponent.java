package dev.athena.component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metagraph volume, with optional hooks around its snapshot (as Velero's backup hooks): a
 * command run before it, for example to make the store flush or pause writes, and one run after
 * it, whatever happened, for example to resume them.
 */
public final class MetagraphComponent extends VolumeComponent {
    private static final Logger log = LoggerFactory.getLogger(MetagraphComponent.class);
    static final Duration HOOK_TIMEOUT = Duration.ofMinutes(10);
    private final Optional<String> preHook;
    private final Optional<String> postHook;

    public MetagraphComponent(Path folder, Optional<String> preHook, Optional<String> postHook) {
        super("metagraph", folder);
        this.preHook = preHook;
        this.postHook = postHook;
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
        try {
            if (preHook.isPresent()) {
                runHook("METAGRAPH_PRE_BACKUP_COMMAND", preHook.get());
            }
            return super.backup(repository, timestamp, parent);
        } finally {
            if (postHook.isPresent()) {
                runHook("METAGRAPH_POST_BACKUP_COMMAND", postHook.get());
            }
        }
    }

    private void runHook(String variable, String command) throws IOException, InterruptedException {
        ExternalCommand.Result r = new ExternalCommand(List.of("/bin/sh", "-c", command), Map.of("ATHENA_VOLUME_PATH", folder().toString()))
                .in(folder()).timeout(HOOK_TIMEOUT).run();
        if (!r.ok()) {
            throw new IOException(variable + " failed (exit " + r.exitCode() + "): " + ExternalCommand.lastLines(r.stderr() + r.stdout(), 3));
        }
        log.info("{} finished", variable);
    }
}
