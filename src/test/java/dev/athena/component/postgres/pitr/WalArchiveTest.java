package dev.athena.component.postgres.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;

class WalArchiveTest {
    private static final long SIZE = 16L * 1024 * 1024;
    @TempDir
    Path tmp;

    @Test
    void segmentsAreNamedAsPostgresNamesThem() {
        assertThat(WalPosition.segmentOf(1, WalPosition.parseLsn("0/16B3748"), SIZE).name(SIZE)).isEqualTo("000000010000000000000001");
        assertThat(WalPosition.segmentOf(2, WalPosition.parseLsn("1/FF000000"), SIZE).name(SIZE)).isEqualTo("0000000200000001000000FF");
        assertThat(WalPosition.parse("0000000200000001000000FF", SIZE)).isEqualTo(new WalPosition.Segment(2, 0x1FF));
        assertThat(WalPosition.format(WalPosition.parseLsn("1/ff000000"))).isEqualTo("1/FF000000");
        assertThat(WalPosition.parse("000000010000000000000001.history", SIZE)).isNull();
    }

    /** Retention keeps what the oldest base backup kept needs: from the segment holding its start on, on every timeline. */
    @Test
    void segmentsBeforeTheOldestBaseBackupKeptAreDeletedAndTheRestKeptWhole() {
        WalArchive archive = new WalArchive(Repository.open(new LocalStore(tmp), "app", null, true));
        archive.writeInfo(new WalArchive.Info("7300000000000000001", SIZE));
        byte[] segment = new byte[1024];
        for (int n = 1; n <= 6; n++) {
            archive.putSegment(new WalPosition.Segment(1, n).name(SIZE), segment, segment.length);
        }
        archive.putSegment(new WalPosition.Segment(2, 7).name(SIZE), segment, segment.length);
        archive.putPartial(new WalPosition.Segment(2, 8).name(SIZE), segment, 10);
        assertThat(archive.deleteBefore(4 * SIZE + 12345)).isEqualTo(3);
        assertThat(archive.list(SIZE)).extracting(e -> e.segment().number()).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(archive.read(archive.list(SIZE).get(4))).hasSize(10);
    }

    /** The empty partial written when a segment completes marks the archive's end: losing the newest complete segment is a hole. */
    @Test
    void aLostNewestCompleteSegmentIsAHoleBeforeTheEmptyPartialThatEndsTheArchive() throws Exception {
        WalArchive archive = new WalArchive(Repository.open(new LocalStore(tmp), "app", null, true));
        archive.writeInfo(new WalArchive.Info("7300000000000000001", SIZE));
        byte[] segment = new byte[1024];
        for (int n = 1; n <= 3; n++) {
            archive.putSegment(new WalPosition.Segment(1, n).name(SIZE), segment, segment.length);
        }
        archive.putPartial(new WalPosition.Segment(1, 4).name(SIZE), new byte[0], 0);
        PointInTimeRecovery.Base base = new PointInTimeRecovery.Base(SIZE + 40, SIZE + 4000, 1);
        assertThat(archive.chain(base)).extracting(WalArchive.Entry::name, WalArchive.Entry::partial).containsExactly(
                org.assertj.core.groups.Tuple.tuple("000000010000000000000001", false), org.assertj.core.groups.Tuple.tuple("000000010000000000000002", false),
                org.assertj.core.groups.Tuple.tuple("000000010000000000000003", false), org.assertj.core.groups.Tuple.tuple("000000010000000000000004", true));
        assertThat(archive.read(archive.chain(base).get(3))).isEmpty();
        new LocalStore(tmp).delete("app/wal/000000010000000000000003");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> archive.chain(base)).hasMessageStartingWith(
                "WAL segment 000000010000000000000003 is missing from the archive: recovery cannot go past 0/3000000");
    }
}
