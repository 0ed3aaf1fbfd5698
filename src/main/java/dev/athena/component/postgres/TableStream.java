package dev.athena.component.postgres;

import java.util.List;

/**
 * A table whose rows were dumped as their own stream ({@code COPY ... TO STDOUT}, text format, in
 * the database's encoding, exactly as pg_dump writes table data) beside the pg_dump archive, which
 * holds its definition but not its rows. {@code columns} are the stored columns in order
 * (generated and dropped ones left out, as pg_dump does).
 */
public record TableStream(String schema, String table, List<String> columns, String file, long bytes) {

    String qualifiedName() {
        return PostgresComponent.ident(schema) + "." + PostgresComponent.ident(table);
    }

    /**
     * The COPY statement for this table, {@code TO STDOUT} or {@code FROM STDIN}, its data in
     * {@code encoding} (the database's, as pg_dump writes it) whatever the session's encoding.
     */
    String copy(String direction, String encoding) {
        String list = columns.isEmpty() ? "" : " (" + String.join(", ", columns.stream().map(PostgresComponent::ident).toList()) + ")";
        return "COPY " + qualifiedName() + list + " " + direction + " WITH (ENCODING " + PostgresComponent.literal(encoding) + ")";
    }

    /** A pg_dump pattern matching this table alone: quoted, so no character in the name acts as a wildcard. */
    String dumpPattern() {
        return qualifiedName();
    }

    String display() {
        return schema + "." + table;
    }
}
