package dev.athena.component.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A database restored under another name takes its properties itself: pg_dump's statements are said of the new name. */
class DatabasePropertiesRenameTest {
    @Test
    void theStatementsNameTheCopyNotTheOriginal() {
        assertThat(DatabaseSwap.renamed("COMMENT ON DATABASE shop IS 'the shop';", "shop", "athena_drill_x_shop"))
                .isEqualTo("COMMENT ON DATABASE \"athena_drill_x_shop\" IS 'the shop';");
        assertThat(DatabaseSwap.renamed("ALTER DATABASE shop SET work_mem TO '8MB';", "shop", "shop_restored"))
                .isEqualTo("ALTER DATABASE \"shop_restored\" SET work_mem TO '8MB';");
        assertThat(DatabaseSwap.renamed("GRANT CONNECT ON DATABASE \"Big Shop\" TO clerk;", "Big Shop", "copy"))
                .isEqualTo("GRANT CONNECT ON DATABASE \"copy\" TO clerk;");
        assertThat(DatabaseSwap.renamed("COMMENT ON DATABASE shopping IS 'x';", "shop", "copy")).as("another database").contains("shopping");
        assertThat(DatabaseSwap.renamed("ALTER DATABASE shop SET x = 1;", "shop", "shop")).isEqualTo("ALTER DATABASE shop SET x = 1;");
    }
}
