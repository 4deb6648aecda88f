package dev.headway.jdbc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the tables. Migrations are numbered and only go forward; each one's DDL is
 * idempotent ({@code IF NOT EXISTS}), its number is recorded in {@code <prefix>schema_version},
 * and a database lock (advisory on PostgreSQL, {@code GET_LOCK} on MariaDB) keeps two processes
 * that start at once from running them together.
 */
final class Schema {
  private static final Logger log = LoggerFactory.getLogger(Schema.class);
  private static final Object JVM_LOCK = new Object();

  /**
   * The schema version this code writes. Version 2 adds no DDL: it marks tables whose timeline may
   * hold rows of dropped events awaiting their run's DELETE, which Headway before it would read as
   * kept events, so that an older Headway refuses the tables instead of misreading them.
   */
  static final int CURRENT = 2;

  private Schema() {}

  /**
   * Creates or upgrades the tables, and with {@code progressIndex} also the index into the
   * progress document (created even on tables made without it; never dropped by Headway).
   */
  static void migrate(Jdbi jdbi, Dialect dialect, String prefix, boolean progressIndex) {
    synchronized (JVM_LOCK) {
      jdbi.useHandle(h -> {
        // Lock first: PostgreSQL can fail two concurrent CREATE TABLE IF NOT EXISTS of one table.
        dialect.lockMigrations(h, prefix);
        try {
          h.execute("CREATE TABLE IF NOT EXISTS " + prefix + "schema_version ("
              + "version INT NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
          Set<Integer> applied = new HashSet<>(h.createQuery("SELECT version FROM " + prefix + "schema_version")
              .mapTo(Integer.class).list());
          int newest = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
          if (newest > CURRENT) {
            throw new IllegalStateException("the tables with prefix " + prefix + " are at schema version "
                + newest + ", newer than this Headway (" + CURRENT + "); upgrade Headway");
          }
          if (!applied.contains(1)) {
            List<String> ddl = new ArrayList<>(dialect.createTables(prefix));
            ddl.addAll(dialect.indexes(prefix));
            for (String statement : ddl) {
              h.execute(statement);
            }
            recordVersion(h, prefix, 1, "jobs and timeline tables");
            log.info("created Headway tables with prefix {} on {}", prefix, dialect.displayName());
          }
          if (!applied.contains(2)) {
            recordVersion(h, prefix, 2, "timeline rows of dropped events are deleted in runs");
          }
          if (progressIndex) {
            for (String statement : dialect.progressIndex(prefix)) {
              h.execute(statement);
            }
          }
        } finally {
          dialect.unlockMigrations(h, prefix);
        }
      });
    }
  }

  private static void recordVersion(Handle h, String prefix, int version, String description) {
    h.createUpdate("INSERT INTO " + prefix + "schema_version (version, description, applied_at) VALUES (:v, :d, :at)")
        .bind("v", version)
        .bind("d", description)
        .bind("at", System.currentTimeMillis())
        .execute();
  }
}
