package io.mesokube.agent.tasks;

import io.mesokube.agent.cgroups.TaskCgroup;
import io.mesokube.agent.checkpoint.StatusUpdate;
import io.mesokube.agent.checkpoint.StatusUpdateStream;
import io.mesokube.agent.checkpoint.TaskCheckpoint;
import io.mesokube.agent.health.HealthChecker;
import io.mesokube.agent.launcher.TaskProcess;
import io.mesokube.agent.status.StatusSender;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;

/**
 * One task on this agent, from launch to its last acknowledged update. Confined to the task
 * manager's thread.
 */
final class TaskRun {
  final String namespace;
  final String name;
  final String uid;
  final Path runDir;
  final StatusUpdateStream stream;
  TaskCheckpoint checkpoint;
  String sandbox;
  TaskCgroup cgroup;
  TaskProcess process;
  HealthChecker health;
  TaskEnding.KillCause killing;
  ScheduledFuture<?> escalation;

  /** The image being provided for it, until its container launches (or it ends first). */
  java.util.concurrent.Future<?> provisioning;

  boolean exited;

  TaskRun(String namespace, String name, String uid, Path runDir, StatusUpdateStream stream) {
    this.namespace = namespace;
    this.name = name;
    this.uid = uid;
    this.runDir = runDir;
    this.stream = stream;
  }

  String taskId() {
    return namespace + "/" + name;
  }

  /** Whether its process may still run: launched and not seen to exit. */
  boolean running() {
    return process != null && !exited;
  }

  /** Whether a kill has something to end: it runs, or its image is being provided. */
  boolean killable() {
    return !exited && (process != null || provisioning != null);
  }

  /** The state its last update reported, or null before the first. */
  TaskState state() {
    return stream.last().map(StatusUpdate::state).orElse(null);
  }

  StatusSender.Delivery delivery() {
    return new StatusSender.Delivery(namespace, name, uid, sandbox, stream);
  }

  /** Checkpoints an update; the caller then asks the sender to deliver it. */
  void append(StatusUpdate update) throws IOException {
    stream.append(update);
  }
}
