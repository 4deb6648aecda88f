package dev.headway.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.opentest4j.TestAbortedException;

/**
 * Where the tests find their databases. PostgreSQL and MariaDB come from environment variables
 * with loopback defaults; when a server cannot be reached the tests that need it are skipped with
 * a visible message, unless {@code HEADWAY_REQUIRE_DATABASES=1}, when they fail instead.
 */
public final class TestDatabases {
  /** The databases the store supports. */
  public enum Kind { H2, POSTGRESQL, MARIADB }

  private static final Map<Kind, HikariDataSource> POOLS = new ConcurrentHashMap<>();

  private TestDatabases() {}

  public static String url(Kind kind) {
    return switch (kind) {
      case H2 -> "jdbc:h2:file:" + h2Dir().resolve("contract").toAbsolutePath() + ";WRITE_DELAY=0";
      case POSTGRESQL -> env("HEADWAY_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
      case MARIADB -> env("HEADWAY_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    };
  }

  public static String user(Kind kind) {
    return switch (kind) {
      case H2 -> "sa";
      case POSTGRESQL -> env("HEADWAY_PG_USER", "postgres");
      case MARIADB -> env("HEADWAY_MARIADB_USER", "root");
    };
  }

  public static String password(Kind kind) {
    return switch (kind) {
      case H2 -> "";
      case POSTGRESQL -> env("HEADWAY_PG_PASSWORD", "");
      case MARIADB -> env("HEADWAY_MARIADB_PASSWORD", "");
    };
  }

  /** A shared pool for the database, or a skipped (or, when required, failed) test. */
  public static DataSource dataSource(Kind kind) {
    return POOLS.computeIfAbsent(kind, TestDatabases::open);
  }

  /** Deletes every row of the tables with this prefix, if they exist. */
  public static void clear(DataSource ds, String prefix) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String table : new String[] {"timeline", "jobs"}) {
        try {
          s.executeUpdate("DELETE FROM " + prefix + table);
        } catch (java.sql.SQLException e) {
          // not created yet
          if (!c.getAutoCommit()) {
            c.rollback();
          }
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not clear test tables: " + e.getMessage(), e);
    }
  }

  /** Drops the tables of a prefix (for tests that need a fresh schema). */
  public static void drop(DataSource ds, String prefix) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String table : new String[] {"timeline", "jobs", "schema_version"}) {
        s.executeUpdate("DROP TABLE IF EXISTS " + prefix + table);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not drop test tables: " + e.getMessage(), e);
    }
  }

  public static boolean required() {
    return "1".equals(System.getenv("HEADWAY_REQUIRE_DATABASES"));
  }

  public static Path h2Dir() {
    try {
      Path dir = Path.of("target", "h2");
      Files.createDirectories(dir);
      return dir;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HikariDataSource open(Kind kind) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url(kind));
    config.setUsername(user(kind));
    config.setPassword(password(kind));
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(1);
    config.setPoolName("test-" + kind);
    config.setInitializationFailTimeout(5_000);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      String message = kind + " is not reachable at " + url(kind) + " (" + e.getMessage() + ")";
      if (required()) {
        throw new IllegalStateException(message + "; HEADWAY_REQUIRE_DATABASES=1 requires it", e);
      }
      System.err.println("SKIPPED: " + message + "; set HEADWAY_REQUIRE_DATABASES=1 to make this a failure");
      throw new TestAbortedException("SKIPPED: " + message);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
