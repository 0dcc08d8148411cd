package io.mesokube.allocator;

/** Why the allocator passed over a framework or an agent in a cycle. */
public enum SkipReason {
  /** What was left on the agent for the role was below the minimum allocatable resources. */
  INSUFFICIENT_RESOURCES,
  /** The role's quota limit left no room for what the agent had. */
  QUOTA_LIMIT,
  /**
   * The agent had at least the minimum allocatable for the role, but not once the quota headroom
   * was held back: the unreserved resources that other roles' unmet guarantees still need (see
   * {@link AllocationSummary#unmetGuarantees}).
   */
  QUOTA_HEADROOM,
  /** The framework had declined these resources on this agent with a filter still in force. */
  FILTERED,
  /** The framework suppressed offers for the role. */
  SUPPRESSED,
  /** The framework is not active. */
  INACTIVE,
  /** The agent has GPUs and the framework lacks the GPU_RESOURCES capability. */
  GPU_WITHHELD,
  /** The agent is in maintenance or unreachable. */
  AGENT_UNAVAILABLE
}
