package dev.headway.jdbc;

import dev.headway.HeadwayException;

/**
 * The database failed a store operation in a way retrying does not fix (a full disk, a missing
 * privilege, a schema someone changed by hand). The transaction was rolled back: the stored state
 * is as it was before the call. The message names the operation and the database's SQLState, never
 * the values bound to the statement.
 */
public class JdbcStoreException extends HeadwayException {
  public JdbcStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
