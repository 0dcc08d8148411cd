package io.mesokube.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A control plane with a node on this machine: containerd and a kubelet built from source register
 * a Ready node, run pods on the pod network (which reach the API server at the node's address) and
 * on the host's, serve logs and exec through the API server, and leave the host as they found it
 * (sysctls, cgroups, interfaces, mounts, paths).
 */
class NodeIT {

  // Those the kubelet and the CNI bridge set; multi-digit values among them.
  private static final List<String> SYSCTLS =
      List.of(
          "net/ipv4/ip_forward",
          "vm/overcommit_memory",
          "vm/panic_on_oom",
          "kernel/panic",
          "kernel/panic_on_oops",
          "kernel/keys/root_maxkeys",
          "kernel/keys/root_maxbytes");

  @Test
  void aNodeRunsPodsAndLeavesTheHostAsItFoundIt() throws IOException {
    Map<String, String> sysctlsBefore = sysctls();
    boolean kubeletDirBefore = Files.exists(Path.of("/var/lib/kubelet"));
    var config = ControlPlaneConfig.fromSystemProperties().withNode(true).withKeepWorkDir(false);

    try (var controlPlane = ControlPlane.start(config)) {
      assertThat(controlPlane.components()).contains(Component.CONTAINERD, Component.KUBELET);
      try (var client = controlPlane.newClient()) {
        var node = client.nodes().withName(controlPlane.nodeName()).get();
        assertThat(node.getStatus().getAddresses())
            .extracting(NodeAddress::getType, NodeAddress::getAddress)
            .contains(org.assertj.core.groups.Tuple.tuple("InternalIP", controlPlane.nodeIp()));
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion())
            .startsWith("containerd://");
        // Admission looks the pods' ServiceAccount up; kube-controller-manager creates it.
        await("the default ServiceAccount")
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    client.serviceAccounts().inNamespace("default").withName("default").get()
                        != null);
      }
      // A cgroup v1 host: a privileged pod on the host's network with the host's PIDs writes to
      // the host's cgroups, as the agent's DaemonSet pod does.
      controlPlane.applyOk(
          "default",
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: on-host}
          spec:
            hostNetwork: true
            hostPID: true
            automountServiceAccountToken: false
            containers:
              - name: c
                image: %1$s
                imagePullPolicy: Never
                command: [/busybox, sh, -c, 'mkdir -p /host/memory/node-it && echo made && exec /busybox sleep 600']
                securityContext: {privileged: true}
                volumeMounts: [{name: cgroup, mountPath: /host}]
            volumes: [{name: cgroup, hostPath: {path: /sys/fs/cgroup, type: Directory}}]
          ---
          apiVersion: v1
          kind: Pod
          metadata: {name: on-pod-network}
          spec:
            automountServiceAccountToken: false
            containers:
              - name: c
                image: %1$s
                imagePullPolicy: Never
                command: [/busybox, sh, -c, 'echo address $(/busybox hostname -i); /busybox nc -w 3 %2$s %3$d </dev/null && echo api reachable; exec /busybox sleep 600']
          """
              .formatted(
                  NodeHost.PAUSE_IMAGE,
                  controlPlane.apiServerUrlForPods().getHost(),
                  controlPlane.apiServerUrlForPods().getPort()));
      Pod onPodNetwork = awaitRunning(controlPlane, "on-pod-network");
      Pod onHost = awaitRunning(controlPlane, "on-host");

      assertThat(onPodNetwork.getStatus().getPodIP()).startsWith("10.244.0.");
      assertThat(onHost.getStatus().getPodIP()).isEqualTo(controlPlane.nodeIp());
      await("the pods' logs through the API server and the kubelet")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(controlPlane.kubectl("-n", "default", "logs", "on-host").stdout())
                    .contains("made");
                assertThat(controlPlane.kubectl("-n", "default", "logs", "on-pod-network").stdout())
                    .contains("address " + onPodNetwork.getStatus().getPodIP())
                    .contains("api reachable");
              });
      assertThat(Path.of("/sys/fs/cgroup/memory/node-it")).isDirectory();
      KubectlResult exec =
          controlPlane.kubectl("-n", "default", "exec", "on-pod-network", "--", "/busybox", "id");
      assertThat(exec.succeeded()).as(exec.stderr()).isTrue();
      assertThat(exec.stdout()).contains("uid=0");
    } finally {
      // The pod's own cgroup outside the node's root is the test's to remove.
      Files.deleteIfExists(Path.of("/sys/fs/cgroup/memory/node-it"));
    }

    assertThat(sysctls()).isEqualTo(sysctlsBefore);
    assertThat(Path.of("/sys/class/net", NodeHost.NODE_BRIDGE)).doesNotExist();
    assertThat(Path.of("/sys/class/net", NodeHost.CNI_BRIDGE)).doesNotExist();
    assertThat(CgroupTree.named(NodeHost.CGROUP_ROOT).existing()).isEmpty();
    assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
        .noneMatch(line -> line.contains(NodeHost.ROOT.toString()))
        .noneMatch(line -> line.contains(NodeHost.RUN.toString()));
    assertThat(NodeHost.ROOT).doesNotExist();
    assertThat(NodeHost.RUN).doesNotExist();
    assertThat(Files.exists(Path.of("/var/lib/kubelet"))).isEqualTo(kubeletDirBefore);
    assertThat(
            ProcessHandle.allProcesses()
                .filter(
                    p ->
                        p.info()
                            .commandLine()
                            .map(c -> c.contains("containerd-shim") || c.contains("busybox sleep"))
                            .orElse(false)))
        .isEmpty();
  }

  private static Pod awaitRunning(ControlPlane controlPlane, String name) {
    try (var client = controlPlane.newClient()) {
      return await(name + " running")
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> client.pods().inNamespace("default").withName(name).get(),
              pod ->
                  pod != null
                      && pod.getStatus() != null
                      && "Running".equals(pod.getStatus().getPhase()));
    }
  }

  private static Map<String, String> sysctls() throws IOException {
    var values = new LinkedHashMap<String, String>();
    for (String name : SYSCTLS) {
      values.put(name, NodeHost.readSysctl(Path.of("/proc/sys", name)));
    }
    return values;
  }
}
