package io.mesokube.agent.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the host programs the agent runs, in the standard directories only (never a task's). */
public final class Programs {
  private static final List<String> DIRS =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Programs() {}

  /**
   * The path of {@code name} (a path is checked as is).
   *
   * @throws IllegalStateException when it is not there, naming what is missing
   */
  public static String find(String name) {
    if (name.contains("/")) {
      if (!Files.isExecutable(Path.of(name))) {
        throw new IllegalStateException(name + " is not an executable");
      }
      return name;
    }
    for (String dir : DIRS) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        name + " is not installed (looked in " + String.join(":", DIRS) + ")");
  }
}
