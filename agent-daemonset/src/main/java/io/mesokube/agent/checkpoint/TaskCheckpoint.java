package io.mesokube.agent.checkpoint;

import io.mesokube.api.v1alpha1.common.Resources;
import java.time.Instant;
import java.util.Objects;

/**
 * What the agent must know to recover a task after a restart ({@code RUN_DIR/task.json}).
 *
 * <p>Written before the launch, as Mesos checkpoints a task before starting its executor, so that a
 * crash in between leaves a task the agent can report; written again with the supervisor's identity
 * once it runs. The launcher's own record in the run dir stays authoritative for liveness: the
 * supervisor writes it before the task starts, with no window.
 *
 * @param namespace the Task's namespace
 * @param name the Task's name
 * @param uid the Task object's Kubernetes uid: a recreated Task of the same name is another task
 * @param framework the framework's name
 * @param agentId the agent the task was launched on
 * @param launchTime when the agent launched it
 * @param runDir the run dir (absolute)
 * @param sandboxDir the sandbox (absolute)
 * @param cgroup the task's cgroup, relative to the agent's cgroup root; null without one
 * @param resources the resources the task was given
 * @param user the user it runs as; null for the agent's user
 * @param supervisorPid the supervisor's pid, 0 until launched
 * @param supervisorStartTime the supervisor's start time in clock ticks since boot
 * @param bootId the boot the supervisor started in
 * @param taskPid the task's pid, 0 until launched, -1 when not known
 */
public record TaskCheckpoint(
    String namespace,
    String name,
    String uid,
    String framework,
    String agentId,
    Instant launchTime,
    String runDir,
    String sandboxDir,
    String cgroup,
    Resources resources,
    String user,
    long supervisorPid,
    long supervisorStartTime,
    String bootId,
    long taskPid) {

  /** File name in the run dir. */
  public static final String FILE = "task.json";

  /** Refuses a checkpoint that could not name or find its task. */
  public TaskCheckpoint {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(framework, "framework");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(launchTime, "launchTime");
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(sandboxDir, "sandboxDir");
  }

  /** This checkpoint of a run about to launch: when, in which cgroup, as which user. */
  public TaskCheckpoint withLaunch(Instant launchTime, String cgroup, String user) {
    return new TaskCheckpoint(
        namespace,
        name,
        uid,
        framework,
        agentId,
        launchTime,
        runDir,
        sandboxDir,
        cgroup,
        resources,
        user,
        supervisorPid,
        supervisorStartTime,
        bootId,
        taskPid);
  }

  /** This checkpoint with the identity of the task's supervisor and the task's pid. */
  public TaskCheckpoint withSupervisor(
      long supervisorPid, long supervisorStartTime, String bootId, long taskPid) {
    return new TaskCheckpoint(
        namespace,
        name,
        uid,
        framework,
        agentId,
        launchTime,
        runDir,
        sandboxDir,
        cgroup,
        resources,
        user,
        supervisorPid,
        supervisorStartTime,
        bootId,
        taskPid);
  }

  /** Whether the supervisor is known, i.e. the launch went through. */
  public boolean launched() {
    return supervisorPid > 0;
  }
}
