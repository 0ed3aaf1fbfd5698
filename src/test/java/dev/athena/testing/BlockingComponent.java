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
    private volatile boolean afterData;
    private volatile CountDownLatch dataDone = new CountDownLatch(0);

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

    /**
     * Makes the next backups and restores wait until {@link #release()} once their data is done,
     * while the component is still at work: a job's progress can then be read mid-job.
     */
    public void holdAfterData() {
        dataDone = new CountDownLatch(1);
        afterData = true;
        gate = new CountDownLatch(1);
    }

    public boolean awaitDataDone() throws InterruptedException {
        return dataDone.await(30, TimeUnit.SECONDS);
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
        if (afterData) {
            Manifest.ComponentSnapshot done = super.backup(repository, timestamp, parent);
            waitAfterData();
            return done;
        }
        if (!gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test gate never opened");
        }
        return super.backup(repository, timestamp, parent);
    }

    private void waitAfterData() throws InterruptedException {
        dataDone.countDown();
        if (!gate.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test gate never opened");
        }
        afterData = false;
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        if (restoreFailure != null) {
            throw new java.io.IOException(restoreFailure);
        }
        if (afterData) {
            RestoreOutcome done = super.restore(repository, backup, snapshot);
            waitAfterData();
            return done;
        }
        return super.restore(repository, backup, snapshot);
    }
}
