package dev.athena.component.postgres.pitr;

import java.util.Properties;

/**
 * How point-in-time recovery reaches the PostgreSQL server: host, port, user and the JDBC
 * driver's connection properties (the password and TLS settings among them; never printed).
 */
public record ServerAddress(String host, int port, String user, Properties jdbcProperties) {
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A copy of the properties, which the caller may add to. */
    @Override
    public Properties jdbcProperties() {
        Properties copy = new Properties();
        copy.putAll(jdbcProperties);
        return copy;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
