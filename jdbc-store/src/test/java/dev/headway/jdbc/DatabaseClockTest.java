package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.JobSnapshot;
import dev.headway.ProgressUpdate;
import java.time.Duration;
import java.time.Instant;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Leases are judged by the database's time, not by the clock of the machine a store runs on. */
class DatabaseClockTest {

  @Test
  void theClockReadsTheDatabaseNotTheJvm() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:clock-" + System.nanoTime());
    // A database whose clock says 2001-09-09T01:46:40Z: a JVM clock would say 2026.
    try (DatabaseClock clock = new DatabaseClock(ds, "SELECT CAST(1000000000000000 AS BIGINT)")) {
      Instant now = clock.instant();
      assertThat(now).isBetween(Instant.parse("2001-09-09T01:46:40Z"), Instant.parse("2001-09-09T01:47:40Z"));
      assertThat(clock.instant()).isAfterOrEqualTo(now);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void eachDialectReadsItsDatabasesTime(TestDatabases.Kind kind) throws Exception {
    Dialect dialect = switch (kind) {
      case H2 -> Dialect.H2;
      case POSTGRESQL -> Dialect.POSTGRESQL;
      case MARIADB -> Dialect.MARIADB;
    };
    try (DatabaseClock clock = new DatabaseClock(TestDatabases.dataSource(kind), dialect)) {
      // The same machine here, so the database's time is ours give or take a round trip.
      assertThat(Duration.between(Instant.now(), clock.instant()).abs()).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aStoreWithoutAnExplicitClockStampsChangesWithTheDatabasesTime() {
    try (JdbcProgressStore store = JdbcProgressStore.open("jdbc:h2:mem:clock-" + System.nanoTime())) {
      assertThat(store.clock()).isInstanceOf(DatabaseClock.class);
      JobSnapshot s = store.apply(ProgressUpdate.builder("j").build()).snapshot();
      assertThat(Duration.between(Instant.now(), s.createdAt()).abs()).isLessThan(Duration.ofSeconds(5));
    }
  }
}
