package dev.headway.examples.http;

import static java.util.Objects.requireNonNull;

import dev.headway.JobSnapshot;
import dev.headway.TimelineEvent;
import dev.headway.examples.cli.JsonOutput;
import dev.headway.store.ProgressStore;
import dev.headway.store.StoreListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/events}: every change of the store as Server-Sent Events, without any web
 * framework. {@code event: job} carries the job as the read API lists it, {@code event: purged}
 * carries {@code {"jobId":...}}, and a comment line every heartbeat keeps proxies from closing
 * an idle stream.
 *
 * <p>Concurrency: the store's listener only offers the snapshot to each subscriber's bounded
 * queue (it runs on the writing thread and must not block it); JSON is written on the
 * subscriber's own thread. A subscriber that falls a whole queue behind is disconnected, so an
 * EventSource reconnects and re-reads the state, instead of the server holding unbounded
 * backlog. Thread-safe.
 */
public final class EventStream implements AutoCloseable {
  /** The path of the stream. */
  public static final String PATH = "/api/events";
  /** The content type of the stream. */
  public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

  private static final int QUEUE_CAPACITY = 1024;
  private static final Object CLOSE = new Object();

  private final Clock clock;
  private final Duration heartbeat;
  private final int maxSubscribers;
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final AutoCloseable registration;

  private record Purged(String jobId) {}

  public EventStream(ProgressStore store, Duration heartbeat, int maxSubscribers) {
    requireNonNull(store, "store");
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat (" + heartbeat + ") must be positive");
    }
    if (maxSubscribers < 1) {
      throw new IllegalArgumentException("maxSubscribers (" + maxSubscribers + ") must be at least 1");
    }
    this.clock = store.clock();
    this.heartbeat = heartbeat;
    this.maxSubscribers = maxSubscribers;
    this.registration = store.addListener(new StoreListener() {
      @Override
      public void onChange(JobSnapshot snapshot, List<TimelineEvent> newEvents) {
        publish(snapshot);
      }

      @Override
      public void onPurge(String jobId) {
        publish(new Purged(jobId));
      }
    });
  }

  /** A new subscription, or null when {@code maxSubscribers} are already open. */
  public Subscription subscribe() {
    synchronized (subscriptions) {
      if (subscriptions.size() >= maxSubscribers) {
        return null;
      }
      Subscription s = new Subscription();
      subscriptions.add(s);
      return s;
    }
  }

  private void publish(Object item) {
    for (Subscription s : subscriptions) {
      if (!s.queue.offer(item)) {
        s.close(); // too far behind: the client reconnects and starts afresh
      }
    }
  }

  @Override
  public void close() {
    try {
      registration.close();
    } catch (Exception e) {
      // The store is closing too; nothing more will be published.
    }
    subscriptions.forEach(Subscription::close);
  }

  /** One client's stream. */
  public final class Subscription implements AutoCloseable {
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY + 1);
    private volatile boolean closed;

    private Subscription() {}

    /**
     * Writes events to {@code out} until the subscription is closed or a write fails (the
     * client went away). Blocks the calling thread meanwhile.
     */
    public void stream(OutputStream out) throws IOException {
      try {
        write(out, ": connected\n\n");
        while (!closed) {
          Object item = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
          if (item == null) {
            write(out, ": heartbeat\n\n");
          } else if (item == CLOSE) {
            return;
          } else if (item instanceof Purged p) {
            write(out, "event: purged\ndata: " + JsonOutput.write(Map.of("jobId", p.jobId())) + "\n\n");
          } else {
            write(out, "event: job\ndata: " + JsonOutput.write(JsonOutput.job((JobSnapshot) item, clock, false))
                + "\n\n");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close();
      }
    }

    private void write(OutputStream out, String frame) throws IOException {
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        subscriptions.remove(this);
        queue.clear();
        queue.offer(CLOSE);
      }
    }
  }
}
