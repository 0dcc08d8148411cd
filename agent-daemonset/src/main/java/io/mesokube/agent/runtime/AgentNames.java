package io.mesokube.agent.runtime;

import java.util.regex.Pattern;

/** Agent names are Kubernetes object names, since each agent owns the Agent of that name. */
final class AgentNames {
  private static final Pattern DNS_1123 =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private AgentNames() {}

  static String validate(String name) {
    if (name.length() > 253 || !DNS_1123.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "agent name '"
              + name
              + "' is not a valid Kubernetes name (lower case letters, digits, '-' and '.');"
              + " set mesokube.agent.name");
    }
    return name;
  }
}
