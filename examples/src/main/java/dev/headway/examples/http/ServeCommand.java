package dev.headway.examples.http;

import dev.headway.examples.Main.UsageException;
import dev.headway.examples.cli.StoreOptions;
import dev.headway.jdbc.JdbcProgressStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code serve}: the progress endpoint, the read API and the event stream over HTTP. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serves POST /api/internal/jobs/progress (seed 003's crawler endpoint), the read API GET /api/jobs, "
            + "/api/jobs/{id}, /api/jobs/{id}/children, /api/jobs/{id}/timeline, and GET /api/events "
            + "(Server-Sent Events), until stopped with Ctrl-C.",
        "The bearer token comes from the HEADWAY_TOKEN environment variable or --token-file."})
public final class ServeCommand implements Callable<Integer> {
  /** The environment variable holding the token. */
  public static final String TOKEN_ENV = "HEADWAY_TOKEN";

  @Mixin StoreOptions store;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "7070",
      description = "Port to listen on (default ${DEFAULT-VALUE}; 0 for any free port).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
  String bind;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the bearer token (instead of " + TOKEN_ENV + ").")
  Path tokenFile;

  @Option(names = "--public-read", description = "Let the read API and event stream be read without the token.")
  boolean publicRead;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port (" + port + ") must be between 0 and 65535");
    }
    String token = token();
    PrintWriter out = spec.commandLine().getOut();
    JdbcProgressStore s = store.open();
    ProgressServer server;
    try {
      server = ProgressServer.start(s, new InetSocketAddress(bind, port), token, publicRead);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      s.close();
      stopped.countDown();
    }, "headway-serve-stop"));
    out.printf(Locale.ROOT, "Serving progress of the %s database on http://%s:%d (reads %s); Ctrl-C stops%n",
        s.databaseName(), bind, server.port(), publicRead ? "public" : "need the token");
    out.flush();
    stopped.await();
    return 0;
  }

  private String token() {
    String token;
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UsageException("--token-file " + tokenFile + " cannot be read: " + e.getMessage());
      }
    } else {
      token = System.getenv(TOKEN_ENV);
    }
    if (token == null || token.isBlank()) {
      throw new UsageException("no token: set " + TOKEN_ENV + " or pass --token-file FILE");
    }
    return token.strip();
  }
}
