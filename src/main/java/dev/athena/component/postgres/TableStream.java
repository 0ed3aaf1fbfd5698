package dev.athena.component.postgres;

import java.util.List;

/**
 * Rows of one table dumped as a stream of their own ({@code COPY ... TO STDOUT}, text format, in
 * the database's encoding, exactly as pg_dump writes table data) beside the pg_dump archive, which
 * holds the table's definition but not its rows. {@code columns} are the stored columns in order
 * (generated and dropped ones left out, as pg_dump does). {@code rows} is how many the stream holds.
 *
 * <p>A large table may be split into parts, each the rows of a range of the table's pages
 * ({@code fromPage} inclusive to {@code toPage} exclusive, null for the last part: to the end),
 * so several sessions read it at once (a single COPY is bound by one server process). The parts,
 * in order, hold the rows in the order of one whole scan. Both are null for a whole table.
 */
public record TableStream(String schema, String table, List<String> columns, String file, long bytes, Long rows, Long fromPage,
                          Long toPage) {

    String qualifiedName() {
        return PostgresComponent.ident(schema) + "." + PostgresComponent.ident(table);
    }

    private String columnList() {
        return String.join(", ", columns.stream().map(PostgresComponent::ident).toList());
    }

    private static String encoding(String encoding) {
        return " WITH (ENCODING " + PostgresComponent.literal(encoding) + ")";
    }

    /** The COPY that reads these rows, in {@code encoding} (the database's, as pg_dump writes it) whatever the session's encoding. */
    String copyOut(String encoding) {
        if (fromPage == null) {
            return "COPY " + qualifiedName() + (columns.isEmpty() ? "" : " (" + columnList() + ")") + " TO STDOUT" + encoding(encoding);
        }
        String range = "ctid >= '(" + fromPage + ",0)'::tid" + (toPage == null ? "" : " AND ctid < '(" + toPage + ",0)'::tid");
        return "COPY (SELECT " + columnList() + " FROM ONLY " + qualifiedName() + " WHERE " + range + ") TO STDOUT" + encoding(encoding);
    }

    /** The COPY that loads these rows back. */
    String copyIn(String encoding) {
        return "COPY " + qualifiedName() + (columns.isEmpty() ? "" : " (" + columnList() + ")") + " FROM STDIN" + encoding(encoding);
    }

    /** A pg_dump pattern matching this table alone: quoted, so no character in the name acts as a wildcard. */
    String dumpPattern() {
        return qualifiedName();
    }

    String display() {
        return schema + "." + table;
    }

    TableStream done(long bytes, long rows) {
        return new TableStream(schema, table, columns, file, bytes, rows, fromPage, toPage);
    }
}
