package io.mesokube.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ComponentArgsTest {

  private final Ports ports = new Ports(2379, 2380, 6443, 10257, 10259, 10261, 10250, 10248);
  private final WorkDir dir = new WorkDir(Path.of("/work/cp"));
  private final ComponentArgs args = new ComponentArgs(dir, ports);

  @ParameterizedTest
  @EnumSource(Component.class)
  void everyComponentListensOnLoopbackOnly(Component component) {
    var flags = args.of(component, List.of());

    assertThat(flags).noneMatch(flag -> flag.contains("=0.0.0.0") || flag.contains("//0.0.0.0"));
    // Every URL a component listens on or dials (the issuer is a name, not an address).
    assertThat(flags)
        .filteredOn(flag -> flag.contains("://") && !flag.startsWith("--service-account-issuer"))
        .allMatch(flag -> flag.contains("://127.0.0.1:"));
    switch (component) {
      case ETCD -> {}
      // The node's components take their addresses from their configuration files (below).
      case CONTAINERD ->
          assertThat(flags).containsExactly("--config=/work/cp/node/containerd.toml");
      case KUBELET ->
          assertThat(flags)
              .contains("--config=/work/cp/node/kubelet.yaml", "--node-ip=" + NodeHost.NODE_IP);
      default -> assertThat(flags).contains("--bind-address=127.0.0.1");
    }
    assertThat(args.healthUrl(component).getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void theNodeListensOnLoopbackAndTheKubeletOnTheNodesOwnAddressAuthenticated() {
    var binaries =
        new Binaries(
            Path.of("/cp/bin"), java.util.Optional.of(Path.of("/containerd/bin")), Duration.ZERO);
    String containerd =
        NodeConfig.containerd(
            ports, binaries, Path.of("/var/lib/n"), Path.of("/run/n"), Path.of("/cni"));
    String kubelet =
        NodeConfig.kubelet(ports, dir, NodeHost.NODE_IP, "/mesokube-node", Path.of("/logs"));

    assertThat(containerd)
        .doesNotContain("0.0.0.0")
        .contains(
            "address = '/run/n/containerd.sock'",
            "address = '127.0.0.1:10261'",
            "stream_server_address = '127.0.0.1'",
            "restrict_oom_score_adj = true",
            "runtime_path = '/containerd/bin/containerd-shim-runc-v2'");
    assertThat(kubelet)
        .doesNotContain("0.0.0.0")
        .contains(
            "address: " + NodeHost.NODE_IP,
            "port: 10250",
            "readOnlyPort: 0",
            "healthzBindAddress: 127.0.0.1",
            "healthzPort: 10248",
            "mode: Webhook",
            "clientCAFile: /work/cp/pki/ca.crt",
            "failCgroupV1: false",
            "cgroupRoot: /mesokube-node",
            "makeIPTablesUtilChains: false")
        .containsPattern("anonymous:\\s+enabled: false");
  }

  @Test
  void apiServerEnforcesRbacWithClientCertificatesAndServiceAccountKeys() {
    assertThat(args.of(Component.KUBE_APISERVER, List.of()))
        .contains(
            "--authorization-mode=Node,RBAC",
            "--secure-port=6443",
            "--client-ca-file=/work/cp/pki/ca.crt",
            "--service-account-key-file=/work/cp/pki/sa.pub",
            "--service-account-signing-key-file=/work/cp/pki/sa.key")
        .anyMatch(flag -> flag.startsWith("--service-account-issuer="))
        .noneMatch(flag -> flag.startsWith("--insecure-port"));
  }

  @Test
  void controllerManagerRunsEveryControllerWithTheSigningKey() {
    assertThat(args.of(Component.KUBE_CONTROLLER_MANAGER, List.of()))
        .contains(
            "--controllers=*",
            "--service-account-private-key-file=/work/cp/pki/sa.key",
            "--root-ca-file=/work/cp/pki/ca.crt");
  }

  @Test
  void extraArgsComeLast() {
    var flags = args.of(Component.ETCD, List.of("--quota-backend-bytes=1"));

    assertThat(flags.getLast()).isEqualTo("--quota-backend-bytes=1");
  }
}
