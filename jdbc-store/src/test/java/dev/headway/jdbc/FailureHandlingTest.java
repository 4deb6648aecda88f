package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries of transient failures, typed errors past them, and nothing half-stored either way. */
class FailureHandlingTest {
  private static final String PREFIX = "hwfail_";
  private FlakyDataSource flaky;

  @BeforeEach
  void setUp() {
    flaky = new FlakyDataSource(TestDatabases.dataSource(TestDatabases.Kind.H2));
    TestDatabases.clear(TestDatabases.dataSource(TestDatabases.Kind.H2), PREFIX);
  }

  private JdbcProgressStore store(int maxRetries) {
    return JdbcProgressStore.builder().dataSource(flaky).tablePrefix(PREFIX).maxRetries(maxRetries).build();
  }

  @Test
  void lostConnectionsAtCommitAreRetriedAndTheUpdateCountsOnce() {
    try (JdbcProgressStore store = store(5)) {
      store.apply(ProgressUpdate.builder("j").items("issues", 1).build());
      flaky.failNextCommits(3, "08006");
      assertThat(store.apply(ProgressUpdate.builder("j").updateId("u1").items("issues", 5).build()).outcome())
          .isEqualTo(Outcome.APPLIED);
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(6L);
      assertThat(store.get("j").version()).isEqualTo(2);
    }
  }

  @Test
  void deadlocksAndSerializationFailuresAreRetried() {
    try (JdbcProgressStore store = store(5)) {
      for (String state : new String[] {"40001", "40P01"}) {
        flaky.failNextCommits(2, state);
        store.apply(ProgressUpdate.builder("j").items("issues", 1).build());
      }
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(2L);
    }
  }

  @Test
  void pastTheRetryLimitTheCallerGetsStoreUnavailableAndNothingIsStored() {
    try (JdbcProgressStore store = store(2)) {
      store.apply(ProgressUpdate.builder("j").items("issues", 1).build());
      flaky.failNextCommits(100, "08006");
      assertThatThrownBy(() -> store.apply(ProgressUpdate.builder("j").items("issues", 5).build()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("3 attempts")
          .hasMessageContaining("08006")
          .satisfies(e -> assertThat(((StoreUnavailableException) e).attempts()).isEqualTo(3));
      assertThatThrownBy(() -> store.apply(ProgressUpdate.builder("new-job").items("issues", 5).build()))
          .isInstanceOf(StoreUnavailableException.class);
      flaky.failNextCommits(0, "08006");
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(1L);
      assertThat(store.get("j").version()).isEqualTo(1);
      assertThat(store.find("new-job")).isEmpty();
    }
  }

  @Test
  void aFailureRetryingCannotFixIsATypedErrorAtOnceAndNothingIsStored() {
    try (JdbcProgressStore store = store(5)) {
      store.apply(ProgressUpdate.builder("j").items("issues", 1).build());
      flaky.failNextCommits(1, "53100"); // disk full
      assertThatThrownBy(() -> store.apply(ProgressUpdate.builder("j").items("issues", 5).build()))
          .isInstanceOf(JdbcStoreException.class)
          .isNotInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("53100");
      assertThat(store.get("j").field("itemsByType.issues")).isEqualTo(1L);
    }
  }

  @Test
  void anotherDatabaseIsRefusedAtStartWithAClearMessage() {
    assertThatThrownBy(() -> JdbcProgressStore.open("jdbc:sqlite:/tmp/x.db"))
        .isInstanceOf(UnsupportedDatabaseException.class)
        .hasMessageContaining("jdbc:sqlite")
        .hasMessageContaining("H2, PostgreSQL or MariaDB/MySQL");
    assertThatThrownBy(() -> Dialect.of("Oracle"))
        .isInstanceOf(UnsupportedDatabaseException.class)
        .hasMessageContaining("Oracle");
    assertThat(Dialect.of("MySQL")).isEqualTo(Dialect.MARIADB);
  }

  @Test
  void h2FileUrlsCommitThroughAProcessKillUnlessTheyChooseOtherwise() {
    assertThat(JdbcProgressStore.Builder.durable("jdbc:h2:file:./headway")).isEqualTo("jdbc:h2:file:./headway;WRITE_DELAY=0");
    assertThat(JdbcProgressStore.Builder.durable("jdbc:h2:file:./x;write_delay=500")).isEqualTo("jdbc:h2:file:./x;write_delay=500");
    assertThat(JdbcProgressStore.Builder.durable("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    assertThat(JdbcProgressStore.Builder.durable("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
  }

  @Test
  void aPasswordInTheUrlIsMovedOutOfItSoNoLogShowsIt() {
    assertThat(JdbcProgressStore.Builder.withoutPassword("jdbc:postgresql://h/db?user=a&password=s%40cret&ssl=true"))
        .containsExactly("jdbc:postgresql://h/db?user=a&ssl=true", "s@cret");
    assertThat(JdbcProgressStore.Builder.withoutPassword("jdbc:mariadb://h/db?password=pw&user=root"))
        .containsExactly("jdbc:mariadb://h/db?user=root", "pw");
    assertThat(JdbcProgressStore.Builder.withoutPassword("jdbc:h2:file:./x;PASSWORD=pw;WRITE_DELAY=0"))
        .containsExactly("jdbc:h2:file:./x;WRITE_DELAY=0", "pw");
    assertThat(JdbcProgressStore.Builder.withoutPassword("jdbc:h2:file:./x"))
        .containsExactly("jdbc:h2:file:./x", null);
  }

  @Test
  void builderRejectsBadSettingsByName() {
    assertThatThrownBy(() -> JdbcProgressStore.builder().tablePrefix("Robert'); DROP TABLE x;--"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tablePrefix");
    assertThatThrownBy(() -> JdbcProgressStore.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("url");
    assertThatThrownBy(() -> JdbcProgressStore.builder().maxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries");
  }

  @Test
  void transientFailuresAreToldApartFromPermanentOnes() {
    assertThat(SqlFailures.isTransient(new SQLException("x", "08001"))).isTrue();
    assertThat(SqlFailures.isTransient(new SQLException("x", "40001"))).isTrue();
    assertThat(SqlFailures.isTransient(new SQLException("x", "40P01"))).isTrue();
    assertThat(SqlFailures.isTransient(new SQLException("deadlock", "40001", 1213))).isTrue();
    assertThat(SqlFailures.isTransient(new SQLException("lock wait", "HY000", 1205))).isTrue();
    assertThat(SqlFailures.isTransient(new SQLTransientConnectionException("pool timeout"))).isTrue();
    assertThat(SqlFailures.isTransient(new RuntimeException(new SQLException("x", "08006")))).isTrue();
    assertThat(SqlFailures.isTransient(new SQLException("syntax", "42601"))).isFalse();
    assertThat(SqlFailures.isTransient(new SQLException("full", "53100"))).isFalse();
    assertThat(SqlFailures.isTransient(new IllegalStateException("bug"))).isFalse();
  }
}
