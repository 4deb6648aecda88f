package dev.headway.examples.sync;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Where sync-all reads and writes: H2 databases named by a file path or a {@code jdbc:h2:} URL,
 * by default next to the progress database ({@code ./sync-source}, {@code ./sync-target}).
 */
final class SyncDatabases {
  private static final String H2 = "jdbc:h2:";

  private SyncDatabases() {}

  /**
   * The URL of {@code pathOrUrl} as given to {@code option}: a {@code jdbc:h2:} URL as it is, a
   * path as an absolute H2 file URL (so a resume from another folder finds the same file).
   *
   * @throws IllegalArgumentException for a JDBC URL of another database
   */
  static String url(String option, String pathOrUrl) {
    if (pathOrUrl.regionMatches(true, 0, "jdbc:", 0, 5)) {
      if (!pathOrUrl.regionMatches(true, 0, H2, 0, H2.length())) {
        throw new IllegalArgumentException(option + " (" + pathOrUrl + ") must be a file path or a jdbc:h2: URL: "
            + "the example copies rows with H2's MERGE");
      }
      return pathOrUrl;
    }
    return H2 + "file:" + Path.of(pathOrUrl).toAbsolutePath().normalize();
  }

  /** An H2 file named {@code name} in the folder of the progress database, or in this folder. */
  static String nextTo(String storeUrl, String name) {
    return H2 + "file:" + folderOf(storeUrl).resolve(name);
  }

  private static Path folderOf(String storeUrl) {
    Path here = Path.of("").toAbsolutePath();
    if (!storeUrl.regionMatches(true, 0, H2, 0, H2.length())) {
      return here; // a database server: no folder of its own
    }
    String rest = storeUrl.substring(H2.length());
    String lower = rest.toLowerCase(Locale.ROOT);
    if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:") || lower.startsWith("zip:")) {
      return here;
    }
    if (lower.startsWith("file:")) {
      rest = rest.substring(5);
    }
    int settings = rest.indexOf(';');
    String file = settings < 0 ? rest : rest.substring(0, settings);
    if (file.startsWith("~")) {
      file = System.getProperty("user.home") + file.substring(1);
    }
    Path parent = Path.of(file).toAbsolutePath().normalize().getParent();
    return parent == null ? here : parent;
  }

  /**
   * Opens {@code url}. A file database gets {@code WRITE_DELAY=0} unless the URL sets its own: H2
   * otherwise keeps commits in memory for up to half a second, and a checkpoint stored for rows a
   * crash then lost would make a resume skip them.
   */
  static Connection open(String url) throws SQLException {
    String lower = url.toLowerCase(Locale.ROOT);
    boolean file = !lower.startsWith("jdbc:h2:mem:");
    return DriverManager.getConnection(file && !lower.contains("write_delay") ? url + ";WRITE_DELAY=0" : url);
  }
}
