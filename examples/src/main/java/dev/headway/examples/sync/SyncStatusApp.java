package dev.headway.examples.sync;

import dev.headway.examples.Main;

/** Runs {@code sync-status} as a program of its own: {@code java -cp headway.jar dev.headway.examples.sync.SyncStatusApp [options]}. */
public final class SyncStatusApp {
  private SyncStatusApp() {}

  public static void main(String[] args) {
    String[] command = new String[args.length + 1];
    command[0] = "sync-status";
    System.arraycopy(args, 0, command, 1, args.length);
    System.exit(Main.run(command, System.out, System.err));
  }
}
