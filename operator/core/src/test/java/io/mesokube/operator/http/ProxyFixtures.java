package io.mesokube.operator.http;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/** Agents and lookups for the files proxy tests, in memory: no API server. */
final class ProxyFixtures {
  private ProxyFixtures() {}

  /** An Agent named {@code name} in {@code phase} with {@code endpoint} in its status. */
  static Agent agent(String name, AgentPhase phase, String endpoint) {
    Agent agent = new Agent();
    agent.setMetadata(new ObjectMetaBuilder().withName(name).build());
    agent.setStatus(
        new AgentStatus(1L, phase, name + "-S0", endpoint, null, null, 0, null, null, null));
    return agent;
  }

  /** A lookup that knows {@code agents} and nothing else. */
  static AgentLookup lookup(Agent... agents) {
    return name ->
        Arrays.stream(agents).filter(a -> a.getMetadata().getName().equals(name)).findFirst();
  }

  /** A lookup whose cache has not synced yet. */
  static AgentLookup notSynced() {
    return new AgentLookup() {
      @Override
      public Optional<Agent> agent(String name) {
        return Optional.empty();
      }

      @Override
      public boolean ready() {
        return false;
      }
    };
  }

  /** The whole body of {@code answer}, as the caller receives it. */
  static byte[] body(FilesAnswer answer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    answer.transferTo(out);
    return out.toByteArray();
  }
}
