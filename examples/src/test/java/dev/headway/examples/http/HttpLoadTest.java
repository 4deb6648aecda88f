package dev.headway.examples.http;

import static dev.headway.examples.http.HttpFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headway.json.ProgressCodec;
import dev.headway.store.ProgressStore;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * 16 clients post for 20 seconds to a server with a deliberately small queue, resending some
 * updates and retrying every 429; afterwards every job's totals are exact.
 */
class HttpLoadTest {
  private static final int CLIENTS = 16;
  private static final int JOBS = 4;
  private static final Duration RUN = Duration.ofSeconds(20);
  private static final int MAX_REQUESTS_PER_CLIENT = 20_000;
  private static final ProgressCodec CODEC = ProgressCodec.defaults();

  /** One update as sent, and what it adds to which job. */
  private record Sent(String body, int job, long items) {}

  @Test
  void concurrentClientsWithResendsAndRetriesGiveExactTotals() throws Exception {
    ProgressStore store = ProgressStore.inMemory();
    AtomicLongArray expected = new AtomicLongArray(JOBS);
    AtomicLong requests = new AtomicLong();
    AtomicLong busy = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try (ProgressServer server = ProgressServer.start(store, new InetSocketAddress("127.0.0.1", 0), TOKEN, false,
        new ProgressServer.Limits(2, 4, 4, Duration.ofSeconds(15)))) {
      long deadline = System.nanoTime() + RUN.toNanos();
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(pool.submit(() -> {
          HttpClient http = HttpFixture.client();
          Random random = new Random(client);
          List<Sent> recent = new ArrayList<>();
          long seq = 0;
          for (int n = 0; n < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline && failures.size() < 10; n++) {
            int dice = random.nextInt(10);
            boolean resend = dice < 2 && !recent.isEmpty();
            List<Sent> batch = new ArrayList<>();
            if (resend) {
              batch.add(recent.get(random.nextInt(recent.size())));
            } else {
              int size = dice < 4 ? 2 + random.nextInt(2) : 1;
              for (int i = 0; i < size; i++) {
                int job = random.nextInt(JOBS);
                long items = 1 + random.nextInt(5);
                String body = "{\"jobId\":\"load-" + job + "\",\"reporter\":\"client-" + client + "\",\"seq\":" + (++seq)
                    + ",\"status\":\"processing\",\"itemsByType\":{\"items\":" + items + "}}";
                batch.add(new Sent(body, job, items));
              }
            }
            String body = batch.size() == 1 ? batch.get(0).body()
                : "[" + String.join(",", batch.stream().map(Sent::body).toList()) + "]";
            HttpResponse<String> r = postRetrying429(http, server, body, requests, busy, failures);
            if (r == null) {
              continue;
            }
            if (r.statusCode() != 200) {
              failures.add("HTTP " + r.statusCode() + ": " + r.body());
              continue;
            }
            if (resend) {
              if (!r.body().contains("\"duplicate\":true")) {
                failures.add("a resend was not a duplicate: " + r.body());
              }
              duplicates.incrementAndGet();
            } else {
              if (r.body().contains("\"duplicate\":true")) {
                failures.add("a new update was a duplicate: " + r.body());
              }
              for (Sent s : batch) {
                expected.addAndGet(s.job(), s.items());
                recent.add(s);
              }
              while (recent.size() > 8) {
                recent.remove(0);
              }
            }
          }
        }));
      }
      for (Future<?> f : clients) {
        f.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(failures).isEmpty();
    assertThat(requests.get()).isGreaterThan(CLIENTS * 10L);
    assertThat(duplicates.get()).isPositive();
    for (int j = 0; j < JOBS; j++) {
      Object total = store.get("load-" + j).field("itemsByType.items");
      assertThat(((Number) total).longValue()).as("load-" + j).isEqualTo(expected.get(j));
    }
    System.out.printf("load: %d requests, %d answered 429 and retried, %d resends%n", requests.get(), busy.get(),
        duplicates.get());
  }

  private static HttpResponse<String> postRetrying429(HttpClient http, ProgressServer server, String body,
      AtomicLong requests, AtomicLong busy, ConcurrentLinkedQueue<String> failures) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      HttpResponse<String> r;
      try {
        requests.incrementAndGet();
        r = HttpFixture.post(http, server, body, "application/json", "Bearer " + TOKEN);
      } catch (Exception e) {
        failures.add(e.toString());
        return null;
      }
      if (r.statusCode() != 429) {
        return r;
      }
      busy.incrementAndGet();
      try {
        Thread.sleep(5 + attempt % 20); // Retry-After says 1 s; a test may be less patient
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    failures.add("still 429 after 1000 tries");
    return null;
  }

  @SuppressWarnings("unused")
  private static Map<String, Object> object(String json) {
    return CODEC.readObject(json);
  }
}
