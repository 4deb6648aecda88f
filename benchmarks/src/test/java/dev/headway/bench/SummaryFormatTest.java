package dev.headway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bench-summary.json is read by other programs: each row has unit, headway, baselines and their ratios. */
class SummaryFormatTest {
  @Test
  void eachRowCarriesItsUnitHeadwaysFigureEveryBaselineAndTheRatios() throws Exception {
    BenchMain main = new BenchMain(true);
    Map<String, Double> baselines = new LinkedHashMap<>();
    baselines.put("raw", 200.0);
    baselines.put("springbatch", 25.0);
    main.add(new BenchMain.Row("jdbc.h2.single", "reports/s", 100.0, baselines, "a note", Map.of()));
    main.add(new BenchMain.Row("inmem.single", "reports/s", 5.0, Map.of(), null, Map.of()));
    Path file = Files.createTempDirectory("summary").resolve("bench-summary.json");

    main.write(file, 12.3, true);

    JsonNode root = new ObjectMapper().readTree(file.toFile());
    assertThat(root.path("mode").asText()).isEqualTo("quick");
    assertThat(root.path("complete").asBoolean()).isTrue();
    JsonNode row = root.path("rows").get(0);
    assertThat(row.path("name").asText()).isEqualTo("jdbc.h2.single");
    assertThat(row.path("unit").asText()).isEqualTo("reports/s");
    assertThat(row.path("headway").asDouble()).isEqualTo(100.0);
    assertThat(row.path("baselines").path("raw").asDouble()).isEqualTo(200.0);
    assertThat(row.path("baselines").path("springbatch").asDouble()).isEqualTo(25.0);
    assertThat(row.path("ratios").path("raw").asDouble()).isEqualTo(0.5);
    assertThat(row.path("ratios").path("springbatch").asDouble()).isEqualTo(4.0);
    assertThat(row.path("note").asText()).isEqualTo("a note");
    assertThat(root.path("rows").get(1).path("baselines").size()).isZero();
  }
}
