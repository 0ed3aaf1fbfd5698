package dev.athena.component.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import dev.athena.component.ExternalCommand;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one database without ever leaving it half-written: the dump goes into a fresh database
 * under a temporary name ({@link DatabaseLoad}), and only when it has loaded without error is the old database renamed away,
 * the new one renamed into its place, and the old one dropped. A failure before the swap drops
 * the temporary database and leaves the existing one as it was.
 */
final class DatabaseSwap {
    private static final Logger log = LoggerFactory.getLogger(DatabaseSwap.class);
    /** TOC entries of the database itself, restored after the swap under the database's real name. */
    private static final Pattern DATABASE_LEVEL = Pattern.compile("^\\d+; \\d+ \\d+ (COMMENT - DATABASE |ACL - DATABASE |DATABASE PROPERTIES |SECURITY LABEL - DATABASE ).*");

    private final PostgresComponent component;
    private final PostgresTools tools;
    private final PostgresSettings settings;

    DatabaseSwap(PostgresComponent component, PostgresTools tools, PostgresSettings settings) {
        this.component = component;
        this.tools = tools;
        this.settings = settings;
    }

    void restore(PostgresComponent.Database db, Path dump, DatabaseLoad.Rows rows) throws Exception {
        restore(db, db.name(), dump, rows);
    }

    /** {@code db} as named here, from the dump of the database named {@code sourceName} (another name: an item-level restore, a drill). */
    void restore(PostgresComponent.Database db, String sourceName, Path dump, DatabaseLoad.Rows rows) throws Exception {
        String tmp = "athena_restore_" + shortHash(db.name());
        String old = "athena_replaced_" + shortHash(db.name());
        try (Connection admin = component.connect("template1")) {
            exec(admin, "DROP DATABASE IF EXISTS " + PostgresComponent.ident(tmp) + " WITH (FORCE)");
            String owner = roleExists(admin, db.owner()) ? db.owner() : PostgresComponent.queryString(admin, "SELECT current_user");
            StringBuilder create = new StringBuilder("CREATE DATABASE ").append(PostgresComponent.ident(tmp))
                    .append(" WITH TEMPLATE template0 ENCODING ").append(PostgresComponent.literal(db.encoding()))
                    .append(" LC_COLLATE ").append(PostgresComponent.literal(db.collate()))
                    .append(" LC_CTYPE ").append(PostgresComponent.literal(db.ctype()))
                    .append(" OWNER ").append(PostgresComponent.ident(owner));
            if ("i".equals(db.localeProvider()) && db.iculocale() != null) {
                create.append(" LOCALE_PROVIDER icu ICU_LOCALE ").append(PostgresComponent.literal(db.iculocale()));
            } else if ("b".equals(db.localeProvider()) && db.iculocale() != null) {
                create.append(" LOCALE_PROVIDER builtin BUILTIN_LOCALE ").append(PostgresComponent.literal(db.iculocale()));
            }
            exec(admin, create.toString());
        }
        try {
            new DatabaseLoad(component, tools, settings).into(tmp, db, dump, rows);
        } catch (Exception e) {
            try (Connection admin = component.connect("template1")) {
                exec(admin, "DROP DATABASE IF EXISTS " + PostgresComponent.ident(tmp) + " WITH (FORCE)");
            }
            throw new IOException("database " + db.name() + " was not restored and keeps its previous state: " + e.getMessage(), e);
        }
        swap(db.name(), tmp, old);
        restoreDatabaseProperties(dump, sourceName, db.name());
        log.info("restored database {} ({} tables)", db.name(), db.tables().size());
    }

    private void swap(String name, String tmp, String old) throws SQLException {
        try (Connection admin = component.connect("template1")) {
            boolean exists = databaseExists(admin, name);
            exec(admin, "DROP DATABASE IF EXISTS " + PostgresComponent.ident(old) + " WITH (FORCE)");
            if (exists) {
                // Sessions on the old database would block the rename; the platform reconnects to the new one.
                exec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " + PostgresComponent.literal(name)
                        + " AND pid <> pg_backend_pid()");
                exec(admin, "ALTER DATABASE " + PostgresComponent.ident(name) + " RENAME TO " + PostgresComponent.ident(old));
            }
            try {
                exec(admin, "ALTER DATABASE " + PostgresComponent.ident(tmp) + " RENAME TO " + PostgresComponent.ident(name));
            } catch (SQLException e) {
                if (exists) {
                    exec(admin, "ALTER DATABASE " + PostgresComponent.ident(old) + " RENAME TO " + PostgresComponent.ident(name));
                }
                throw e;
            }
            if (exists) {
                exec(admin, "DROP DATABASE " + PostgresComponent.ident(old) + " WITH (FORCE)");
            }
        }
    }

    /** Settings (ALTER DATABASE ... SET), comment and grants of the database, as pg_dump --create recorded them. */
    private void restoreDatabaseProperties(Path dump, String sourceName, String name) throws Exception {
        ExternalCommand.Result toc = tools.command("template1", "pg_restore", "-l", "--create", dump.toString()).check();
        List<String> entries = toc.stdout().lines().filter(l -> DATABASE_LEVEL.matcher(l).matches()).toList();
        if (entries.isEmpty()) {
            return;
        }
        Path list = dump.resolveSibling(dump.getFileName() + ".properties.list");
        Path sql = dump.resolveSibling(dump.getFileName() + ".properties.sql");
        Files.write(list, entries, StandardCharsets.UTF_8);
        tools.command("template1", "pg_restore", "--create", "-L", list.toString(), "-f", sql.toString(), dump.toString()).check();
        // Said of the source's name: a copy under another name takes them itself, and leaves the database of that name alone.
        List<String> statements = Files.readAllLines(sql, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("CREATE DATABASE ") && !l.startsWith("\\")).map(l -> renamed(l, sourceName, name)).toList();
        Files.write(sql, statements, StandardCharsets.UTF_8);
        tools.command("template1", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", sql.toString()).check();
    }

    /** {@code statement} with the database it names ({@code DATABASE source}, as pg_dump writes the name) named {@code target}. */
    static String renamed(String statement, String source, String target) {
        if (source.equals(target)) {
            return statement;
        }
        String quoted = Pattern.quote(PostgresComponent.ident(source));
        String name = source.matches("[a-z_][a-z0-9_$]*") ? "(?:" + quoted + "|" + Pattern.quote(source) + ")" : quoted;
        return statement.replaceAll("(DATABASE )" + name + "(?=[ ;]|$)", "$1" + java.util.regex.Matcher.quoteReplacement(PostgresComponent.ident(target)));
    }

    private static boolean roleExists(Connection c, String role) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            s.setString(1, role);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean databaseExists(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String shortHash(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
