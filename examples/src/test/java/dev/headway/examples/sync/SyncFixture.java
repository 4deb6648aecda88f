package dev.headway.examples.sync;

import dev.headway.JobSnapshot;
import dev.headway.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the sync tests share: a folder of their own under target/, the command line run in this
 * JVM, and the source's rows read with SQL of their own, so expected counts come from the
 * generated data and not from the code under test.
 */
final class SyncFixture {
  /** Which source rows are invalid, per table, written independently of {@link SyncTable}'s rules. */
  static final Map<String, String> INVALID = Map.of(
      "customers", "name IS NULL OR email IS NULL OR email NOT LIKE '%@%'",
      "products", "sku IS NULL OR price_cents IS NULL OR price_cents < 0",
      "orders", "customer_id IS NULL OR quantity IS NULL OR quantity <= 0",
      "invoices", "amount_cents IS NULL OR amount_cents < 0 OR status IS NULL OR status NOT IN ('open', 'paid', 'void')");
  static final List<String> TABLES = List.of("customers", "products", "orders", "invoices");

  final Path dir;
  final String db;
  final String source;
  final String target;

  SyncFixture(String name) {
    dir = Path.of("target", "sync-tests", name + "-" + System.nanoTime()).toAbsolutePath();
    db = "jdbc:h2:file:" + dir.resolve("progress");
    source = "jdbc:h2:file:" + dir.resolve("source");
    target = "jdbc:h2:file:" + dir.resolve("target");
  }

  /** The output of one command run in this JVM. */
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** sync-all on this fixture's databases, without the demo's pause between chunks. */
  Result syncAll(String... more) {
    List<String> args = new ArrayList<>(List.of("sync-all", "--db", db, "--source", source, "--target", target,
        "--chunk-delay", "0"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  /** A table job's {@code itemsByType.<type>}, 0 when absent. */
  static long count(JobSnapshot job, String type) {
    return job.field("itemsByType." + type) instanceof Number n ? n.longValue() : 0L;
  }

  static long count(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long rows(String url, String table) throws SQLException {
    return count(url, "SELECT COUNT(*) FROM " + table);
  }

  static long invalidRows(String url, String table) throws SQLException {
    return count(url, "SELECT COUNT(*) FROM " + table + " WHERE " + INVALID.get(table));
  }

  /** Every row of {@code table} (only the valid ones when {@code validOnly}), in key order. */
  static List<List<Object>> table(String url, String table, boolean validOnly) throws SQLException {
    String sql = "SELECT * FROM " + table + (validOnly ? " WHERE NOT (" + INVALID.get(table) + ")" : "") + " ORDER BY id";
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int width = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
