package dev.headway.examples.cli;

import dev.headway.jdbc.JdbcProgressStore;
import picocli.CommandLine.Option;

/** The options every command that reads or writes progress takes. */
public final class StoreOptions {
  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "Where progress is kept (default: ${DEFAULT-VALUE}, an H2 file in this folder).")
  String db = JdbcProgressStore.DEFAULT_URL;

  @Option(names = "--json", description = "Machine-readable JSON output.")
  boolean json;

  /** Opens the store named by {@code --db}. */
  public JdbcProgressStore open() {
    return JdbcProgressStore.open(db);
  }

  public boolean json() {
    return json;
  }

  public String db() {
    return db;
  }
}
