package dev.athena.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.component.Component;
import dev.athena.component.RestoreOutcome;
import dev.athena.component.VolumeComponent;
import dev.athena.repository.Repository;

/**
 * Restores components of one backup into the given places: the data only, through the same
 * {@link DisasterRecovery} phases as the service's restores. Every component's checks run before the
 * first one is written, so a damaged backup or an unwritable destination leaves everything as it
 * was; then the data components are restored side by side and the configuration last
 * ({@link RestoreWaves}). A failure is thrown as the component threw it.
 */
public final class RestoreCommand {
    private final Repository repository;
    private final String timestamp;
    private final List<Component> components = new ArrayList<>();
    /** All of the platform's components at once, unless the caller says otherwise. */
    public static final int DEFAULT_COMPONENT_THREADS = 8;
    private int componentThreads = DEFAULT_COMPONENT_THREADS;
    private DisasterRecovery.Listener listener = new DisasterRecovery.Listener() { };
    private boolean dryRun;
    private Map<String, List<String>> items = Map.of();

    public RestoreCommand(Repository repository, String timestamp) {
        this.repository = repository;
        this.timestamp = timestamp;
    }

    public RestoreCommand component(Component component) {
        if (components.stream().anyMatch(c -> c.name().equals(component.name()))) {
            throw new IllegalArgumentException("component '" + component.name() + "' is given twice; each needs its own name");
        }
        components.add(component);
        return this;
    }

    /** Components restored at once (the data ones; the configuration goes last); 1 restores them one after another. */
    public RestoreCommand componentThreads(int threads) {
        this.componentThreads = threads;
        return this;
    }

    /** Restores only these items of the components named (paths of a volume, repositories, databases, keys); the rest stays. */
    public RestoreCommand items(Map<String, List<String>> items) {
        this.items = Map.copyOf(items);
        return this;
    }

    /** Runs the checks and plans the restore without writing anything; {@link #plan()} is then what it would do. */
    public RestoreCommand dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    private java.util.List<String> plan = java.util.List.of();

    /** What a dry run found it would do, in order. */
    public java.util.List<String> plan() {
        return plan;
    }

    /** Told of each phase and check as it ends. */
    public RestoreCommand listener(DisasterRecovery.Listener listener) {
        this.listener = listener;
        return this;
    }

    public RestoreCommand volume(String name, Path target) {
        return component(new VolumeComponent(name, target));
    }

    public Map<String, RestoreOutcome> call() throws Exception {
        DisasterRecovery.Outcome outcome = new DisasterRecovery(() -> repository, timestamp, components)
                .options((dryRun ? DisasterRecovery.Options.DATA_ONLY_DRY_RUN : DisasterRecovery.Options.DATA_ONLY).withItems(items))
                .componentThreads(componentThreads)
                .listener(listener)
                .run();
        if (!outcome.succeeded()) {
            throw outcome.failure() != null ? outcome.failure() : new IllegalStateException(outcome.error());
        }
        plan = outcome.progress().plan();
        Map<String, RestoreOutcome> results = new LinkedHashMap<>();
        if (dryRun) {
            return results;
        }
        components.forEach(c -> results.put(c.name(), outcome.progress().restored().get(c.name())));
        return results;
    }
}
