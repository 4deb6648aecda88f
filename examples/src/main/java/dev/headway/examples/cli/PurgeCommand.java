package dev.headway.examples.cli;

import dev.headway.examples.Main;
import dev.headway.jdbc.JdbcProgressStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code purge --older-than 30d}: deletes finished jobs (and their children) older than that. */
@Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete finished jobs older than an age.")
public final class PurgeCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Option(names = "--older-than", required = true, paramLabel = "AGE", description = "For example 30d, 12h, 90m.")
  String olderThan;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Duration age = parse(olderThan);
    try (JdbcProgressStore s = store.open()) {
      int purged = s.purgeFinishedOlderThan(age);
      var out = spec.commandLine().getOut();
      out.println(store.json() ? JsonOutput.write(Map.of("purged", purged))
          : String.format(Locale.ROOT, "Purged %d finished job(s) older than %s.", purged, olderThan));
      return 0;
    }
  }

  static Duration parse(String text) {
    try {
      return DurationConverter.parse(text);
    } catch (TypeConversionException e) {
      throw new Main.UsageException("--older-than (" + text + ") must be an age such as 30d, 12h or 90m");
    }
  }
}
