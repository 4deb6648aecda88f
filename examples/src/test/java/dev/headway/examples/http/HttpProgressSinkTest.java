package dev.headway.examples.http;

import static dev.headway.examples.http.HttpFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headway.InvalidUpdateException;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.Outcome;
import dev.headway.ProgressUpdate;
import dev.headway.jdbc.JdbcProgressStore;
import dev.headway.report.ProgressReporter;
import dev.headway.store.ProgressStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpProgressSinkTest {
  private static HttpProgressSink sink(int port, String token) {
    return new HttpProgressSink(URI.create("http://127.0.0.1:" + port + ProgressEndpoint.PATH), token,
        Duration.ofSeconds(5));
  }

  @Test
  void sinkAnswersAppliedDuplicateAndInvalidWithTheField() {
    ProgressStore store = ProgressStore.inMemory();
    try (ProgressServer server = ProgressServer.start(store, new InetSocketAddress("127.0.0.1", 0), TOKEN, false)) {
      HttpProgressSink sink = sink(server.port(), TOKEN);
      ProgressUpdate u = ProgressUpdate.builder("s-1").reporter("r", 1).items("issues", 3).build();
      assertThat(sink.send(u)).isEqualTo(Outcome.APPLIED);
      assertThat(sink.send(u)).isEqualTo(Outcome.DUPLICATE);
      assertThat(store.get("s-1").field("itemsByType.issues")).isEqualTo(3L);
      assertThat(sink.renew("s-1", "r", Duration.ofSeconds(30))).isNull();

      ProgressUpdate bad = ProgressUpdate.builder("s-1").reporter("r", 2).field("processedItems", -4).build();
      assertThatThrownBy(() -> sink.send(bad)).isInstanceOfSatisfying(InvalidUpdateException.class,
          e -> assertThat(e.field()).isEqualTo("processedItems"));
      assertThatThrownBy(() -> sink(server.port(), "wrong").send(u))
          .isInstanceOfSatisfying(HttpProgressSink.DeliveryException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
  }

  @Test
  void reporterOverHttpGivesExactTotalsAcrossAServerRestart() throws Exception {
    try (JdbcProgressStore store = JdbcProgressStore.open("jdbc:h2:mem:sink-restart;DB_CLOSE_DELAY=-1")) {
      ProgressServer server = ProgressServer.start(store, new InetSocketAddress("127.0.0.1", 0), TOKEN, false);
      int port = server.port();
      int threads = 3;
      int perThread = 3000;
      ProgressReporter reporter = ProgressReporter.builder(sink(port, TOKEN), "http-job")
          .type("crawler").flushEvery(50, Duration.ofMillis(50))
          .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(200)).build();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w = new Thread(() -> {
          for (int i = 0; i < perThread; i++) {
            reporter.increment("issues");
            if (i % 100 == 0) {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                return;
              }
            }
          }
        });
        workers.add(w);
        w.start();
      }
      Thread.sleep(300);
      server.close(); // mid-run: sends fail and are retried unchanged
      Thread.sleep(400);
      server = startOn(store, port);
      try {
        for (Thread w : workers) {
          w.join(TimeUnit.SECONDS.toMillis(30));
        }
        reporter.complete();
        reporter.close();
      } finally {
        server.close();
      }

      JobSnapshot job = store.get("http-job");
      assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(job.field("itemsByType.issues")).isEqualTo((long) threads * perThread);
      assertThat(job.processedItems()).isEqualTo((long) threads * perThread);
      assertThat(reporter.failedSends()).as("the restart made sends fail").isPositive();
    }
  }

  private static ProgressServer startOn(ProgressStore store, int port) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return ProgressServer.start(store, new InetSocketAddress("127.0.0.1", port), TOKEN, false);
      } catch (java.io.UncheckedIOException e) {
        if (i >= 50) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
