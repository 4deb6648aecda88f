package dev.headway.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Prepared statements of the write path, kept per physical connection. A pool hands a connection to
 * one thread at a time, and a pooled connection lives for many transactions, so re-preparing the
 * same three statements for every update would be waste (H2 parses again; PostgreSQL plans again).
 * Entries go when the physical connection is collected.
 */
final class StatementCache {
  private final Map<Connection, Map<String, PreparedStatement>> byConnection =
      Collections.synchronizedMap(new WeakHashMap<>());

  PreparedStatement get(Connection connection, String sql) throws SQLException {
    Connection physical = physical(connection);
    Map<String, PreparedStatement> statements =
        byConnection.computeIfAbsent(physical, c -> new HashMap<>());
    PreparedStatement s = statements.get(sql);
    if (s == null || s.isClosed()) {
      s = physical.prepareStatement(sql);
      statements.put(sql, s);
    }
    s.clearParameters();
    return s;
  }

  private static Connection physical(Connection c) {
    try {
      return c.isWrapperFor(Connection.class) ? c.unwrap(Connection.class) : c;
    } catch (SQLException | RuntimeException e) {
      return c;
    }
  }
}
