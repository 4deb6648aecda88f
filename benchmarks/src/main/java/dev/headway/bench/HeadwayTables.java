package dev.headway.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/** Ends a sink that ran on Headway's tables: a shared server keeps nothing of a finished run. */
final class HeadwayTables {
  private HeadwayTables() {}

  /** Closes the connections of the statements kept per thread, drops the tables, closes the pool. */
  static void close(Collection<PreparedStatement> kept, HikariDataSource pool, String prefix) {
    for (PreparedStatement s : kept) {
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
