package dev.headway.jdbc;

/** The store contract on H2. */
class H2ProgressStoreTest extends JdbcContractSupport {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.H2;
  }
}
