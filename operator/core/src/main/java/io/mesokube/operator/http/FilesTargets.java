package io.mesokube.operator.http;

import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.AgentStatus;
import java.net.URI;
import java.util.Set;
import java.util.regex.Pattern;

/** Where a files request goes: its agent name, operation and Agent checked, the agent's URI. */
final class FilesTargets {
  static final Set<String> OPERATIONS = Set.of("browse", "read", "download");
  private static final int MAX_NAME = 253;
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final AgentLookup agents;

  FilesTargets(AgentLookup agents) {
    this.agents = agents;
  }

  /**
   * {@code <endpoint>/files/<operation>?...} of Active agent {@code agentName}.
   *
   * @throws Refusal 400 for a name that is no DNS-1123 subdomain; 404 for an operation other than
   *     browse, read and download, or an unknown agent; 503 for an agent that is not Active or has
   *     no http(s) endpoint, or while the Agents are not synced
   */
  URI target(String agentName, String operation, String path, String offset, String length)
      throws Refusal {
    if (agentName == null
        || agentName.length() > MAX_NAME
        || !DNS_1123_SUBDOMAIN.matcher(agentName).matches()) {
      throw new Refusal(
          400,
          Outcome.BAD_NAME,
          "An agent name is a DNS-1123 subdomain: at most 253 lower-case letters, digits, '-', '.'");
    }
    if (!OPERATIONS.contains(operation)) {
      throw new Refusal(404, Outcome.UNKNOWN_OPERATION, "No files operation '" + operation + "'");
    }
    String endpoint = endpointOf(agentName);
    return AgentUris.files(endpoint, operation, path, offset, length)
        .orElseThrow(
            () ->
                new Refusal(
                    503,
                    Outcome.UNAVAILABLE,
                    "Agent '"
                        + agentName
                        + "' has no http(s) endpoint in its status: "
                        + endpoint));
  }

  // Only an Active agent's: one in any other phase is not heartbeating, or is gone.
  private String endpointOf(String agentName) throws Refusal {
    if (!agents.ready()) {
      throw new Refusal(503, Outcome.UNAVAILABLE, "The operator is starting: Agents not synced");
    }
    Agent agent =
        agents
            .agent(agentName)
            .orElseThrow(
                () ->
                    new Refusal(404, Outcome.UNKNOWN_AGENT, "No Agent named '" + agentName + "'"));
    AgentStatus status = agent.getStatus();
    AgentPhase phase = status == null ? null : status.phase();
    if (phase != AgentPhase.Active) {
      String is = phase == null ? "not registered" : phase.name();
      throw new Refusal(
          503, Outcome.UNAVAILABLE, "Agent '" + agentName + "' is " + is + ", not Active");
    }
    return status.endpoint();
  }
}
