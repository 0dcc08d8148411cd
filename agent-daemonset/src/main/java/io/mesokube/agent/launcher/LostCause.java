package io.mesokube.agent.launcher;

/**
 * Why a task's supervisor left no exit status. The agent kills whatever is left in the task's
 * cgroup, then reports the task as Mesos does when an executor disappears.
 */
public enum LostCause {
  /**
   * The run dir has no supervisor record: the agent died while launching. Report TASK_FAILED with
   * REASON_CONTAINER_LAUNCH_FAILED; the task never ran, or ran for milliseconds.
   */
  NEVER_STARTED,
  /**
   * The supervisor was killed (or its pid is now another process). Report TASK_FAILED with
   * REASON_EXECUTOR_TERMINATED, as Mesos does for a command executor; the task may still run.
   */
  SUPERVISOR_DIED,
  /**
   * The host rebooted since the launch, and the task with it. Report TASK_GONE to partition-aware
   * frameworks and TASK_LOST to the others, with REASON_EXECUTOR_TERMINATED.
   */
  HOST_REBOOTED
}
