package dev.headway.examples.http;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.headway.store.ProgressStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's built-in HTTP server in front of {@link ProgressEndpoint}, {@link ReadApi} and {@link
 * EventStream}; it only translates requests and answers.
 *
 * <p>Concurrency: the server's dispatcher thread routes each request and hands it to a bounded
 * {@link ThreadPoolExecutor} ({@link Limits#workers()} threads, a queue of {@link
 * Limits#queueCapacity()}); when that is full the request is answered 429 with {@code
 * Retry-After} at once, so a flood costs the server a queue slot per request at most. Event
 * streams run on their own threads, at most {@link Limits#maxSubscribers()} of them (503 beyond).
 * Thread-safe.
 */
public final class ProgressServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressServer.class);
  // Read and discarded before answering early (413, 401, ...), so the client sees the answer
  // rather than a reset connection; a body longer still is cut off.
  private static final long MAX_DRAIN_BYTES = 1 << 20;

  private final HttpServer server;
  private final ProgressEndpoint endpoint;
  private final ReadApi readApi;
  private final EventStream events;
  private final ThreadPoolExecutor workers;
  private final ExecutorService streams;

  /** Sizes of the server's pools. */
  public record Limits(int workers, int queueCapacity, int maxSubscribers, Duration heartbeat) {
    public Limits {
      if (workers < 1 || queueCapacity < 1 || maxSubscribers < 1) {
        throw new IllegalArgumentException("workers (" + workers + "), queueCapacity (" + queueCapacity
            + ") and maxSubscribers (" + maxSubscribers + ") must be at least 1");
      }
      requireNonNull(heartbeat, "heartbeat");
    }

    /** 4 workers, a queue of 32, 64 event streams, a heartbeat every 15 s. */
    public static Limits defaults() {
      return new Limits(4, 32, 64, Duration.ofSeconds(15));
    }
  }

  private ProgressServer(HttpServer server, ProgressEndpoint endpoint, ReadApi readApi, EventStream events,
      Limits limits) {
    this.server = server;
    this.endpoint = endpoint;
    this.readApi = readApi;
    this.events = events;
    this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(limits.queueCapacity()), daemons("headway-http-"),
        new ThreadPoolExecutor.AbortPolicy());
    this.streams = Executors.newCachedThreadPool(daemons("headway-sse-"));
  }

  /** Starts a server with {@link Limits#defaults()}; see {@link #start(ProgressStore, InetSocketAddress, String, boolean, Limits)}. */
  public static ProgressServer start(ProgressStore store, InetSocketAddress address, String token,
      boolean publicRead) {
    return start(store, address, token, publicRead, Limits.defaults());
  }

  /**
   * Starts a server on {@code address} (port 0: any free port).
   *
   * @param token the bearer token writers (and readers, unless {@code publicRead}) must send
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static ProgressServer start(ProgressStore store, InetSocketAddress address, String token,
      boolean publicRead, Limits limits) {
    requireNonNull(store, "store");
    requireNonNull(address, "address");
    BearerToken bearer = BearerToken.of(token);
    HttpServer http;
    try {
      http = HttpServer.create(address, 128);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
    }
    EventStream events = new EventStream(store, limits.heartbeat(), limits.maxSubscribers());
    ProgressServer s = new ProgressServer(http, new ProgressEndpoint(store, bearer),
        new ReadApi(store, bearer, publicRead), events, limits);
    http.createContext("/", s::route);
    http.setExecutor(null); // routing runs on the dispatcher thread; the work on the pools
    http.start();
    return s;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests waiting for a worker (for tests and monitoring). */
  int queuedRequests() {
    return workers.getQueue().size();
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void route(HttpExchange x) {
    String path = x.getRequestURI().getPath();
    if (path.equals(EventStream.PATH)) {
      submit(x, streams, () -> stream(x));
    } else if (path.equals(ProgressEndpoint.PATH)) {
      submit(x, workers, () -> {
        Response r = endpoint.handle(x.getRequestMethod(), x.getRequestHeaders().getFirst("Content-Type"),
            x.getRequestHeaders().getFirst("Authorization"), contentLength(x), x.getRequestBody());
        send(x, r);
      });
    } else if (ReadApi.serves(path)) {
      submit(x, workers, () -> send(x, readApi.handle(x.getRequestMethod(), path, x.getRequestURI().getRawQuery(),
          x.getRequestHeaders().getFirst("Authorization"))));
    } else {
      send(x, staticResource(x.getRequestMethod(), path));
    }
  }

  // The dashboard's page (GET /), read from the classpath once.
  private static final String DASHBOARD = "/dashboard/index.html";

  private static final class Page {
    static final String HTML = load();

    private static String load() {
      try (InputStream in = ProgressServer.class.getResourceAsStream(DASHBOARD)) {
        return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + DASHBOARD, e);
      }
    }
  }

  private Response staticResource(String method, String path) {
    if (!path.equals("/") && !path.equals("/index.html")) {
      return Response.notFound("no such resource");
    }
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return Response.methodNotAllowed("GET");
    }
    if (Page.HTML == null) {
      return Response.notFound("the dashboard is not packaged");
    }
    return new Response(200, Map.of("Content-Type", "text/html; charset=utf-8", "Cache-Control", "no-cache"),
        Page.HTML);
  }

  private void submit(HttpExchange x, ExecutorService pool, Runnable work) {
    try {
      pool.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          LOG.warn("Request {} {} failed: {}", x.getRequestMethod(), x.getRequestURI().getPath(), e.toString());
          send(x, Response.error(500, "internal error", null));
        }
      });
    } catch (RejectedExecutionException e) {
      send(x, Response.tooManyRequests());
    }
  }

  private void stream(HttpExchange x) {
    if (!"GET".equals(x.getRequestMethod())) {
      send(x, Response.methodNotAllowed("GET"));
      return;
    }
    String queryToken = ReadApi.query(x.getRequestURI().getRawQuery()).get("token");
    if (!readApi.mayRead(x.getRequestHeaders().getFirst("Authorization"), queryToken)) {
      send(x, Response.unauthorized());
      return;
    }
    EventStream.Subscription sub = events.subscribe();
    if (sub == null) {
      send(x, Response.error(503, "too many event streams; retry later", null).withHeader("Retry-After", "5"));
      return;
    }
    try (OutputStream out = x.getResponseBody()) {
      x.getResponseHeaders().set("Content-Type", EventStream.CONTENT_TYPE);
      x.getResponseHeaders().set("Cache-Control", "no-cache");
      x.sendResponseHeaders(200, 0);
      sub.stream(out);
    } catch (IOException e) {
      // The client went away.
    } finally {
      sub.close();
      x.close();
    }
  }

  private static long contentLength(HttpExchange x) {
    String v = x.getRequestHeaders().getFirst("Content-Length");
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void send(HttpExchange x, Response r) {
    try (x) {
      drain(x.getRequestBody());
      for (Map.Entry<String, String> h : r.headers().entrySet()) {
        x.getResponseHeaders().set(h.getKey(), h.getValue());
      }
      byte[] body = r.bodyBytes();
      if ("HEAD".equals(x.getRequestMethod())) {
        x.sendResponseHeaders(r.status(), -1);
        return;
      }
      x.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      LOG.debug("Answer not delivered: {}", e.toString());
    }
  }

  private static void drain(InputStream in) throws IOException {
    long n = 0;
    byte[] buf = new byte[8192];
    int r;
    while (n < MAX_DRAIN_BYTES && (r = in.read(buf)) >= 0) {
      n += r;
    }
  }

  /** Stops listening, ends event streams and lets no queued request start. */
  @Override
  public void close() {
    events.close();
    server.stop(0);
    workers.shutdownNow();
    streams.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "ProgressServer(" + server.getAddress() + ")";
  }
}
