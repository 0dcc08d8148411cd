package io.mesokube.agent.runtime;

import java.util.regex.Pattern;

/**
 * Agent names are Kubernetes object names, since each agent owns the Agent of that name, of at most
 * 63 characters, since Tasks and Offers carry them in a label.
 */
final class AgentNames {
  private static final Pattern DNS_1123 =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private AgentNames() {}

  static String validate(String name) {
    if (name.length() > 63 || !DNS_1123.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "agent name '"
              + name
              + "' is not a valid agent name (at most 63 lower case letters, digits, '-' and"
              + " '.', as a Kubernetes name and a label value);"
              + " set mesokube.agent.name");
    }
    return name;
  }
}
