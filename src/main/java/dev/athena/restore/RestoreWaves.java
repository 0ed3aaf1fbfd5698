package dev.athena.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

import dev.athena.component.Component;
import dev.athena.concurrent.Parallel;

/**
 * The order a restore writes components in: first the platform's data (the database, the
 * volumes) side by side, {@code threads} at a time, then the configuration, which points the
 * platform at that data. Each data component runs to its end even when another fails, so each is
 * either wholly restored or left as its own restore left it (a database is swapped in whole or not
 * at all); the configuration is written only when all data was restored.
 */
public final class RestoreWaves {
    private RestoreWaves() {
    }

    /** Restores one component. */
    @FunctionalInterface
    public interface Step {
        void restore(Component component) throws Exception;
    }

    /**
     * Runs {@code step} for every component, wave by wave. When one fails: the rest of its wave
     * finishes, {@code notRestored} is told of each component of later waves (and of the
     * component that failed first), and the first failure is thrown.
     */
    public static void run(List<Component> selected, int threads, Step step, BiConsumer<Component, Component> notRestored) throws Exception {
        List<List<Component>> waves = waves(selected);
        for (int w = 0; w < waves.size(); w++) {
            List<Component> wave = waves.get(w);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (Component c : wave) {
                tasks.add(() -> {
                    step.restore(c);
                    return null;
                });
            }
            Parallel.Outcomes<Void> outcomes = Parallel.runAll("athena-restore", threads, tasks, false);
            if (outcomes.firstFailure() >= 0) {
                Component failed = wave.get(outcomes.firstFailure());
                for (List<Component> later : waves.subList(w + 1, waves.size())) {
                    later.forEach(c -> notRestored.accept(c, failed));
                }
                Throwable cause = outcomes.each().get(outcomes.firstFailure()).failure();
                throw cause instanceof Exception e ? e : new IllegalStateException(cause);
            }
        }
    }

    static List<List<Component>> waves(List<Component> selected) {
        List<Component> data = selected.stream().filter(c -> !c.isConfig()).toList();
        List<Component> config = selected.stream().filter(Component::isConfig).toList();
        return java.util.stream.Stream.of(data, config).filter(w -> !w.isEmpty()).toList();
    }
}
