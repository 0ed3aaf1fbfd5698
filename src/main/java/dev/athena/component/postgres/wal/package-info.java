/**
 * PostgreSQL's write-ahead log archived continuously into the repository, for point-in-time
 * recovery: the stream read over the replication protocol ({@link dev.athena.component.postgres.wal.WalArchiver}),
 * segment names and positions ({@link dev.athena.component.postgres.wal.WalPosition}), and where
 * segments are kept ({@link dev.athena.component.postgres.wal.WalArchive}).
 */
package dev.athena.component.postgres.wal;
