package dev.headway.jdbc;

import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * What differs between the three databases: column types, how JSON is bound, and how concurrent
 * migrations are kept apart. Table names come from a validated prefix, never from user input.
 */
enum Dialect {
  H2("H2") {
    @Override
    List<String> createTables(String p) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + p + "jobs ("
              + "job_id VARCHAR(200) NOT NULL PRIMARY KEY, type VARCHAR(100), parent_id VARCHAR(200), "
              + "status VARCHAR(16) NOT NULL, attempt INT NOT NULL, version BIGINT NOT NULL, "
              + "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, finished_at BIGINT, "
              + "progress CHARACTER VARYING(1000000) NOT NULL, state CHARACTER VARYING(1000000) NOT NULL)",
          "CREATE TABLE IF NOT EXISTS " + p + "timeline ("
              + "job_id VARCHAR(200) NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, "
              + "event VARCHAR(100) NOT NULL, details CHARACTER VARYING(1000000) NOT NULL, "
              + "PRIMARY KEY (job_id, seq))");
    }
  },

  POSTGRESQL("PostgreSQL") {
    @Override
    List<String> createTables(String p) {
      // COLLATE "C": ids sort by code point, as Java's String.compareTo does, whatever the
      // database's locale. progress is jsonb so it can carry a GIN index (seed 003).
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + p + "jobs ("
              + "job_id VARCHAR(200) COLLATE \"C\" NOT NULL PRIMARY KEY, type VARCHAR(100), "
              + "parent_id VARCHAR(200) COLLATE \"C\", status VARCHAR(16) NOT NULL, attempt INT NOT NULL, "
              + "version BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "
              + "finished_at BIGINT, progress JSONB NOT NULL, state TEXT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS " + p + "timeline ("
              + "job_id VARCHAR(200) COLLATE \"C\" NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, "
              + "event VARCHAR(100) NOT NULL, details TEXT NOT NULL, PRIMARY KEY (job_id, seq))");
    }

    @Override
    String epochMicrosQuery() {
      // clock_timestamp(), not now(): now() is the start of the transaction.
      return "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)";
    }

    @Override
    List<String> progressIndex(String p) {
      return List.of("CREATE INDEX IF NOT EXISTS " + p + "jobs_progress_gin ON " + p + "jobs USING GIN (progress)");
    }

    @Override
    String jsonPlaceholder() {
      return "CAST(? AS JSONB)";
    }

    @Override
    void lockMigrations(Handle h, String p) {
      h.createQuery("SELECT pg_advisory_lock(:key)").bind("key", lockKey(p)).mapTo(String.class).one();
    }

    @Override
    void unlockMigrations(Handle h, String p) {
      h.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", lockKey(p)).mapTo(Boolean.class).one();
    }
  },

  MARIADB("MariaDB") {
    @Override
    List<String> createTables(String p) {
      // utf8mb4_bin: ids are case-sensitive and sort by code point, as everywhere else.
      String table = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + p + "jobs ("
              + "job_id VARCHAR(200) NOT NULL PRIMARY KEY, type VARCHAR(100), parent_id VARCHAR(200), "
              + "status VARCHAR(16) NOT NULL, attempt INT NOT NULL, version BIGINT NOT NULL, "
              + "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, finished_at BIGINT, "
              + "progress JSON NOT NULL, state LONGTEXT NOT NULL)" + table,
          "CREATE TABLE IF NOT EXISTS " + p + "timeline ("
              + "job_id VARCHAR(200) NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, "
              + "event VARCHAR(100) NOT NULL, details LONGTEXT NOT NULL, PRIMARY KEY (job_id, seq))" + table);
    }

    @Override
    String epochMicrosQuery() {
      return "SELECT CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)";
    }

    @Override
    void lockMigrations(Handle h, String p) {
      Integer got = h.createQuery("SELECT GET_LOCK(:name, 60)").bind("name", p + "migrate").mapTo(Integer.class).one();
      if (got == null || got != 1) {
        throw new IllegalStateException("could not take the migration lock " + p + "migrate within 60 s");
      }
    }

    @Override
    void unlockMigrations(Handle h, String p) {
      h.createQuery("SELECT RELEASE_LOCK(:name)").bind("name", p + "migrate").mapTo(Integer.class).one();
    }
  };

  private final String displayName;

  Dialect(String displayName) {
    this.displayName = displayName;
  }

  String displayName() {
    return displayName;
  }

  /** DDL of the tables of schema version 1. */
  abstract List<String> createTables(String prefix);

  /** Indexes every query of the SPI uses. */
  List<String> indexes(String p) {
    return List.of(
        "CREATE INDEX IF NOT EXISTS " + p + "jobs_status ON " + p + "jobs " + statusIndexColumns(),
        // type: no updated_at, so an update (which moves updated_at) has one index fewer to rewrite
        "CREATE INDEX IF NOT EXISTS " + p + "jobs_type ON " + p + "jobs (type)",
        "CREATE INDEX IF NOT EXISTS " + p + "jobs_parent ON " + p + "jobs (parent_id, created_at, job_id)",
        "CREATE INDEX IF NOT EXISTS " + p + "jobs_updated ON " + p + "jobs (updated_at, job_id)",
        "CREATE INDEX IF NOT EXISTS " + p + "jobs_finished ON " + p + "jobs (finished_at)");
  }

  /**
   * An index into the progress document, for SQL of the user's own that searches inside it (seed
   * 003's GIN index). None of Headway's queries needs it, and it costs every write: on PostgreSQL
   * a GIN index on a document that changes with every update makes each write about 40% slower.
   * So it is created only when asked for, and only where the database has one (PostgreSQL).
   */
  List<String> progressIndex(String prefix) {
    return List.of();
  }

  /**
   * Columns of the status index, in the order dashboards ask for: newest first. PostgreSQL and
   * MariaDB scan an index backwards for that; H2 only sorts by an index in its own direction.
   */
  String statusIndexColumns() {
    return this == H2 ? "(status, updated_at DESC, job_id DESC)" : "(status, updated_at, job_id)";
  }

  /** A query of one row, one BIGINT: the database's current time in microseconds since 1970. */
  String epochMicrosQuery() {
    return "SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(6)) * 1000000 AS BIGINT)";
  }

  /** The SQL that binds a positional JSON parameter into a JSON column. */
  String jsonPlaceholder() {
    return "?";
  }

  /**
   * Keeps two processes that start at once from migrating together. H2 runs embedded in one
   * process and serializes DDL itself, so the JVM-wide lock in {@link Schema} is enough there.
   */
  void lockMigrations(Handle h, String prefix) {}

  void unlockMigrations(Handle h, String prefix) {}

  private static long lockKey(String prefix) {
    return 0x4865616477617900L ^ prefix.hashCode(); // "Headway" and the prefix
  }

  /** The dialect of a database product name from its JDBC metadata. */
  static Dialect of(String productName) {
    String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (name.equals("h2")) {
      return H2;
    }
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    throw new UnsupportedDatabaseException("the database \"" + productName + "\"");
  }

  /** Checks a JDBC URL names a supported database before any driver is asked to open it. */
  static void checkUrl(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (!(u.startsWith("jdbc:h2:") || u.startsWith("jdbc:postgresql:") || u.startsWith("jdbc:mariadb:")
        || u.startsWith("jdbc:mysql:"))) {
      int end = u.indexOf(':', 5);
      throw new UnsupportedDatabaseException("a URL of kind \"" + (end > 0 ? url.substring(0, end) : url) + "\"");
    }
  }
}
