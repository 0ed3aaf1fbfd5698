package dev.athena.maintenance;

import java.util.ArrayList;
import java.util.List;

import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.pitr.PointInTimeRecovery;
import dev.athena.component.postgres.pitr.WalArchive;
import dev.athena.repository.BlobId;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.repository.Verifier;
import dev.athena.volume.TreeCheck;

/** Reads back backups and checks every hash; the report names each damaged backup, component and file. */
public final class VerifyCommand {
    public record Report(List<String> backups, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Repository repository;
    private List<String> timestamps;
    private Verifier.Depth depth = Verifier.Depth.BLOBS;

    public VerifyCommand(Repository repository) {
        this.repository = repository;
    }

    /** Only these backups; all of them when not called. */
    public VerifyCommand backups(List<String> timestamps) {
        this.timestamps = timestamps;
        return this;
    }

    public VerifyCommand depth(Verifier.Depth depth) {
        this.depth = depth;
        return this;
    }

    /**
     * A backup with a base backup, while WAL is archived: the chain from its start is complete (a
     * hole is named, with how far recovery can go), and each segment of it opens (read whole, with
     * BLOBS depth).
     */
    private java.util.Optional<String> walProblem(String ts, Manifest m) {
        Manifest.ComponentSnapshot pg = m.components().get("postgres");
        java.util.Optional<PointInTimeRecovery.Base> base = pg == null ? java.util.Optional.empty() : PostgresComponent.baseBackupOf(pg);
        WalArchive archive = new WalArchive(repository);
        if (base.isEmpty() || archive.info() == null) {
            return java.util.Optional.empty();
        }
        try {
            for (WalArchive.Entry e : archive.chain(base.get())) {
                if (depth == Verifier.Depth.BLOBS && checkedSegments.add(e.name() + e.partial())) {
                    archive.read(e);
                }
            }
            return java.util.Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.Optional.of("backup " + ts + ", component postgres: " + e.getMessage());
        }
    }

    /** Segments already read in this run: consecutive backups share most of theirs. */
    private final java.util.Set<String> checkedSegments = new java.util.HashSet<>();

    public Report call() {
        try (RepositoryLock lock = RepositoryLock.sharedForReading(repository, "verify")) {
            List<String> backups = timestamps != null ? timestamps : repository.timestamps();
            List<String> problems = new ArrayList<>();
            for (BlobId pack : new Verifier(repository).missingPacks()) {
                problems.add("pack " + pack.shortHex() + " named by the index is missing");
            }
            for (String ts : backups) {
                Manifest m;
                try {
                    m = repository.readManifest(ts);
                } catch (RuntimeException e) {
                    problems.add("backup " + ts + ": " + e.getMessage());
                    continue;
                }
                m.components().forEach((name, c) -> problems.addAll(TreeCheck.check(repository, ts, name, c.treeIds(), depth)));
                walProblem(ts, m).ifPresent(problems::add);
            }
            return new Report(backups, problems);
        }
    }
}
