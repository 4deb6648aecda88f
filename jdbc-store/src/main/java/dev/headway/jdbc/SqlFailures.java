package dev.headway.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Sorts database failures into those a retry may fix and the rest. */
final class SqlFailures {
  private SqlFailures() {}

  /** A new job's row was inserted by another writer first; the whole transaction is retried. */
  static final class ConcurrentInsert extends RuntimeException {
    ConcurrentInsert(Throwable cause) {
      super("another writer created the job first", cause, false, false);
    }
  }

  /**
   * A cached state turned out not to be the row's: another process wrote the job. The transaction
   * rolls back and runs again at once, reading the row under a lock.
   */
  static final class StaleCache extends RuntimeException {
    StaleCache(String jobId) {
      super("job " + jobId + " was changed by another writer", null, false, false);
    }
  }

  /**
   * True for failures a retry may fix: lost connections (SQLState class 08), serialization
   * failures and deadlocks (40001, 40P01), lock timeouts, and a lost race to create a job.
   */
  static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConcurrentInsert || c instanceof SQLTransientException || c instanceof SQLRecoverableException) {
        return true;
      }
      if (c instanceof SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        if (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
            || state.equals("55P03") // PostgreSQL lock_not_available
            || code == 1213 || code == 1205 // MariaDB deadlock, lock wait timeout
            || code == 50200 || code == 90131) { // H2 lock timeout, concurrent update
          return true;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** True when the failure is a unique-key violation. */
  static boolean isUniqueViolation(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException e) {
        // A batch reports its failures as a chain of next exceptions.
        for (SQLException n = e; n != null; n = n.getNextException()) {
          if ("23505".equals(n.getSQLState()) || n.getErrorCode() == 1062) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The SQLState and the driver's message of the first SQLException; never bound values. */
  static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException e) {
        return "SQLState " + e.getSQLState() + ": " + firstLine(e.getMessage());
      }
    }
    return t == null ? "unknown" : t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
