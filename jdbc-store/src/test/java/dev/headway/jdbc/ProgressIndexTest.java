package dev.headway.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.ProgressUpdate;
import dev.headway.jdbc.TestDatabases.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The GIN index into the progress document exists only when asked for, and is then used. */
class ProgressIndexTest {
  private static final String PREFIX = "hw_ginidx_";

  @Test
  void postgresqlGetsTheGinIndexOnlyWhenAskedAndKeepsIt() throws Exception {
    DataSource ds = TestDatabases.dataSource(Kind.POSTGRESQL); // skips, or fails when required
    TestDatabases.drop(ds, PREFIX);
    try {
      try (JdbcProgressStore store = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).build()) {
        store.apply(ProgressUpdate.builder("j").stage("discovery").build());
      }
      assertThat(ginIndexes(ds)).isZero();

      try (JdbcProgressStore store = JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX)
          .progressIndex(true).build()) {
        store.apply(ProgressUpdate.builder("k").stage("data_collection").build());
        assertThat(store.get("j").field("stage")).isEqualTo("discovery");
      }
      assertThat(ginIndexes(ds)).isEqualTo(1);

      // Turning it off later never drops an index someone's SQL relies on.
      JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).build().close();
      assertThat(ginIndexes(ds)).isEqualTo(1);
    } finally {
      TestDatabases.drop(ds, PREFIX);
    }
  }

  private static int ginIndexes(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement(
            "SELECT count(*) FROM pg_indexes WHERE tablename = ? AND indexdef LIKE '%USING gin (progress)%'")) {
      s.setString(1, PREFIX + "jobs");
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
