package dev.headway.report;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What keeps a reporter's {@code (reporterId, seq)} pairs unique, so the store never takes a new
 * update for a duplicate of an old one: reporter ids unique per process run, and first seqs above
 * anything an earlier run under the same id can have sent. Thread-safe.
 */
final class ReporterIds {
  // Process-wide, so two reporters started in the same microsecond still get distinct first seqs.
  private static final AtomicLong SEQ_CLOCK = new AtomicLong();

  private ReporterIds() {}

  /** {@code host-pid-random}; see {@link ProgressReporter#newReporterId()}. */
  static String newId() {
    String host = hostName();
    long pid = ProcessHandle.current().pid();
    long random = ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL;
    return host + "-" + pid + "-" + String.format(Locale.ROOT, "%012x", random);
  }

  /*
   * The first seq is the wall clock in microseconds (at least one above the previous reporter's
   * first in this process), not 1: a reporter restarted under an old id, against advice, then
   * still sends seqs above everything its previous run sent (a run would have to send more than
   * a million updates a second to catch up), instead of having them taken for duplicates.
   */
  static long firstSeq(long min) {
    long clock = SEQ_CLOCK.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis() * 1000));
    return Math.max(min, clock);
  }

  // Letters, digits, '.', '_' and '-' only, at most 60: the id must pass Ids.check wherever it runs.
  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException | RuntimeException e) {
        host = "host";
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < host.length() && b.length() < 60; i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      b.append(ok ? c : '_');
    }
    return b.length() == 0 ? "host" : b.toString();
  }
}
