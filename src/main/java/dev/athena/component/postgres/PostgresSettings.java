package dev.athena.component.postgres;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How to reach the platform's PostgreSQL. The password is left out of {@link #toString()}. */
public record PostgresSettings(String host, int port, String user, String password, List<String> databases,
                               Optional<Path> binDir, Path scratch, int jobs) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + (databases.isEmpty() ? "" : " " + databases);
    }
}
