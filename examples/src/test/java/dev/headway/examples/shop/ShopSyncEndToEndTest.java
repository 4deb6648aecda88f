package dev.headway.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headway.JobSnapshot;
import dev.headway.JobStatus;
import dev.headway.TimelineEvent;
import dev.headway.examples.CommandRun;
import dev.headway.jdbc.JdbcProgressStore;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** shop-sync through the real main on an H2 file: the store, the table and the JSON agree with the simulation. */
class ShopSyncEndToEndTest {
  private static final long SEED = 11;
  private static final int PRODUCTS = 120;
  private static final double RATE = 0.3;
  private static final String[] RUN = {"--seed", "11", "--products", "120", "--failure-rate", "0.3", "--call-ms", "1"};

  private final String db = "jdbc:h2:file:" + Path.of("target", "shop-" + System.nanoTime(), "p").toAbsolutePath();
  private final ExpectedRun expected = ExpectedRun.of(SEED, PRODUCTS, RATE);
  private final CommandRun cli = new CommandRun();

  private int run(String... args) {
    return cli.run(args);
  }

  private int shopSync(String jobId, String... more) {
    String[] args = new String[4 + RUN.length + more.length];
    args[0] = "shop-sync";
    args[1] = "--db";
    args[2] = db;
    args[3] = "--job-id=" + jobId;
    System.arraycopy(RUN, 0, args, 4, RUN.length);
    System.arraycopy(more, 0, args, 4 + RUN.length, more.length);
    return run(args);
  }

  private String out() {
    return cli.out();
  }

  @Test
  void storedJobsHaveTheSimulationsExactCountsAndErrorsByCategory() {
    // The seed must exercise what is checked: both marketplaces with synced and failed products.
    for (Marketplace m : Marketplace.DEFAULTS) {
      assertThat(expected.synced(m.name())).as(m.name()).isPositive();
      assertThat(expected.failed(m.name())).as(m.name()).isPositive();
    }
    assertThat(shopSync("e2e")).as(cli.err()).isZero();

    try (JdbcProgressStore store = JdbcProgressStore.open(db)) {
      JobSnapshot batch = store.get("e2e");
      assertThat(batch.type()).isEqualTo(ShopSync.TYPE);
      assertThat(batch.status()).isEqualTo(JobStatus.COMPLETED);
      assertThat(count(batch, "synced")).isEqualTo(expected.synced());
      assertThat(count(batch, "failed")).isEqualTo(expected.failed());
      assertThat(batch.processedItems()).isEqualTo(2L * PRODUCTS);
      assertThat(batch.totalItems()).isEqualTo(2L * PRODUCTS);
      assertThat(ExpectedRun.productErrors(batch.errors().countsByCategory())).isEqualTo(expected.errors());
      assertThat(batch.lease()).isNull();

      assertThat(store.children("e2e")).hasSize(2);
      for (Marketplace m : Marketplace.DEFAULTS) {
        JobSnapshot job = store.get("e2e/" + m.name());
        assertThat(job.parentId()).isEqualTo("e2e");
        assertThat(job.type()).isEqualTo(ShopSync.MARKETPLACE_TYPE);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);  // some products failed for good
        assertThat(count(job, "synced")).isEqualTo(expected.synced(m.name()));
        assertThat(count(job, "failed")).isEqualTo(expected.failed(m.name()));
        assertThat(job.processedItems()).isEqualTo(PRODUCTS);
        assertThat(ExpectedRun.productErrors(job.errors().countsByCategory())).isEqualTo(expected.errors(m.name()));
        assertThat(job.errors().countsByCategory()).containsEntry("FAILED", 1L);  // the job's own reason
        TimelineEvent summary = job.timeline().events().stream()
            .filter(e -> e.type().equals(ShopSync.SUMMARY_EVENT)).reduce((a, b) -> b).orElseThrow();
        assertThat(((Number) summary.details().get("retries")).longValue()).isEqualTo(expected.retries(m.name()));
        assertThat(((Number) summary.details().get("attempts")).longValue()).isEqualTo(expected.attempts(m.name()));
      }
    }
  }

  @Test
  void printedSummaryShowsTheSameNumbers() {
    assertThat(shopSync("printed")).isZero();
    String text = out();
    long all = expected.synced() + expected.failed();
    assertThat(text).contains("Job id printed: 120 products to marketplace-a and marketplace-b, 5 workers each");
    assertThat(text).contains(String.format(Locale.ROOT, "Batch printed: %s, %d of %d product syncs succeeded (%.1f%%), %d retries",
        expected.aggregate(), expected.synced(), all, 100.0 * expected.synced() / all, expected.retries()));
    for (Marketplace m : Marketplace.DEFAULTS) {
      Matcher row = line(text, m.name() + "\\s+" + m.maxAttempts() + "\\s+FAILED\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)%\\s+(\\d+)");
      assertThat(Long.parseLong(row.group(1))).isEqualTo(expected.synced(m.name()));
      assertThat(Long.parseLong(row.group(2))).isEqualTo(expected.failed(m.name()));
      assertThat(row.group(3)).isEqualTo(String.format(Locale.ROOT, "%.1f",
          100.0 * expected.synced(m.name()) / PRODUCTS));
      assertThat(Long.parseLong(row.group(4))).isEqualTo(expected.retries(m.name()));
    }
    Matcher total = line(text, "all\\s+" + expected.aggregate() + "\\s+(\\d+)\\s+(\\d+)");
    assertThat(Long.parseLong(total.group(1))).isEqualTo(expected.synced());
    assertThat(Long.parseLong(total.group(2))).isEqualTo(expected.failed());
    for (String category : Marketplace.CATEGORIES) {
      Matcher row = line(text, category + "\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");
      assertThat(Long.parseLong(row.group(1))).as(category).isEqualTo(expected.errors("marketplace-a").get(category));
      assertThat(Long.parseLong(row.group(2))).as(category).isEqualTo(expected.errors("marketplace-b").get(category));
      assertThat(Long.parseLong(row.group(3))).as(category).isEqualTo(expected.errors().get(category));
    }
    assertThat(text).contains("printed: COMPLETED 100.0% 240/240");  // the live display's last line
  }

  @Test
  void jsonOutputParsesAndMatchesTheSimulation() throws Exception {
    assertThat(shopSync("json", "--json")).isZero();
    JsonNode j = new ObjectMapper().readTree(out());  // stdout is one JSON document
    assertThat(cli.err()).contains("Job id json");
    assertThat(j.path("jobId").asText()).isEqualTo("json");
    assertThat(j.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(j.path("aggregateStatus").asText()).isEqualTo(expected.aggregate());
    assertThat(j.path("synced").asLong()).isEqualTo(expected.synced());
    assertThat(j.path("failed").asLong()).isEqualTo(expected.failed());
    assertThat(j.path("retries").asLong()).isEqualTo(expected.retries());
    assertThat(j.path("successRate").asDouble())
        .isCloseTo(100.0 * expected.synced() / (expected.synced() + expected.failed()), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(j.path("metadata").path("seed").asLong()).isEqualTo(SEED);
    assertThat(longs(j.path("errorsByCategory"))).isEqualTo(expected.errors());
    assertThat(j.path("marketplaces").size()).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      JsonNode row = j.path("marketplaces").get(i);
      Marketplace m = Marketplace.DEFAULTS.get(i);
      assertThat(row.path("name").asText()).isEqualTo(m.name());
      assertThat(row.path("jobId").asText()).isEqualTo("json/" + m.name());
      assertThat(row.path("maxAttempts").asInt()).isEqualTo(m.maxAttempts());
      assertThat(row.path("status").asText()).isEqualTo("FAILED");
      assertThat(row.path("synced").asLong()).isEqualTo(expected.synced(m.name()));
      assertThat(row.path("failed").asLong()).isEqualTo(expected.failed(m.name()));
      assertThat(row.path("retries").asLong()).isEqualTo(expected.retries(m.name()));
      assertThat(row.path("attempts").asLong()).isEqualTo(expected.attempts(m.name()));
      assertThat(longs(row.path("errorsByCategory"))).isEqualTo(expected.errors(m.name()));
    }
  }

  @Test
  void aGeneratedJobIdIsPrintedAndNamesTheBatch() {
    assertThat(run("shop-sync", "--db", db, "--products", "5", "--call-ms", "0")).isZero();
    Matcher id = Pattern.compile("Generated job id (shop-sync-\\d{8}-\\d{6}-[0-9a-f]{4}):").matcher(out());
    assertThat(id.find()).as(out()).isTrue();
    assertThat(out()).contains("Batch " + id.group(1) + ":");
    try (JdbcProgressStore store = JdbcProgressStore.open(db)) {
      assertThat(store.get(id.group(1)).type()).isEqualTo(ShopSync.TYPE);
      assertThat(store.children(id.group(1))).hasSize(2);
    }
  }

  @Test
  void aJobIdAlreadyTakenIsAUsageError() {
    assertThat(shopSync("twice")).isZero();
    assertThat(shopSync("twice")).isEqualTo(2);
    assertThat(cli.err()).contains("--job-id (twice) is taken by a COMPLETED job")
        .doesNotContain("\tat ");
  }

  private static long count(JobSnapshot job, String itemType) {
    return ((Number) job.field("itemsByType." + itemType)).longValue();
  }

  private static Matcher line(String text, String regex) {
    Matcher m = Pattern.compile("(?m)^" + regex).matcher(text);
    assertThat(m.find()).as("a line like /%s/ in%n%s", regex, text).isTrue();
    return m;
  }

  private static Map<String, Long> longs(JsonNode object) {
    Map<String, Long> m = new java.util.LinkedHashMap<>();
    object.properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
    return m;
  }
}
