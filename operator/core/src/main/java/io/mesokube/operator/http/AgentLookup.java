package io.mesokube.operator.http;

import io.mesokube.api.v1alpha1.agent.Agent;
import java.util.Optional;

/** Where the files proxy finds Agents: the operator's informer cache, or a map in tests. */
public interface AgentLookup {

  /** The Agent named {@code name}, or empty if there is none. */
  Optional<Agent> agent(String name);

  /**
   * Whether the Agents are known yet. Until then an empty {@link #agent} means "not synced", not
   * "no such agent", and the proxy answers 503 rather than 404.
   */
  default boolean ready() {
    return true;
  }
}
