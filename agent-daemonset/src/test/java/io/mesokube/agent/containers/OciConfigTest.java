package io.mesokube.agent.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mesokube.agent.launcher.TaskUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciConfigTest {
  private static final ContainerProcess PROCESS =
      new ContainerProcess(List.of("/bin/sh", "-c", "true"), Map.of("PATH", "/bin"), "/srv");
  private static final List<Path> HOST_FILES = List.of(Path.of("/etc/resolv.conf"));

  @Test
  void aNonRootUserGetsNoCapabilityAndNoNewPrivileges() {
    JsonNode config = config(TaskUser.ofIds(65534, 65534), false);
    assertThat(config.at("/process/user/uid").asInt()).isEqualTo(65534);
    assertThat(config.at("/process/capabilities/bounding")).isEmpty();
    assertThat(config.at("/process/capabilities/effective")).isEmpty();
    assertThat(config.at("/process/noNewPrivileges").asBoolean()).isTrue();
    assertThat(config.at("/process/terminal").asBoolean()).isFalse();
    assertThat(config.at("/process/cwd").asText()).isEqualTo("/srv");
    assertThat(texts(config.at("/process/env"))).containsExactly("PATH=/bin");
  }

  @Test
  void rootGetsDockersDefaultsWithoutMknod() {
    JsonNode caps = config(TaskUser.ofIds(0, 0), false).at("/process/capabilities/bounding");
    assertThat(texts(caps))
        .contains("CAP_CHOWN", "CAP_NET_BIND_SERVICE")
        .doesNotContain("CAP_MKNOD", "CAP_SYS_ADMIN");
  }

  @Test
  void theHostsNetworkSharesItsResolverAPrivateOneHasItsOwnNamespace() {
    JsonNode host = config(TaskUser.ofIds(1, 1), false);
    assertThat(namespaces(host)).containsExactly("pid", "ipc", "uts", "mount");
    assertThat(destinations(host)).contains("/mnt/mesos/sandbox", "/etc/resolv.conf");
    JsonNode own = config(TaskUser.ofIds(1, 1), true);
    assertThat(namespaces(own)).contains("network");
    assertThat(destinations(own)).contains("/mnt/mesos/sandbox").doesNotContain("/etc/resolv.conf");
    assertThat(own.has("linux") && !own.at("/linux").has("resources"))
        .as("limits are the agent's cgroups'")
        .isTrue();
  }

  @Test
  void runcIsGivenTheTasksCgroupCrunNone() {
    JsonNode runc =
        OciConfig.of(
            PROCESS,
            TaskUser.ofIds(1, 1),
            Path.of("/rootfs"),
            false,
            Path.of("/sandbox"),
            false,
            List.of(),
            "/mesokube/a1/task/uid");
    assertThat(runc.at("/linux/cgroupsPath").asText()).isEqualTo("/mesokube/a1/task/uid");
    assertThat(config(TaskUser.ofIds(1, 1), false).at("/linux").has("cgroupsPath")).isFalse();
  }

  private static JsonNode config(TaskUser user, boolean privateNetwork) {
    return OciConfig.of(
        PROCESS,
        user,
        Path.of("/rootfs"),
        true,
        Path.of("/sandbox"),
        privateNetwork,
        HOST_FILES,
        null);
  }

  private static List<String> namespaces(JsonNode config) {
    List<String> out = new ArrayList<>();
    config.at("/linux/namespaces").forEach(n -> out.add(n.get("type").asText()));
    return out;
  }

  private static List<String> destinations(JsonNode config) {
    List<String> out = new ArrayList<>();
    config.at("/mounts").forEach(m -> out.add(m.get("destination").asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
