package dev.headway.jdbc;

import dev.headway.merge.MergePolicy;
import dev.headway.store.ProgressStore;
import dev.headway.store.ProgressStoreContract;
import java.time.Clock;
import javax.sql.DataSource;

/** The core store contract against one database; each store starts from empty tables. */
abstract class JdbcContractSupport implements ProgressStoreContract {
  static final String PREFIX = "hwtest_";

  abstract TestDatabases.Kind kind();

  @Override
  public ProgressStore newStore(MergePolicy policy, Clock clock) {
    DataSource ds = TestDatabases.dataSource(kind());
    TestDatabases.clear(ds, PREFIX);
    return JdbcProgressStore.builder().dataSource(ds).tablePrefix(PREFIX).policy(policy).clock(clock).build();
  }

  // Every increment is a committed transaction here, not a map update: fewer of them, same check.
  @Override
  public int incrementsPerThread() {
    return 1000;
  }
}
