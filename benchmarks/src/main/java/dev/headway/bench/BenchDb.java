package dev.headway.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;

/** The databases the JDBC workloads run on. Every sink of a run gets a fresh database or schema. */
public enum BenchDb {
  /** H2 file, commits written before they return (survive a process kill): Headway's default. */
  H2("h2"),
  /** H2 file with H2's own default, WRITE_DELAY=500: a commit may still be in memory when it returns. */
  H2LAZY("h2lazy"),
  /** PostgreSQL on loopback (HEADWAY_PG_URL, default 127.0.0.1:5432/test, user postgres). */
  PG("pg");

  private final String rowName;

  BenchDb(String rowName) {
    this.rowName = rowName;
  }

  /** The database part of a row name: {@code jdbc.<rowName>.single}. */
  public String rowName() {
    return rowName;
  }

  /** A JDBC URL for a fresh database named {@code name} (H2) or the shared server (PostgreSQL). */
  public String url(String name) {
    return switch (this) {
      case H2 -> "jdbc:h2:file:" + dir().resolve(name).toAbsolutePath() + ";WRITE_DELAY=0";
      case H2LAZY -> "jdbc:h2:file:" + dir().resolve(name).toAbsolutePath() + ";WRITE_DELAY=500";
      case PG -> env("HEADWAY_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    };
  }

  public String user() {
    return this == PG ? env("HEADWAY_PG_USER", "postgres") : "sa";
  }

  public String password() {
    return this == PG ? env("HEADWAY_PG_PASSWORD", "") : "";
  }

  /** A pool on a fresh database (H2) or the server (PostgreSQL). */
  public HikariDataSource pool(String name, int size) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url(name));
    c.setUsername(user());
    c.setPassword(password());
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(size);
    c.setPoolName("bench-" + rowName + "-" + name);
    return new HikariDataSource(c);
  }

  private static Path dir() {
    try {
      Path d = Path.of(System.getProperty("headway.bench.dir", "benchmarks/target/db"));
      Files.createDirectories(d);
      return d;
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
