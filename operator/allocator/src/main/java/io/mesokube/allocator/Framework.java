package io.mesokube.allocator;

import java.util.LinkedHashMap;
import java.util.Map;

/** The allocator's view of one framework: its info, whether it is active, one client per role. */
final class Framework {
  final String id;
  FrameworkInfo info;
  boolean active;
  boolean gpuCapable;
  final Map<String, Client> clients = new LinkedHashMap<>();

  Framework(FrameworkInfo info, boolean active) {
    this.id = info.id();
    this.active = active;
    setInfo(info);
  }

  void setInfo(FrameworkInfo value) {
    info = value;
    gpuCapable = value.capabilities().contains(FrameworkInfo.Capability.GPU_RESOURCES);
  }

  Client client(String role) {
    Client client = clients.get(role);
    if (client == null) {
      throw new IllegalArgumentException(
          "Framework '" + id + "' is not subscribed to role '" + role + "'");
    }
    return client;
  }
}
