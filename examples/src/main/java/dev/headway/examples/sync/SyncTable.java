package dev.headway.examples.sync;

import static java.util.Objects.requireNonNull;

import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One table sync-all copies: its columns (the first is the key, {@code id}) and the rule a row
 * must meet to be copied; rows that break it are counted as skipped. Every SQL statement the
 * example runs is built here from these constants, never from user input.
 *
 * @param name the table's name, in the source and the target
 * @param columns the columns, key first
 * @param valid whether a row (values in column order) is copied
 * @param rule the rule in words, for help and events
 */
record SyncTable(String name, List<Column> columns, Predicate<Object[]> valid, String rule) {

  /** A column: its name, its SQL type and the {@link Types} constant to bind a null with. */
  record Column(String name, String sqlType, int jdbcType) {}

  private static final Set<String> INVOICE_STATUSES = Set.of("open", "paid", "void");

  /** The tables, in the order sync-all copies them. */
  static final List<SyncTable> ALL = List.of(
      new SyncTable("customers", List.of(
          new Column("id", "BIGINT", Types.BIGINT),
          new Column("name", "VARCHAR(100)", Types.VARCHAR),
          new Column("email", "VARCHAR(200)", Types.VARCHAR),
          new Column("country", "CHAR(2)", Types.CHAR)),
          r -> r[1] != null && r[2] instanceof String email && email.contains("@"),
          "a name and an email with @"),
      new SyncTable("products", List.of(
          new Column("id", "BIGINT", Types.BIGINT),
          new Column("sku", "VARCHAR(20)", Types.VARCHAR),
          new Column("name", "VARCHAR(100)", Types.VARCHAR),
          new Column("price_cents", "BIGINT", Types.BIGINT)),
          r -> r[1] != null && r[3] instanceof Number price && price.longValue() >= 0,
          "a sku and a price of at least 0"),
      new SyncTable("orders", List.of(
          new Column("id", "BIGINT", Types.BIGINT),
          new Column("customer_id", "BIGINT", Types.BIGINT),
          new Column("product_id", "BIGINT", Types.BIGINT),
          new Column("quantity", "INTEGER", Types.INTEGER),
          new Column("ordered_on", "DATE", Types.DATE)),
          r -> r[1] != null && r[3] instanceof Number q && q.intValue() > 0,
          "a customer and a quantity above 0"),
      new SyncTable("invoices", List.of(
          new Column("id", "BIGINT", Types.BIGINT),
          new Column("order_id", "BIGINT", Types.BIGINT),
          new Column("amount_cents", "BIGINT", Types.BIGINT),
          new Column("status", "VARCHAR(10)", Types.VARCHAR)),
          r -> r[2] instanceof Number amount && amount.longValue() >= 0
              && r[3] instanceof String s && INVOICE_STATUSES.contains(s),
          "an amount of at least 0 and a status of open, paid or void"));

  SyncTable {
    requireNonNull(name, "name");
    columns = List.copyOf(columns);
    requireNonNull(valid, "valid");
  }

  /** The table named {@code name}, if sync-all knows it. */
  static Optional<SyncTable> named(String name) {
    return ALL.stream().filter(t -> t.name.equals(name)).findFirst();
  }

  /** Where the table stands in the copy order, or {@code ALL.size()} for an unknown name. */
  static int position(String name) {
    for (int i = 0; i < ALL.size(); i++) {
      if (ALL.get(i).name.equals(name)) {
        return i;
      }
    }
    return ALL.size();
  }

  /** The table names, comma-separated, for help and messages. */
  static String names() {
    return ALL.stream().map(SyncTable::name).collect(Collectors.joining(", "));
  }

  boolean isValid(Object[] row) {
    return valid.test(row);
  }

  String createSql() {
    return "CREATE TABLE IF NOT EXISTS " + name + " (" + columns.stream()
        .map(c -> c.name() + " " + c.sqlType() + (c == columns.get(0) ? " PRIMARY KEY" : ""))
        .collect(Collectors.joining(", ")) + ")";
  }

  String dropSql() {
    return "DROP TABLE IF EXISTS " + name;
  }

  String insertSql() {
    return "INSERT INTO " + name + " (" + columnList() + ") VALUES (" + placeholders() + ")";
  }

  /** The rows after a key, in key order, at most a chunk: parameters are the key and the chunk size. */
  String selectChunkSql() {
    return "SELECT " + columnList() + " FROM " + name + " WHERE id > ? ORDER BY id LIMIT ?";
  }

  /** An idempotent upsert by key (H2's MERGE ... KEY), so a row copied twice is still one row. */
  String mergeSql() {
    return "MERGE INTO " + name + " (" + columnList() + ") KEY (id) VALUES (" + placeholders() + ")";
  }

  String countSql() {
    return "SELECT COUNT(*) FROM " + name;
  }

  private String columnList() {
    return columns.stream().map(Column::name).collect(Collectors.joining(", "));
  }

  private String placeholders() {
    return columns.stream().map(c -> "?").collect(Collectors.joining(", "));
  }
}
