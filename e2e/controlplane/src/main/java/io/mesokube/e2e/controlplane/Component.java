package io.mesokube.e2e.controlplane;

/**
 * The processes of a local control plane, in start order (they stop in reverse order): the control
 * plane itself, then, for a cluster with a node, the node's container runtime and kubelet.
 */
public enum Component {
  ETCD("etcd"),
  KUBE_APISERVER("kube-apiserver"),
  KUBE_CONTROLLER_MANAGER("kube-controller-manager"),
  KUBE_SCHEDULER("kube-scheduler"),
  CONTAINERD("containerd"),
  KUBELET("kubelet");

  private final String binary;

  Component(String binary) {
    this.binary = binary;
  }

  /** The executable's file name, also used for its log file and in messages. */
  public String binary() {
    return binary;
  }

  @Override
  public String toString() {
    return binary;
  }
}
