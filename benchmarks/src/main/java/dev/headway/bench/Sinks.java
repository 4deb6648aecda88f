package dev.headway.bench;

/** Opens a sink by its row name: headway, raw, rowfloor, enginerow, handwritten, springbatch. */
final class Sinks {
  private Sinks() {}

  static ReportSink open(String impl, BenchDb db, String name) {
    return switch (impl) {
      case "headway" -> new HeadwaySink(db, name);
      case "raw" -> new RawSink(db, name);
      case "rowfloor" -> new RowFloorSink(db, name);
      case "enginerow" -> new EngineRowSink(db, name);
      case "handwritten" -> new HandwrittenSink(db, name);
      case "springbatch" -> new SpringBatchSink(db, name);
      default -> throw new IllegalArgumentException("unknown sink " + impl);
    };
  }

  /** Whether a baseline can express a variant at all (Spring Batch has no batch or shared step). */
  static boolean supports(String impl, String variant) {
    return whyNot(impl, variant) == null;
  }

  /** Why a baseline cannot express a variant, for the table's notes; null when it can. */
  static String whyNot(String impl, String variant) {
    return switch (impl) {
      case "springbatch" -> switch (variant) {
        case "batch100" -> "a chunk updates its StepExecution once per commit; there is no batch of reports";
        case "hot8" -> "a StepExecution is versioned and owned by one thread; concurrent updates fail optimistic locking";
        default -> null;
      };
      case "rowfloor" -> variant.equals("batch100") ? "a floor of one report per commit" : null;
      case "enginerow" -> switch (variant) {
        case "batch100" -> "a floor of one report per commit";
        case "hot8" -> "one writer per job: it holds no lock";
        default -> null;
      };
      default -> null;
    };
  }
}
