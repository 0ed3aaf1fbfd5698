package dev.athena.component.postgres;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to reach the platform's PostgreSQL, and how to dump it: {@code jobs} sessions at a time,
 * tables of at least {@code streamTableBytes} each dumped as a stream of their own beside
 * pg_dump's archive. {@code sslMode} is libpq's (the JDBC driver and the tools get the same),
 * {@code sslRootCert} the CA certificate that verify-ca and verify-full check the server's
 * against. The password is left out of {@link #toString()}.
 */
public record PostgresSettings(String host, int port, String user, String password, List<String> databases,
                               Optional<Path> binDir, Path scratch, int jobs, long streamTableBytes, String sslMode,
                               Optional<Path> sslRootCert) {
    public static final long DEFAULT_STREAM_TABLE_BYTES = 32L * 1024 * 1024;
    /** libpq's modes; {@code prefer} (encrypt when the server offers it, without checking its certificate) is libpq's default too. */
    public static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    public PostgresSettings(String host, int port, String user, String password, List<String> databases, Optional<Path> binDir, Path scratch,
                            int jobs, long streamTableBytes) {
        this(host, port, user, password, databases, binDir, scratch, jobs, streamTableBytes, "prefer", Optional.empty());
    }

    public PostgresSettings(String host, int port, String user, String password, List<String> databases, Optional<Path> binDir, Path scratch,
                            int jobs) {
        this(host, port, user, password, databases, binDir, scratch, jobs, DEFAULT_STREAM_TABLE_BYTES);
    }

    /** The JDBC driver's connection properties: the account, TLS as {@code sslMode} says, a 15-second connect timeout. */
    public java.util.Properties jdbcProperties() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "15");
        p.setProperty("ApplicationName", "athena");
        p.setProperty("sslmode", sslMode);
        sslRootCert.ifPresent(cert -> p.setProperty("sslrootcert", cert.toString()));
        return p;
    }

    /** The server as point-in-time recovery reaches it. */
    public dev.athena.component.postgres.pitr.ServerAddress address() {
        return new dev.athena.component.postgres.pitr.ServerAddress(host, port, user, jdbcProperties());
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + (databases.isEmpty() ? "" : " " + databases) + " sslmode=" + sslMode;
    }
}
