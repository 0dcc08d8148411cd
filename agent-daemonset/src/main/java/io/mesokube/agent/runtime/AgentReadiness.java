package io.mesokube.agent.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the agent registered, recovered its tasks and watches for new ones. */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {
  private volatile String agentId;

  void ready(String agentId) {
    this.agentId = agentId;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("agent")
        .status(agentId != null)
        .withData("agentId", agentId == null ? "" : agentId)
        .build();
  }
}
