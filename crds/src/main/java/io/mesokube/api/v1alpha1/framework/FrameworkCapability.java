package io.mesokube.api.v1alpha1.framework;

/** Mesos framework capabilities ({@code FrameworkInfo.Capability.Type}) that Mesokube honours. */
public enum FrameworkCapability {
  /** The framework may hold several roles. */
  MULTI_ROLE,
  /** Tasks on a partitioned agent go TASK_UNREACHABLE (and may come back) instead of TASK_LOST. */
  PARTITION_AWARE,
  /** The framework may be offered agents that have GPUs. */
  GPU_RESOURCES,
  /** The framework receives TASK_KILLING while a task is being killed. */
  TASK_KILLING_STATE,
  /** The framework understands reservations refined to sub-roles. */
  RESERVATION_REFINEMENT,
  /** The framework may be offered revocable resources. */
  REVOCABLE_RESOURCES,
  /** The framework may be offered shared persistent volumes. */
  SHARED_RESOURCES,
  /** The framework may be offered agents from every region, not only the operator's. */
  REGION_AWARE
}
