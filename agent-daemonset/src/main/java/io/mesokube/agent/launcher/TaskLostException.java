package io.mesokube.agent.launcher;

import java.nio.file.Path;

/** A task's supervisor ended without recording the task's exit status; see {@link LostCause}. */
public class TaskLostException extends Exception {
  private static final long serialVersionUID = 1L;

  private final LostCause lostCause;

  /** The task of the given run dir was lost for the given cause. */
  public TaskLostException(Path runDir, LostCause lostCause, String detail) {
    super("task of " + runDir + " lost (" + lostCause + "): " + detail);
    this.lostCause = lostCause;
  }

  /** Why the task was lost. */
  public LostCause lostCause() {
    return lostCause;
  }
}
