package io.mesokube.agent.launcher;

/**
 * How a task ended, as its supervisor recorded it in {@code RUN_DIR/exit}.
 *
 * <p>Mesos' command executor reports the same facts: status 0 is TASK_FINISHED; any other status or
 * a signal is TASK_FAILED ("Command exited with status N" / "Command terminated with signal NAME")
 * unless the agent itself killed the task (TASK_KILLED); a task that could not be started is
 * TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED.
 *
 * @param kind how it ended
 * @param code the exit status (0-255) for {@link Kind#EXITED}, the signal number for {@link
 *     Kind#SIGNALED}, 125 for {@link Kind#LAUNCH_FAILED}
 */
public record ExitStatus(Kind kind, int code) {

  /** How a task ended. */
  public enum Kind {
    /** Exited with status {@code code}. */
    EXITED,
    /** Killed by signal {@code code}; sh would have said 128 + code. */
    SIGNALED,
    /** Never ran: its supervisor could not put it in its cgroups or open its sandbox logs. */
    LAUNCH_FAILED
  }

  /** Validates the fields. */
  public ExitStatus {
    if (kind == null || code < 0 || code > 255) {
      throw new IllegalArgumentException("invalid exit status: " + kind + " " + code);
    }
  }

  /** Exited with the given status. */
  public static ExitStatus exited(int status) {
    return new ExitStatus(Kind.EXITED, status);
  }

  /** Killed by the given signal. */
  public static ExitStatus signaled(int signal) {
    return new ExitStatus(Kind.SIGNALED, signal);
  }

  /** Parses the supervisor's line: "exited N", "signaled N" or "failed N". */
  static ExitStatus parse(String line) {
    String[] words = line.trim().split(" ");
    if (words.length != 2) {
      throw new IllegalArgumentException("expected \"KIND CODE\", got: " + line);
    }
    Kind kind =
        switch (words[0]) {
          case "exited" -> Kind.EXITED;
          case "signaled" -> Kind.SIGNALED;
          case "failed" -> Kind.LAUNCH_FAILED;
          default -> throw new IllegalArgumentException("unknown exit kind: " + line);
        };
    return new ExitStatus(kind, Integer.parseInt(words[1]));
  }

  /** Whether the task succeeded (TASK_FINISHED). */
  public boolean succeeded() {
    return kind == Kind.EXITED && code == 0;
  }

  /** The status as sh reports it ({@code $?}): 128 + signal for a signal. */
  public int shellStatus() {
    return kind == Kind.SIGNALED ? 128 + code : code;
  }

  /** Mesos' wording, for a status update's message. */
  public String message() {
    return switch (kind) {
      case EXITED -> "Command exited with status " + code;
      case SIGNALED -> "Command terminated with signal " + code;
      case LAUNCH_FAILED -> "Command could not be started (see the supervisor log)";
    };
  }
}
