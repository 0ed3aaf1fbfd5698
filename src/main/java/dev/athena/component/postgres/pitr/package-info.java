/**
 * Point-in-time recovery of PostgreSQL: base backups taken over the replication protocol
 * ({@link dev.athena.component.postgres.pitr.BaseBackup}), the write-ahead log archived
 * continuously into the repository ({@link dev.athena.component.postgres.pitr.WalArchiver},
 * {@link dev.athena.component.postgres.pitr.WalArchive}, {@link dev.athena.component.postgres.pitr.WalPosition}),
 * and a cluster recovered from them to a chosen moment
 * ({@link dev.athena.component.postgres.pitr.PointInTimeRecovery}).
 */
package dev.athena.component.postgres.pitr;
