package dev.athena.repository;

import java.util.function.Predicate;

import dev.athena.storage.ObjectStore;
import dev.athena.storage.StoredObject;

/**
 * Claim-and-list, the one exclusion protocol Athena builds on any store (docs/repository-format.md
 * section 12): write a claim object under a prefix, list the prefix, and own what it guards only
 * when the listing shows no other object that counts. Two claimants cannot both win on a store
 * whose listings show every write completed before them: whichever listed last sees the other's
 * claim. Both may lose a close race; the caller then tries again or moves on. A lost claim is
 * deleted.
 */
final class StoreClaim {
    private StoreClaim() {
    }

    /** Writes {@code own} ({@code content}) and returns true if no other object under {@code prefix} that {@code counts} is there. */
    static boolean claim(ObjectStore store, String prefix, String own, byte[] content, Predicate<StoredObject> counts) {
        store.put(own, content);
        boolean alone = store.list(prefix).stream().noneMatch(o -> !o.key().equals(own) && counts.test(o));
        if (!alone) {
            store.delete(own);
        }
        return alone;
    }
}
