package io.mesokube.agent.launcher;

/**
 * A task could not be launched; the agent reports it TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED).
 */
public class LaunchException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A launch refused or failed for the given reason. */
  public LaunchException(String message) {
    super(message);
  }

  /** A launch failed for the given reason and cause. */
  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
