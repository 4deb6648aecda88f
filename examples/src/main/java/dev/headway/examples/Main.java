package dev.headway.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of {@code examples/target/headway.jar}: {@code java -jar headway.jar COMMAND [options]}.
 * Exit codes: 0 done, 1 the command failed, 2 bad usage.
 */
public final class Main {
  interface Command {
    String summary();

    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("demo", new DemoCommand());
  }

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(out);
      return args.length == 0 ? 2 : 0;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println("Unknown command: " + args[0]);
      usage(err);
      return 2;
    }
    try {
      return command.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (UsageException e) {
      err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      // People running a command get a sentence, not a stack trace.
      err.println(args[0] + " failed: " + e.getMessage());
      return 1;
    }
  }

  private static void usage(PrintStream out) {
    out.println("Usage: java -jar headway.jar COMMAND [options]");
    out.println();
    out.println("Commands:");
    COMMANDS.forEach((name, c) -> out.printf("  %-12s %s%n", name, c.summary()));
    out.println();
    out.println("Run COMMAND --help for its options.");
  }

  /** A mistake in how a command was called; its message says what to type instead. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }
}
