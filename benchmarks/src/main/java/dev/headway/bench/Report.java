package dev.headway.bench;

import dev.headway.ProgressUpdate;
import java.util.Map;

/**
 * One progress report as seed 003's crawler sends it: processedItems, itemsByType with three
 * types, stage, lastProcessedId, reporter + seq, and a timeline event on every tenth report. Every
 * report adds exactly 1 to {@code itemsByType.issues}, so a store's final count of issues must equal
 * the number of reports sent.
 */
public record Report(String reporter, long seq, long processedItems, long groups, long issues, long commits,
    String stage, String lastProcessedId, boolean event) {

  static final String[] STAGES = {"discovery", "branch_crawling", "data_collection", "finalization"};

  /** The {@code seq}-th report (from 1) of a reporter. */
  public static Report of(String reporter, long seq) {
    return new Report(reporter, seq, seq * 3, seq % 3 == 0 ? 1 : 0, 1, 2,
        STAGES[(int) ((seq / 100) % STAGES.length)], "issue-" + seq, seq % 10 == 0);
  }

  /** The report as a Headway update of {@code jobId}. */
  public ProgressUpdate toUpdate(String jobId) {
    ProgressUpdate.Builder b = ProgressUpdate.builder(jobId)
        .reporter(reporter, seq)
        .processedItems(processedItems)
        .items("groups", groups).items("issues", issues).items("commits", commits)
        .stage(stage)
        .lastProcessedId(lastProcessedId);
    if (event) {
      b.event("areas_discovered", Map.of("seq", seq));
    }
    return b.build();
  }
}
