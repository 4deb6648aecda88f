package dev.headway.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.headway.jdbc.JdbcProgressStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Headway's tables for one sink's run: a pool and table prefix of its own, Headway's store over
 * them, and for sinks that write the row by hand a statement kept per benchmark thread on a
 * connection of its own (the cheapest way to run one). Closing drops the tables: a shared server
 * keeps nothing of a finished run.
 */
final class HeadwayTables implements AutoCloseable {
  private final HikariDataSource pool;
  private final String prefix;
  private final String jsonPlaceholder;
  private final Map<Thread, PreparedStatement> kept = new ConcurrentHashMap<>();

  /** Tables {@code <kind><hash of runName>_*}, created by the first store opened on them. */
  HeadwayTables(BenchDb db, String runName, String kind) {
    this.pool = db.pool(runName, 10);
    this.prefix = kind + Math.abs(runName.hashCode() % 100000) + "_";
    this.jsonPlaceholder = db == BenchDb.PG ? "CAST(? AS JSONB)" : "?";
  }

  /** A Headway store on these tables (it creates them and their indexes on first open). */
  JdbcProgressStore openStore() {
    return JdbcProgressStore.builder().dataSource(pool).tablePrefix(prefix).build();
  }

  HikariDataSource pool() {
    return pool;
  }

  /**
   * The time in microseconds, as Headway writes {@code updated_at}. Not milliseconds: reports a
   * few microseconds apart would then often write the same {@code updated_at}, and PostgreSQL
   * updates a row whose indexed columns are unchanged in place (HOT) without touching its indexes,
   * which Headway's writes never get. The sinks that stand for Headway's row must pay what it pays.
   */
  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /** The jobs table's name. */
  String jobs() {
    return prefix + "jobs";
  }

  /**
   * The UPDATE of one job's row that the row-writing sinks share: {@code version} as given, then
   * {@code updated_at}, the progress document and the stored state, by job id.
   */
  String rowUpdateSql(String versionSet) {
    return "UPDATE " + jobs() + " SET " + versionSet + ", updated_at = ?, progress = " + jsonPlaceholder
        + ", state = ? WHERE job_id = ?";
  }

  /** This thread's statement, prepared once on a connection it keeps (auto-commit); one SQL per run. */
  PreparedStatement kept(String sql) {
    return kept.computeIfAbsent(Thread.currentThread(), t -> {
      try {
        return pool.getConnection().prepareStatement(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** A column of a job's row as text (null when there is no row); the column is the caller's constant. */
  String column(String column, String jobId) {
    try (Connection c = pool.getConnection();
         PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM " + jobs() + " WHERE job_id = ?")) {
      s.setString(1, jobId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes the kept connections, drops the tables, closes the pool. */
  @Override
  public void close() {
    for (PreparedStatement s : kept.values()) {
      try {
        s.getConnection().close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      for (String t : new String[] {"timeline", "jobs", "schema_version"}) {
        s.execute("DROP TABLE IF EXISTS " + prefix + t);
      }
    } catch (SQLException ignored) {
      // best effort
    }
    pool.close();
  }
}
