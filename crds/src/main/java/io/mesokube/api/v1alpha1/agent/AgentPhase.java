package io.mesokube.api.v1alpha1.agent;

/** Where an agent is in its life, as the operator sees it. */
public enum AgentPhase {
  /** Created, not yet heartbeating. */
  Registering,
  /** Heartbeating; its resources are offered. */
  Active,
  /** Missed heartbeats past the unreachable timeout; tasks go TASK_UNREACHABLE or TASK_LOST. */
  Unreachable,
  /** Unreachable past the gone timeout: tasks TASK_GONE, resources released; must re-register. */
  Gone
}
