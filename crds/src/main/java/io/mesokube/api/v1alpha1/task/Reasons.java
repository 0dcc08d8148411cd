package io.mesokube.api.v1alpha1.task;

/**
 * Mesos task status reasons ({@code TaskStatus.Reason} of the v1 API) that Mesokube writes into
 * {@code status.reason}, named as Mesos names them so that existing tooling reads them.
 */
public final class Reasons {
  /** The task's command exited non-zero or was killed by a signal it did not expect. */
  public static final String COMMAND_EXECUTOR_FAILED = "REASON_COMMAND_EXECUTOR_FAILED";

  /** The container (cgroup, sandbox, process or image) could not be set up. */
  public static final String CONTAINER_LAUNCH_FAILED = "REASON_CONTAINER_LAUNCH_FAILED";

  /** The task exceeded its memory limit and was OOM-killed. */
  public static final String CONTAINER_LIMITATION_MEMORY = "REASON_CONTAINER_LIMITATION_MEMORY";

  /** The task exceeded its disk limit. */
  public static final String CONTAINER_LIMITATION_DISK = "REASON_CONTAINER_LIMITATION_DISK";

  /** The task's supervisor (Mesos' executor) ended without recording the task's exit. */
  public static final String EXECUTOR_TERMINATED = "REASON_EXECUTOR_TERMINATED";

  /** The task failed its health checks too often and was killed. */
  public static final String TASK_HEALTH_CHECK_STATUS_UPDATED =
      "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";

  /** The accept named offers that are expired, rescinded, foreign or too small. */
  public static final String INVALID_OFFERS = "REASON_INVALID_OFFERS";

  /** The task's spec cannot be run (e.g. a user the policy forbids). */
  public static final String TASK_INVALID = "REASON_TASK_INVALID";

  /** The task is not authorized (e.g. root without a policy that allows it). */
  public static final String TASK_UNAUTHORIZED = "REASON_TASK_UNAUTHORIZED";

  /** A kill arrived before the task was launched. */
  public static final String TASK_KILLED_DURING_LAUNCH = "REASON_TASK_KILLED_DURING_LAUNCH";

  /** The agent stopped heartbeating: its tasks are unreachable or lost. */
  public static final String AGENT_REMOVED = "REASON_AGENT_REMOVED";

  /** The agent was marked gone (or removed by an operator). */
  public static final String AGENT_REMOVED_BY_OPERATOR = "REASON_AGENT_REMOVED_BY_OPERATOR";

  /**
   * The agent was taken Down for maintenance ({@code spec.maintenance.mode: Down}) and killed the
   * task, or refused to launch it; Mesos' {@code REASON_AGENT_DRAINING}.
   */
  public static final String AGENT_DRAINING = "REASON_AGENT_DRAINING";

  /** The agent restarted without the task's checkpoint (e.g. checkpointing off, host reboot). */
  public static final String AGENT_RESTARTED = "REASON_AGENT_RESTARTED";

  /** The framework was torn down or removed. */
  public static final String FRAMEWORK_REMOVED = "REASON_FRAMEWORK_REMOVED";

  /** The status was sent as the answer to a reconciliation request. */
  public static final String RECONCILIATION = "REASON_RECONCILIATION";

  private Reasons() {}
}
