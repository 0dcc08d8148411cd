package io.mesokube.api.v1alpha1.agent;

/** The condition types of an Agent's status, and who writes each. */
public final class AgentConditions {
  /** Written by the agent when it registers. */
  public static final String REGISTERED = "Registered";

  /** Written by the operator: whether the agent's heartbeat Lease is renewed in time. */
  public static final String REACHABLE = "Reachable";

  /**
   * Written by the agent while {@code spec.maintenance.mode} is Down: False (reason {@code
   * Draining}) while it kills its tasks, True (reason {@code Drained}) once none runs and its
   * cgroups are gone; absent otherwise. {@code kubectl wait --for=condition=Drained agent/NAME}
   * waits for a drain; compare the condition's observedGeneration with the Agent's generation.
   */
  public static final String DRAINED = "Drained";

  private AgentConditions() {}
}
