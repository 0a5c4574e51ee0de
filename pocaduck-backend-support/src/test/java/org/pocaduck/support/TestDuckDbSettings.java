package org.pocaduck.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings reach a real DuckDB: no automatic extension loading, results streamed, the memory
 * limit and thread count taken, a new file written in the storage version DuckDB 1.2 reads, and a
 * read-only open that refuses writes.
 */
class TestDuckDbSettings {
    @TempDir
    Path dir;

    private static String setting(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void everySettingReachesDuckDb() throws SQLException {
        String url = "jdbc:duckdb:" + dir.resolve("settings.duckdb");
        try (Connection connection = DriverManager.getConnection(url, DuckDbSettings.base().compatibleStorage()
                .streamResults().memoryLimit(64L << 20).threads(1).properties())) {
            assertThat(setting(connection, "autoinstall_known_extensions")).isEqualTo("false");
            assertThat(setting(connection, "autoload_known_extensions")).isEqualTo("false");
            assertThat(setting(connection, "jdbc_stream_results")).isEqualTo("true");
            assertThat(setting(connection, "memory_limit")).isEqualTo("64.0 MiB");
            assertThat(setting(connection, "threads")).isEqualTo("1");
            assertThat(setting(connection, "storage_compatibility_version"))
                    .isEqualTo(DuckDbSettings.STORAGE_VERSION);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t AS SELECT 1 AS x");
            }
        }
        try (Connection connection = DriverManager.getConnection(url, DuckDbSettings.base().readOnly().properties());
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT x FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThatThrownBy(() -> statement.execute("INSERT INTO t VALUES (2)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void eachSettingIsANewValue() {
        DuckDbSettings base = DuckDbSettings.base();
        base.streamResults();
        assertThat(base.properties()).doesNotContainKey("jdbc_stream_results");
        assertThat(base.memoryLimit(100).properties()).containsEntry("memory_limit", "1MiB");
    }
}
