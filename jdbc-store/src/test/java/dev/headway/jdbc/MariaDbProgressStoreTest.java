package dev.headway.jdbc;

/** The store contract on MariaDb. */
class MariaDbProgressStoreTest extends JdbcContractSupport {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.MARIADB;
  }
}
