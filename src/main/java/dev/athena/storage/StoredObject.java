package dev.athena.storage;

import java.time.Instant;

/** One object in a listing. */
public record StoredObject(String key, long size, Instant lastModified) {
}
