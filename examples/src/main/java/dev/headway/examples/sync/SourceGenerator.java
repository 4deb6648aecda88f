package dev.headway.examples.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Fills the source database with the rows of a seed: a few thousand rows over {@link
 * SyncTable#ALL}, keys ascending with gaps, and about one row in 25 invalid (so skipped by the
 * sync). The same seed always gives the same rows, so a run and its resume, or two runs, can be
 * compared row by row.
 */
final class SourceGenerator {
  /** Rows per table before the seed adds up to a tenth more. */
  private static final Map<String, Integer> BASE_ROWS = Map.of(
      "customers", 700, "products", 500, "orders", 1600, "invoices", 1200);
  private static final String[] COUNTRIES = {"DE", "FR", "ID", "JP", "NL", "US"};
  private static final String[] INVOICE_STATUSES = {"open", "paid", "void"};
  private static final String INFO_TABLE = "sync_source_info";

  private SourceGenerator() {}

  /**
   * Makes sure the source holds the rows of {@code seed}: generates them when the database has no
   * generated data or another seed's (replacing it), and leaves it alone otherwise.
   *
   * @return the rows per table, in copy order
   */
  static Map<String, Long> ensure(Connection c, long seed) throws SQLException {
    if (!Long.valueOf(seed).equals(generatedSeed(c))) {
      generate(c, seed);
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (SyncTable t : SyncTable.ALL) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(t.countSql())) {
        rs.next();
        counts.put(t.name(), rs.getLong(1));
      }
    }
    return counts;
  }

  private static Long generatedSeed(Connection c) throws SQLException {
    try (ResultSet tables = c.getMetaData().getTables(null, null, INFO_TABLE.toUpperCase(Locale.ROOT), null)) {
      if (!tables.next()) {
        return null;
      }
    }
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seed FROM " + INFO_TABLE)) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  // One transaction: a generation cut short leaves the old data (or none), never half of it.
  private static void generate(Connection c, long seed) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + INFO_TABLE);
      for (SyncTable t : SyncTable.ALL) {
        s.execute(t.dropSql());
        s.execute(t.createSql());
        fill(c, t, new Random(seed * 1_000_003L + SyncTable.position(t.name())));
      }
      s.execute("CREATE TABLE " + INFO_TABLE + " (seed BIGINT NOT NULL)");
      try (PreparedStatement p = c.prepareStatement("INSERT INTO " + INFO_TABLE + " (seed) VALUES (?)")) {
        p.setLong(1, seed);
        p.executeUpdate();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static void fill(Connection c, SyncTable t, Random random) throws SQLException {
    int base = BASE_ROWS.get(t.name());
    int rows = base + random.nextInt(base / 10 + 1);
    long id = 0;
    try (PreparedStatement insert = c.prepareStatement(t.insertSql())) {
      for (int i = 0; i < rows; i++) {
        id += 1 + random.nextInt(3); // keys with gaps: a cursor is a key, not a row number
        boolean invalid = random.nextInt(25) == 0;
        Object[] row = row(t.name(), id, invalid, random);
        for (int col = 0; col < row.length; col++) {
          if (row[col] == null) {
            insert.setNull(col + 1, t.columns().get(col).jdbcType());
          } else {
            insert.setObject(col + 1, row[col]);
          }
        }
        insert.addBatch();
        if (i % 500 == 499) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
  }

  private static Object[] row(String table, long id, boolean invalid, Random r) {
    boolean firstWay = r.nextBoolean(); // which rule an invalid row breaks
    return switch (table) {
      case "customers" -> new Object[] {id,
          invalid && firstWay ? null : "Customer " + id,
          invalid && !firstWay ? "customer" + id + ".example.com" : "customer" + id + "@example.com",
          COUNTRIES[r.nextInt(COUNTRIES.length)]};
      case "products" -> new Object[] {id,
          invalid && firstWay ? null : String.format("SKU-%05d", id),
          "Product " + id,
          invalid && !firstWay ? -1L - r.nextInt(500) : 100L + r.nextInt(99_900)};
      case "orders" -> new Object[] {id,
          invalid && firstWay ? null : 1L + r.nextInt(700),
          1L + r.nextInt(500),
          invalid && !firstWay ? -r.nextInt(2) : 1 + r.nextInt(9),
          LocalDate.of(2024, 1, 1).plusDays(r.nextInt(366))};
      case "invoices" -> new Object[] {id,
          1L + r.nextInt(1600),
          invalid && firstWay ? -100L - r.nextInt(1000) : (long) r.nextInt(500_000),
          invalid && !firstWay ? "unknown" : INVOICE_STATUSES[r.nextInt(INVOICE_STATUSES.length)]};
      default -> throw new IllegalArgumentException("table (" + table + ") is not one sync-all knows");
    };
  }
}
