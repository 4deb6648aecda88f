package dev.headway.jdbc;

/** The store contract on Postgres. */
class PostgresProgressStoreTest extends JdbcContractSupport {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRESQL;
  }
}
