package dev.headway.jdbc;

import dev.headway.HeadwayException;

/** The database is not one Headway supports (H2, PostgreSQL, MariaDB or MySQL). */
public final class UnsupportedDatabaseException extends HeadwayException {
  public UnsupportedDatabaseException(String what) {
    super("Headway stores progress in H2, PostgreSQL or MariaDB/MySQL; " + what + " is not supported");
  }
}
