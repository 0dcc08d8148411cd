package io.mesokube.e2e.controlplane;

import java.nio.file.Path;

/**
 * The configuration files of the test node: containerd's, the CNI bridge network's and the
 * kubelet's. Each setting that differs from the component's default says why; {@link NodeHost} owns
 * the paths.
 */
final class NodeConfig {

  private NodeConfig() {}

  /**
   * containerd 2.x, config version 4. The socket addresses belong under the grpc and ttrpc server
   * plugins: a top-level {@code [grpc]} section is silently ignored in this version.
   */
  static String containerd(Ports ports, Binaries binaries, Path root, Path run, Path cniConf) {
    Path shim = binaries.path(Component.CONTAINERD).resolveSibling("containerd-shim-runc-v2");
    return """
        version = 4
        root = '%1$s/containerd'
        state = '%2$s/containerd'

        [plugins]
          [plugins.'io.containerd.server.v1.grpc']
            address = '%2$s/containerd.sock'
          [plugins.'io.containerd.server.v1.ttrpc']
            address = '%2$s/containerd.sock.ttrpc'
          [plugins.'io.containerd.server.v1.debug']
            address = ''
          # Readiness: the harness probes /v1/metrics.
          [plugins.'io.containerd.server.v1.metrics']
            address = '127.0.0.1:%3$d'
          [plugins.'io.containerd.internal.v1.opt']
            path = '%1$s/opt'
          [plugins.'io.containerd.nri.v1.nri']
            disable = true
          [plugins.'io.containerd.grpc.v1.cri']
            stream_server_address = '127.0.0.1'
            stream_server_port = '0'
          [plugins.'io.containerd.cri.v1.images']
            snapshotter = 'overlayfs'
            # Imported by the harness; no registry outside is reachable.
            [plugins.'io.containerd.cri.v1.images'.pinned_images]
              sandbox = '%4$s'
          [plugins.'io.containerd.cri.v1.runtime']
            # This host's capability bounding set lacks CAP_SYS_RESOURCE: without this, runc
            # cannot lower a sandbox's oom_score_adj and every sandbox dies at start ("can't get
            # final child's PID from pipe: EOF").
            restrict_oom_score_adj = true
            enable_criu = false
            cdi_spec_dirs = []
            netns_mounts_under_state_dir = true
            [plugins.'io.containerd.cri.v1.runtime'.containerd]
              default_runtime_name = 'runc'
              [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
                runtime_type = 'io.containerd.runc.v2'
                runtime_path = '%5$s'
                [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                  # Debian's runc; cgroupfs, as PID 1 is not systemd.
                  BinaryName = '/usr/sbin/runc'
                  Root = '%2$s/runc'
                  SystemdCgroup = false
            [plugins.'io.containerd.cri.v1.runtime'.cni]
              # Debian's containernetworking-plugins.
              bin_dirs = ['/usr/lib/cni']
              conf_dir = '%6$s'
        """
        .formatted(root, run, ports.containerdMetrics(), NodeHost.PAUSE_IMAGE, shim, cniConf);
  }

  /**
   * A bridge network for pods off the host's network, with host-local addresses and no masquerade:
   * nothing here leaves the machine, and the host's iptables stay untouched.
   */
  static String cniBridge(String bridge, String subnet, Path ipamData) {
    return """
        {
          "cniVersion": "1.0.0",
          "name": "mesokube-node",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "%s",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "dataDir": "%s",
                "ranges": [[{"subnet": "%s"}]],
                "routes": [{"dst": "0.0.0.0/0"}]
              }
            },
            {"type": "portmap", "capabilities": {"portMappings": true}}
          ]
        }
        """
        .formatted(bridge, ipamData, subnet);
  }

  /**
   * The kubelet on a cgroup v1 host without systemd. Its API and health ports are on the node's own
   * address and on loopback, authenticated by the cluster CA and authorised by the API server
   * (webhook), as kubeadm sets it up.
   */
  static String kubelet(Ports ports, WorkDir dir, String nodeIp, String cgroupRoot, Path podLogs) {
    return """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        address: %1$s
        port: %2$d
        readOnlyPort: 0
        healthzBindAddress: 127.0.0.1
        healthzPort: %3$d
        tlsCertFile: %4$s
        tlsPrivateKeyFile: %5$s
        authentication:
          anonymous:
            enabled: false
          webhook:
            enabled: true
          x509:
            clientCAFile: %6$s
        authorization:
          mode: Webhook
        # PID 1 is not systemd; the kubelet refuses cgroup v1 since 1.35 unless told otherwise.
        cgroupDriver: cgroupfs
        failCgroupV1: false
        # Created in every hierarchy by the harness before the start, removed after the stop.
        cgroupRoot: %7$s
        failSwapOn: false
        # Keep off the host's iptables.
        makeIPTablesUtilChains: false
        containerRuntimeEndpoint: unix://%8$s
        podLogsDir: %9$s
        registerNode: true
        clusterDomain: cluster.local
        resolvConf: /etc/resolv.conf
        # A shared test machine: evict only when truly out, and never collect imported images.
        evictionHard:
          memory.available: 100Mi
          nodefs.available: 1%%
          nodefs.inodesFree: 1%%
          imagefs.available: 1%%
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        serializeImagePulls: false
        """
        .formatted(
            nodeIp,
            ports.kubelet(),
            ports.kubeletHealthz(),
            dir.pki("kubelet-serving.crt"),
            dir.pki("kubelet-serving.key"),
            dir.pki("ca.crt"),
            cgroupRoot,
            NodeHost.containerdSocket(),
            podLogs);
  }
}
