package dev.athena.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.athena.component.RestoreOutcome;
import dev.athena.component.VolumeComponent;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;

/**
 * A real volume component whose backup waits for the test to release it, so a test can hold a
 * job in the Running state for as long as it needs without sleeping, or make its restore fail.
 */
public final class BlockingComponent extends VolumeComponent {
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final CountDownLatch entered = new CountDownLatch(1);
    private volatile String restoreFailure;

    public BlockingComponent(String name, Path folder) {
        super(name, folder);
    }

    /** Makes the next backups wait until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Makes the next restores fail with {@code why} after writing nothing (fault injection). */
    public void failRestores(String why) {
        restoreFailure = why;
    }

    public void release() {
        gate.countDown();
    }

    public boolean awaitEntered() throws InterruptedException {
        return entered.await(30, TimeUnit.SECONDS);
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
        entered.countDown();
        if (!gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test gate never opened");
        }
        return super.backup(repository, timestamp, parent);
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        if (restoreFailure != null) {
            throw new java.io.IOException(restoreFailure);
        }
        return super.restore(repository, backup, snapshot);
    }
}
