package io.mesokube.agent.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Creates a task's run dir and sandbox before its supervisor starts. */
final class TaskDirs {
  // The run dir holds task.env, the task's secrets, until the task has read it.
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private TaskDirs() {}

  static void prepare(LaunchSpec spec) throws IOException {
    Files.createDirectories(spec.runDir().getParent());
    if (!Files.isDirectory(spec.runDir())) {
      Files.createDirectory(spec.runDir(), OWNER_ONLY_DIR);
    }
    // One launch per run dir: a second one would mix two supervisors' files.
    if (Files.exists(spec.runDir().resolve(RunDir.SUPERVISOR))) {
      throw new FileAlreadyExistsException(
          spec.runDir().toString(), null, "a task was launched in this run dir before");
    }
    Files.createDirectories(spec.sandboxDir());
    Path stdout = touch(spec.sandboxDir().resolve("stdout"));
    Path stderr = touch(spec.sandboxDir().resolve("stderr"));
    if (spec.user() != null) {
      // The task owns its sandbox, as in Mesos; root opened its logs, the user may reopen them.
      // Never through a link: the sandbox may already be the user's, and another task of the same
      // user could have swapped a log for a link to a file root owns.
      // A program root starts gets the directory only after the supervisor opened the logs.
      Path[] owned =
          spec.programAsRoot()
              ? new Path[] {stdout, stderr}
              : new Path[] {spec.sandboxDir(), stdout, stderr};
      for (Path path : owned) {
        Files.setAttribute(path, "unix:uid", spec.user().uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", spec.user().gid(), LinkOption.NOFOLLOW_LINKS);
      }
    }
    Path env = spec.runDir().resolve(RunDir.TASK_ENV);
    Files.deleteIfExists(env);
    Files.createFile(env, OWNER_ONLY_FILE);
    Files.writeString(
        env, envFragment(spec.env()), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static Path touch(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    return file;
  }

  /**
   * The task's environment as a line for sh's "." : {@code set -- 'NAME=value'... "$@"}, which puts
   * the variables before the program in the supervisor's arguments to env -i. Single quotes keep
   * every byte but the quote itself, written as '\''.
   */
  static String envFragment(Map<String, String> env) {
    return env.entrySet().stream()
        .map(e -> quote(e.getKey() + "=" + e.getValue()))
        .collect(Collectors.joining(" ", "set -- ", " \"$@\"\n"));
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
