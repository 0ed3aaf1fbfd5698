/**
 * Point-in-time recovery of PostgreSQL, below the postgres component (which takes the base
 * backups and calls on this package; nothing here depends on it): the write-ahead log archived
 * continuously into the repository ({@link dev.athena.component.postgres.pitr.WalArchiver},
 * {@link dev.athena.component.postgres.pitr.WalArchive}, {@link dev.athena.component.postgres.pitr.WalPosition}),
 * and a cluster recovered from them to a chosen moment
 * ({@link dev.athena.component.postgres.pitr.PointInTimeRecovery}).
 */
package dev.athena.component.postgres.pitr;
