package io.mesokube.scheduler;

import io.mesokube.api.v1alpha1.task.TaskState;

/**
 * One status update of a task, as delivered to {@link Scheduler#statusUpdate} (Mesos' {@code
 * TaskStatus}).
 *
 * @param taskName name of the Task object (the Mesos task id within the namespace)
 * @param state the state entered
 * @param reason Mesos reason code, or null
 * @param message human-readable detail, or null
 * @param exitCode exit code of the task's process when the update reports it, else null
 * @param healthy result of the last health check, or null
 * @param agent agent the task is bound to, or null
 * @param timestamp when the state was entered (RFC 3339), or null when unknown
 * @param source who produced the update
 */
public record TaskStatusUpdate(
    String taskName,
    TaskState state,
    String reason,
    String message,
    Integer exitCode,
    Boolean healthy,
    String agent,
    String timestamp,
    Source source) {

  /** Reason of updates answering a reconciliation, as Mesos' master sets it. */
  public static final String REASON_RECONCILIATION = "REASON_RECONCILIATION";

  /** Reason of tasks whose offer was no longer valid when the framework answered it. */
  public static final String REASON_INVALID_OFFERS = "REASON_INVALID_OFFERS";

  /** Where an update comes from. */
  public enum Source {
    /** A change of the Task's status, written by its agent or the operator. */
    TASK_STATUS,
    /** An answer to {@link SchedulerDriver#reconcileTasks}. */
    RECONCILIATION,
    /** Made up by the driver: the Task object does not exist (offer gone, kill of an unknown). */
    DRIVER
  }

  /** Whether no further update will follow for this task. */
  public boolean isTerminal() {
    return state.isTerminal();
  }
}
