package io.mesokube.agent.registration;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentCapabilities;
import io.mesokube.api.v1alpha1.agent.AgentConditions;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the agent: applies its Agent's spec (what it offers) and writes its status (id,
 * endpoint, capabilities). An agent the operator marked Gone under the same id is refused, as Mesos
 * refuses an agent it removed: the caller must start fresh with a new id.
 */
public final class Registrar {
  /** Field manager of the agent's server-side applies. */
  public static final String FIELD_MANAGER = "mesokube-agent";

  private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

  private final KubernetesClient client;

  public Registrar(KubernetesClient client) {
    this.client = client;
  }

  /** What the agent registers with. */
  public record Registration(
      String name,
      String hostname,
      Resources resources,
      Map<String, String> attributes,
      String endpoint,
      AgentCapabilities capabilities) {}

  /**
   * Whether the API server holds this agent as Gone under {@code identity}'s id: its tasks were
   * already reported gone, so it must not come back as if nothing happened.
   */
  public boolean refused(AgentIdentity identity) {
    Agent agent = client.resources(Agent.class).withName(identity.name()).get();
    AgentStatus status = agent == null ? null : agent.getStatus();
    return status != null
        && status.phase() == AgentPhase.Gone
        && identity.agentId().equals(status.agentId());
  }

  /** Applies the spec and writes the status of a registration under {@code identity}. */
  public Agent register(Registration registration, AgentIdentity identity) {
    Agent desired = new Agent();
    desired.setMetadata(
        new ObjectMetaBuilder()
            .withName(registration.name())
            .withLabels(Map.of(Mesokube.LABEL_MANAGED_BY, Mesokube.MANAGED_BY))
            .build());
    // Only the fields the agent owns: maintenance and reservations belong to people and stay.
    desired.setSpec(
        new AgentSpec(
            registration.name(),
            registration.hostname(),
            registration.resources(),
            null,
            registration.attributes().isEmpty() ? null : registration.attributes(),
            null));
    Agent applied =
        client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    AgentStatus previous = applied.getStatus();
    AgentStatus status =
        new AgentStatus(
            applied.getMetadata().getGeneration(),
            AgentPhase.Active,
            identity.agentId(),
            registration.endpoint(),
            registration.capabilities(),
            previous == null ? null : previous.allocated(),
            previous == null ? null : previous.tasks(),
            identity.registeredTime().toString(),
            null,
            List.of(
                new Condition(
                    AgentConditions.REGISTERED,
                    Condition.Status.True,
                    applied.getMetadata().getGeneration(),
                    Instant.now().toString(),
                    "AgentRegistered",
                    "agent " + identity.agentId() + " at " + registration.endpoint())));
    Agent patch = new Agent();
    patch.setStatus(status);
    Agent result =
        client
            .resources(Agent.class)
            .withName(registration.name())
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    LOG.info(
        "Registered agent {} as {} offering {}",
        registration.name(),
        identity.agentId(),
        registration.resources());
    return result;
  }
}
