package io.mesokube.agent.checkpoint;

import io.mesokube.api.v1alpha1.task.TaskState;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One status update the agent generated for a task (Mesos' StatusUpdate): its place in the task's
 * stream, the uuid the acknowledgement names, and what it says.
 *
 * @param sequence the position in the task's stream, from 1, set by {@link
 *     StatusUpdateStream#append}
 * @param uuid names the update in its acknowledgement
 * @param state the task's state
 * @param reason a Mesos reason code, or null
 * @param message a human-readable detail, or null
 * @param exitCode the task's exit code when it exited, or null
 * @param healthy the last health check's result, or null without one
 * @param timestamp when the agent generated it
 */
public record StatusUpdate(
    long sequence,
    UUID uuid,
    TaskState state,
    String reason,
    String message,
    Integer exitCode,
    Boolean healthy,
    Instant timestamp) {

  /** Refuses an update without identity or state. */
  public StatusUpdate {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(timestamp, "timestamp");
  }

  /** A new update, with a random uuid, not yet in a stream. */
  public static StatusUpdate of(
      TaskState state,
      String reason,
      String message,
      Integer exitCode,
      Boolean healthy,
      Instant timestamp) {
    return new StatusUpdate(
        0, UUID.randomUUID(), state, reason, message, exitCode, healthy, timestamp);
  }

  StatusUpdate withSequence(long next) {
    return new StatusUpdate(next, uuid, state, reason, message, exitCode, healthy, timestamp);
  }
}
