package io.mesokube.examples.runner;

import io.mesokube.api.Mesokube;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags of the task runner: {@code --namespace --name --role --tasks --cpus --mem
 * --command --max-retries}, each as {@code --flag value} or {@code --flag=value}.
 *
 * @param namespace namespace of the Framework and its tasks; null means the client's
 * @param name framework name
 * @param role Mesos role to run under
 * @param tasks how many tasks must finish successfully
 * @param cpus cpus per task
 * @param mem MiB of memory per task
 * @param command shell command each task runs
 * @param maxRetries how many times one task is relaunched after it failed or was lost
 */
public record RunnerOptions(
    String namespace,
    String name,
    String role,
    int tasks,
    double cpus,
    double mem,
    String command,
    int maxRetries) {

  /** How to call the runner. */
  public static final String USAGE =
      "usage: RunnerMain [--namespace NS] [--name runner] [--role *] [--tasks 1] [--cpus 0.1]"
          + " [--mem 32] [--command 'echo hello'] [--max-retries 3]";

  private static final Set<String> FLAGS =
      Set.of("namespace", "name", "role", "tasks", "cpus", "mem", "command", "max-retries");

  /** Validates. */
  public RunnerOptions {
    if (tasks < 1 || cpus <= 0 || mem <= 0 || maxRetries < 0) {
      throw new IllegalArgumentException(
          "--tasks must be at least 1, --cpus and --mem positive, --max-retries not negative");
    }
  }

  /** Parses {@code args}; throws {@link IllegalArgumentException} with the usage when wrong. */
  public static RunnerOptions parse(String... args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      var arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg + "\n" + USAGE);
      }
      var equals = arg.indexOf('=');
      String flag;
      String value;
      if (equals > 0) {
        flag = arg.substring(2, equals);
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.length) {
        flag = arg.substring(2);
        value = args[++i];
      } else {
        throw new IllegalArgumentException(arg + " needs a value\n" + USAGE);
      }
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown flag --" + flag + "\n" + USAGE);
      }
      values.put(flag, value);
    }
    try {
      return new RunnerOptions(
          values.get("namespace"),
          values.getOrDefault("name", "runner"),
          values.getOrDefault("role", Mesokube.DEFAULT_ROLE),
          Integer.parseInt(values.getOrDefault("tasks", "1")),
          Double.parseDouble(values.getOrDefault("cpus", "0.1")),
          Double.parseDouble(values.getOrDefault("mem", "32")),
          values.getOrDefault("command", "echo hello"),
          Integer.parseInt(values.getOrDefault("max-retries", "3")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage() + "\n" + USAGE, e);
    }
  }
}
