package dev.athena.repository;

/** Where one blob lies: its pack, its byte range there (sealed form) and its plaintext length. */
public record BlobLocation(BlobId pack, BlobType type, long offset, int length, int rawLength) {
}
