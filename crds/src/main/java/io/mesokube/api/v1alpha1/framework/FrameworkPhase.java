package io.mesokube.api.v1alpha1.framework;

/** Where a framework is in its life. */
public enum FrameworkPhase {
  /** Accepted, not yet given a framework id. */
  Pending,
  /** Registered and connected: its scheduler renews its Lease (always so for Managed ones). */
  Active,
  /** Its scheduler's Lease lapsed; its tasks keep running until the failover timeout. */
  Disconnected,
  /** The failover timeout passed or the framework was deleted: its tasks are being killed. */
  TearingDown,
  /** Torn down: no task of it runs any more. */
  Completed
}
