package io.mesokube.agent.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a task's program as execvp(3) will in the task: a name with a slash relative to the sandbox
 * (the task's cwd), a bare name along the task's PATH.
 *
 * <p>Checking before the supervisor starts turns a typo into a clear launch error at once; what
 * changes between this check and the exec still ends the task with exec's 126 or 127.
 */
final class ProgramLookup {
  // glibc's execvp uses this when PATH is unset.
  private static final String DEFAULT_PATH = "/bin:/usr/bin";

  private ProgramLookup() {}

  static Optional<Path> find(String program, Map<String, String> env, Path sandbox) {
    if (program.contains("/")) {
      return executable(sandbox.resolve(program));
    }
    for (String dir : env.getOrDefault("PATH", DEFAULT_PATH).split(":", -1)) {
      // An empty PATH entry is the current directory.
      Optional<Path> found = executable(sandbox.resolve(dir).resolve(program));
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> executable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file)
        ? Optional.of(file)
        : Optional.empty();
  }
}
