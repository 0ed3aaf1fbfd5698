package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.storage.LocalStore;
import dev.athena.storage.StoredObject;
import dev.athena.testing.Trees;

class EncryptionTest {
    @TempDir
    Path tmp;

    @Test
    void withAKeyNoDataNameOrMetadataIsStoredInTheClear() throws Exception {
        Path source = tmp.resolve("source");
        byte[] secret = new byte[300_000];
        new Random(9).nextBytes(secret);
        Trees.write(source.resolve("customer-ledger-2023.csv"), secret);
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        Repository repo = Repository.open(store, "app", "s3cr3t-passphrase", true);
        new BackupCommand(repo).volume("metagraph", source).timestamp("2023-02-02t16-00-00").call();

        byte[] window = java.util.Arrays.copyOfRange(secret, 1000, 1064);
        for (StoredObject o : store.list("app/")) {
            byte[] stored = store.get(o.key());
            String text = new String(stored, StandardCharsets.ISO_8859_1);
            assertThat(text).as(o.key()).doesNotContain("customer-ledger").doesNotContain("s3cr3t-passphrase");
            assertThat(indexOf(stored, window)).as(o.key()).isEqualTo(-1);
            if (o.key().endsWith("manifest.json")) {
                assertThat(text).doesNotContain("metagraph");
            }
        }
    }

    @Test
    void aMissingOrWrongKeyIsAClearError() {
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        Repository.open(store, "app", "right", true);
        assertThatThrownBy(() -> Repository.open(store, "app", "not-the-key-xyz", false))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("ATHENA_ENCRYPTION_KEY does not open").hasMessageNotContaining("not-the-key-xyz");
        assertThatThrownBy(() -> Repository.open(store, "app", null, false))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("is encrypted: set ATHENA_ENCRYPTION_KEY");
    }

    @Test
    void aTamperedEnvelopeIsRejected() {
        Envelope e = Envelope.aesGcm(new byte[32]);
        byte[] sealed = e.seal("hello".getBytes());
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> e.open(sealed)).isInstanceOf(CorruptDataException.class).hasMessageContaining("authentication failed");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
