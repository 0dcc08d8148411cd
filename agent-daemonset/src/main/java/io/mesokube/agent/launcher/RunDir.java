package io.mesokube.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** The files a supervisor keeps in its task's run dir; supervisor.sh documents each. */
final class RunDir {
  static final String SUPERVISOR = "supervisor";
  static final String TASK_PID = "task.pid";
  static final String EXIT = "exit";
  static final String TASK_ENV = "task.env";
  static final String LOG = "supervisor.log";
  static final String LAUNCH_ERROR = "launch-error";

  private RunDir() {}

  /**
   * The supervisor's record of itself; absent until the supervisor has started. Written with a
   * rename but not fsynced (it only matters within one boot), so a host crash may leave it
   * unreadable: {@link CorruptRunDirException}.
   */
  static Optional<SupervisorId> supervisor(Path runDir) throws IOException {
    return read(runDir.resolve(SUPERVISOR), SupervisorId::parse);
  }

  /** The task's pid; absent only in the first milliseconds after the supervisor forked it. */
  static Optional<Long> taskPid(Path runDir) throws IOException {
    return read(runDir.resolve(TASK_PID), line -> Long.parseLong(line.trim()));
  }

  /** How the task ended; absent while it runs, or when its supervisor died first. */
  static Optional<ExitStatus> exit(Path runDir) throws IOException {
    return read(runDir.resolve(EXIT), ExitStatus::parse);
  }

  /** Why the supervisor could not start the task, if it could not. */
  static Optional<String> launchError(Path runDir) throws IOException {
    return read(runDir.resolve(LAUNCH_ERROR), String::strip);
  }

  /** The end of the supervisor's log, for an error message. */
  static String logTail(Path runDir) {
    try {
      String log = Files.readString(runDir.resolve(LOG)).strip();
      return log.substring(Math.max(0, log.length() - 2000));
    } catch (IOException e) {
      return "(no " + LOG + ": " + e.getMessage() + ")";
    }
  }

  private static <T> Optional<T> read(Path file, Function<String, T> parser) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(text));
    } catch (IllegalArgumentException e) {
      throw new CorruptRunDirException(file, e);
    }
  }

  /** A supervisor file that cannot be parsed. */
  static final class CorruptRunDirException extends IOException {
    CorruptRunDirException(Path file, IllegalArgumentException cause) {
      super("corrupt " + file + ": " + cause.getMessage(), cause);
    }
  }
}
