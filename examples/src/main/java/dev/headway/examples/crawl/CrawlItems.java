package dev.headway.examples.crawl;

import dev.headway.examples.Main.CommandFailedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the crawler crawled, kept as a real crawler keeps its data: one row per item in the table
 * {@value #TABLE} ({@code job_id, item_id, item_type}, keyed by job and item) of the same database
 * as the progress, on a plain JDBC connection of its own.
 *
 * <p>Writes are idempotent (an insert that leaves an existing row alone), because a resumed run
 * fetches again the items after its checkpoint, some of which the stopped run had already
 * stored. Each item commits on its own before the crawler counts it, so a checkpoint never
 * covers an item that is not stored. Every statement binds its values; the table name is a
 * constant.
 *
 * <p>Not thread-safe: one crawl thread uses it.
 */
final class CrawlItems implements AutoCloseable {
  /** The table items are stored in. */
  static final String TABLE = "crawl_items";

  private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (job_id VARCHAR(200) NOT NULL, "
      + "item_id VARCHAR(200) NOT NULL, item_type VARCHAR(40) NOT NULL, PRIMARY KEY (job_id, item_id))";

  private final Connection connection;
  private final PreparedStatement upsert;

  private CrawlItems(Connection connection, PreparedStatement upsert) {
    this.connection = connection;
    this.upsert = upsert;
  }

  /**
   * Connects to {@code jdbcUrl} and creates the table when it is missing.
   *
   * @throws CommandFailedException when the database cannot be reached or the table made
   */
  static CrawlItems open(String jdbcUrl) {
    Connection c = null;
    try {
      c = DriverManager.getConnection(durable(jdbcUrl));
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute(CREATE);
      }
      return new CrawlItems(c, c.prepareStatement(upsertSql(c.getMetaData().getDatabaseProductName())));
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // the open failed already; that is the error worth reporting
        }
      }
      throw failure("could not open", e);
    }
  }

  // Each database spells "insert unless it is there" its own way; none of them fails on a repeat.
  private static String upsertSql(String product) {
    String p = product.toLowerCase(Locale.ROOT);
    if (p.contains("h2")) {
      return "MERGE INTO " + TABLE + " (job_id, item_id, item_type) KEY (job_id, item_id) VALUES (?, ?, ?)";
    }
    if (p.contains("postgres")) {
      return "INSERT INTO " + TABLE + " (job_id, item_id, item_type) VALUES (?, ?, ?) "
          + "ON CONFLICT (job_id, item_id) DO NOTHING";
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return "INSERT INTO " + TABLE + " (job_id, item_id, item_type) VALUES (?, ?, ?) "
          + "ON DUPLICATE KEY UPDATE item_type = item_type";
    }
    throw new CommandFailedException("the crawl example stores items only on H2, PostgreSQL or MariaDB, not " + product);
  }

  // As the store does: H2's default write delay would keep the last half second of commits in
  // memory, and a crash (--crash-after) would lose items a stored checkpoint already covers.
  private static String durable(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:") && !lower.contains("write_delay")) {
      return url + ";WRITE_DELAY=0";
    }
    return url;
  }

  /** Stores one crawled item; storing it again changes nothing. */
  void store(String jobId, SimulatedGitLab.Item item) {
    try {
      upsert.setString(1, jobId);
      upsert.setString(2, item.id());
      upsert.setString(3, item.type());
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not store " + item.id() + " in", e);
    }
  }

  /** Forgets every item of {@code jobId}: a new crawl under a reused id starts empty. */
  void clear(String jobId) {
    try (PreparedStatement s = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE job_id = ?")) {
      s.setString(1, jobId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not clear", e);
    }
  }

  /** How many items of {@code jobId} are stored. */
  long count(String jobId) {
    try (PreparedStatement s = connection.prepareStatement("SELECT COUNT(*) FROM " + TABLE + " WHERE job_id = ?")) {
      s.setString(1, jobId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failure("could not count", e);
    }
  }

  /** The stored items of {@code jobId}: item id to type, sorted by id. */
  Map<String, String> items(String jobId) {
    Map<String, String> out = new TreeMap<>();
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT item_id, item_type FROM " + TABLE + " WHERE job_id = ?")) {
      s.setString(1, jobId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("could not read", e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing after the work is done: nothing left to lose
    }
  }

  private static CommandFailedException failure(String what, SQLException e) {
    return new CommandFailedException(what + " the table " + TABLE + ": " + firstLine(e.getMessage()));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
