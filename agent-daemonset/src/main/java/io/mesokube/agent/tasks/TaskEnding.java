package io.mesokube.agent.tasks;

import io.mesokube.agent.checkpoint.StatusUpdate;
import io.mesokube.agent.images.ImageException;
import io.mesokube.agent.launcher.ExitStatus;
import io.mesokube.agent.launcher.LostCause;
import io.mesokube.api.v1alpha1.task.Reasons;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.time.Instant;

/**
 * The terminal status update of a task, from how it ended and why: Mesos' command executor's rules
 * (TASK_FINISHED on 0, TASK_FAILED with the exit status otherwise, TASK_KILLED when the agent
 * killed it) plus the containerizer's limitation reasons. Pure logic.
 */
final class TaskEnding {
  /** Why the agent killed a task, if it did. */
  enum KillCause {
    /** The framework or a user asked (spec.kill, or the Task was deleted). */
    REQUESTED,
    /** Too many failed health checks. */
    UNHEALTHY,
    /** The Task is terminal already (e.g. TASK_LOST while the agent was unreachable). */
    SUPERSEDED,
    /** The agent was taken Down for maintenance ({@code spec.maintenance.mode: Down}). */
    MAINTENANCE
  }

  private TaskEnding() {}

  /**
   * @param killed why the agent killed it, or null
   * @param oomKilled whether the kernel's OOM killer struck in the task's cgroup
   * @param memoryLimitMib the task's memory limit, for the message
   */
  static StatusUpdate ended(
      ExitStatus exit, KillCause killed, boolean oomKilled, double memoryLimitMib, Instant now) {
    if (oomKilled) {
      // Checked first: an OOM kill during a graceful kill is still the reason the task ended.
      return StatusUpdate.of(
          TaskState.TASK_FAILED,
          Reasons.CONTAINER_LIMITATION_MEMORY,
          "Memory limit exceeded: the task used more than its "
              + memoryLimitMib
              + " MiB and"
              + " was killed by the OOM killer",
          exit.shellStatus(),
          null,
          now);
    }
    if (killed == KillCause.UNHEALTHY) {
      return StatusUpdate.of(
          TaskState.TASK_KILLED,
          Reasons.TASK_HEALTH_CHECK_STATUS_UPDATED,
          "Killed after failing its health check: " + exit.message(),
          exit.shellStatus(),
          false,
          now);
    }
    if (killed == KillCause.MAINTENANCE) {
      return StatusUpdate.of(
          TaskState.TASK_KILLED,
          Reasons.AGENT_DRAINING,
          "Killed because the agent is Down for maintenance: " + exit.message(),
          exit.shellStatus(),
          null,
          now);
    }
    if (killed != null) {
      return StatusUpdate.of(
          TaskState.TASK_KILLED, null, exit.message(), exit.shellStatus(), null, now);
    }
    if (exit.kind() == ExitStatus.Kind.LAUNCH_FAILED) {
      return StatusUpdate.of(
          TaskState.TASK_FAILED, Reasons.CONTAINER_LAUNCH_FAILED, exit.message(), null, null, now);
    }
    if (exit.succeeded()) {
      return StatusUpdate.of(TaskState.TASK_FINISHED, null, exit.message(), 0, null, now);
    }
    return StatusUpdate.of(
        TaskState.TASK_FAILED,
        Reasons.COMMAND_EXECUTOR_FAILED,
        exit.message(),
        exit.shellStatus(),
        null,
        now);
  }

  /** The update for a task whose supervisor vanished without an exit status. */
  static StatusUpdate lost(LostCause cause, String detail, boolean partitionAware, Instant now) {
    return switch (cause) {
      case NEVER_STARTED ->
          StatusUpdate.of(
              TaskState.TASK_FAILED,
              Reasons.CONTAINER_LAUNCH_FAILED,
              "The agent stopped while launching the task: " + detail,
              null,
              null,
              now);
      case SUPERVISOR_DIED ->
          StatusUpdate.of(
              TaskState.TASK_FAILED,
              Reasons.EXECUTOR_TERMINATED,
              "The task's supervisor ended without its exit status: " + detail,
              null,
              null,
              now);
      case HOST_REBOOTED ->
          StatusUpdate.of(
              partitionAware ? TaskState.TASK_GONE : TaskState.TASK_LOST,
              Reasons.EXECUTOR_TERMINATED,
              "The host rebooted: " + detail,
              null,
              null,
              now);
    };
  }

  /** A task the agent was asked to kill before it launched it. */
  static StatusUpdate killedBeforeLaunch(Instant now) {
    return StatusUpdate.of(
        TaskState.TASK_KILLED,
        Reasons.TASK_KILLED_DURING_LAUNCH,
        "Killed before the agent launched it",
        null,
        null,
        now);
  }

  /**
   * A task the agent did not launch because it is Down for maintenance: TASK_KILLED if it was on
   * its way (its image being provided) when the agent went Down, TASK_DROPPED if it arrived after.
   */
  static StatusUpdate notLaunchedWhileDown(boolean wasStarting, String why, Instant now) {
    return StatusUpdate.of(
        wasStarting ? TaskState.TASK_KILLED : TaskState.TASK_DROPPED,
        Reasons.AGENT_DRAINING,
        "Not launched: the agent is Down for maintenance (" + why + ")",
        null,
        null,
        now);
  }

  /**
   * A task whose image could not be provided: refused (TASK_ERROR) when the reference is invalid or
   * its registry is in a denied network, failed to launch otherwise.
   */
  static StatusUpdate notProvided(Throwable cause, Instant now) {
    if (cause instanceof ImageException e) {
      switch (e.kind()) {
        case INVALID_REFERENCE -> {
          return refused(Reasons.TASK_INVALID, e.getMessage(), now);
        }
        case DENIED -> {
          return refused(Reasons.TASK_UNAUTHORIZED, e.getMessage(), now);
        }
        default -> {
          // A pull that failed: below.
        }
      }
    }
    return launchFailed("Failed to provision the image: " + cause.getMessage(), now);
  }

  /** A task the agent could not start. */
  static StatusUpdate launchFailed(String message, Instant now) {
    return StatusUpdate.of(
        TaskState.TASK_FAILED, Reasons.CONTAINER_LAUNCH_FAILED, message, null, null, now);
  }

  /** A task the agent refuses to run (e.g. as root without a policy allowing it). */
  static StatusUpdate refused(String reason, String message, Instant now) {
    return StatusUpdate.of(TaskState.TASK_ERROR, reason, message, null, null, now);
  }
}
