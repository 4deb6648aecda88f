package dev.headway.jdbc;

import dev.headway.internal.EpochMicros;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's own time: every process that shares the database judges leases and staleness
 * by it, so a machine whose clock is off cannot mark a live job dead. Reading it on every write
 * would cost a round trip, so it is read when the store opens and every {@link #RESYNC}, and
 * carried forward with {@link System#nanoTime()} in between (drift over ten seconds is far below
 * any sensible lease). The read happens on a background thread, never while a writer holds a
 * pooled connection, so a full pool cannot deadlock on the clock. If a read fails, the clock
 * keeps counting from the last one.
 */
final class DatabaseClock extends Clock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);
  static final Duration RESYNC = Duration.ofSeconds(10);

  private record Anchor(long databaseMicros, long nanos) {}

  private final DataSource dataSource;
  private final String sql;
  private final ScheduledExecutorService timer;
  private volatile Anchor anchor;

  DatabaseClock(DataSource dataSource, Dialect dialect) throws SQLException {
    this(dataSource, dialect.epochMicrosQuery());
  }

  /** A clock reading {@code epochMicrosQuery}: one row, one BIGINT of microseconds since 1970. */
  DatabaseClock(DataSource dataSource, String epochMicrosQuery) throws SQLException {
    this.dataSource = dataSource;
    this.sql = epochMicrosQuery;
    sync();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "headway-database-clock");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::syncQuietly, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
  }

  void sync() throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      long before = System.nanoTime();
      try (ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        long micros = rs.getLong(1);
        long after = System.nanoTime();
        // The database read its clock somewhere in the round trip; the middle is the best guess.
        anchor = new Anchor(micros, before + (after - before) / 2);
      }
    }
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (SQLException | RuntimeException e) {
      log.debug("could not read the database's time ({}); counting on from the last reading", e.getMessage());
    }
  }

  @Override
  public Instant instant() {
    Anchor a = anchor;
    return EpochMicros.toInstant(a.databaseMicros() + (System.nanoTime() - a.nanos()) / 1000);
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the database clock is in UTC; convert instants instead");
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  @Override
  public String toString() {
    return "DatabaseClock[" + instant() + "]";
  }
}
