package io.mesokube.api.v1alpha1.task;

import java.util.EnumSet;
import java.util.Set;

/**
 * The Mesos task state machine ({@code mesos.v1.TaskState}).
 *
 * <p>Invariant: a terminal state is final. TASK_UNREACHABLE is the one non-terminal state a task
 * can leave for an earlier one: it returns to TASK_RUNNING when its agent comes back in time.
 */
public enum TaskState {
  /** Created and bound to an agent; the agent has not started it yet. */
  TASK_STAGING,
  /** The agent is starting it (fetching, pulling its image, creating its container). */
  TASK_STARTING,
  /** Its process runs. */
  TASK_RUNNING,
  /** A kill was requested; the grace period runs (framework has TASK_KILLING_STATE). */
  TASK_KILLING,
  /** Exited with status 0. */
  TASK_FINISHED,
  /** Exited non-zero, or hit a limit. */
  TASK_FAILED,
  /** Killed on request. */
  TASK_KILLED,
  /** Refused before launch: invalid task or offer. */
  TASK_ERROR,
  /** Its agent was lost and the framework is not partition-aware. */
  TASK_LOST,
  /** Dropped before launch, e.g. its offer was rescinded. */
  TASK_DROPPED,
  /** Its agent is unreachable; it may come back (partition-aware frameworks). */
  TASK_UNREACHABLE,
  /** Its agent is gone for good. */
  TASK_GONE,
  /** The state is not known to Mesokube (answer to reconciliation of an unknown task). */
  TASK_UNKNOWN;

  private static final Set<TaskState> TERMINAL =
      EnumSet.of(
          TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE);

  /** Whether no further state may follow this one. */
  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  /**
   * Whether {@code next} may follow this state. Repeating a state is not a transition (health or
   * message updates keep the state); a terminal state allows nothing else; no state returns to
   * TASK_STAGING; TASK_UNKNOWN is only an answer, never stored after another state.
   */
  public boolean canTransitionTo(TaskState next) {
    if (next == this) {
      return true;
    }
    if (isTerminal() || next == TASK_STAGING || next == TASK_UNKNOWN) {
      return false;
    }
    return switch (this) {
      case TASK_STAGING, TASK_UNKNOWN -> true;
      case TASK_STARTING -> next != TASK_STAGING;
      case TASK_RUNNING -> next != TASK_STARTING;
      case TASK_KILLING -> next.isTerminal() || next == TASK_UNREACHABLE;
      case TASK_UNREACHABLE -> next == TASK_RUNNING || next == TASK_KILLING || next.isTerminal();
      default -> false;
    };
  }
}
