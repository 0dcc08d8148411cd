package io.mesokube.e2e.controlplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories holding the binaries (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kubelet and kubectl; containerd and ctr for a node), and how long it took to find
 * (or build) them.
 *
 * @param dir the directory of the control plane's binaries and kubectl
 * @param containerdDir the directory of containerd, its runc shim and ctr, when a node runs
 * @param lookupTime time spent locating or building them
 */
public record Binaries(Path dir, Optional<Path> containerdDir, Duration lookupTime) {

  /**
   * The binaries named by {@link ControlPlaneConfig#binDir()}, else those build.sh prints; with a
   * node, containerd's too ({@code build.sh containerd}).
   */
  public static Binaries locate(ControlPlaneConfig config) {
    long start = System.nanoTime();
    var dir = config.binDir().orElseGet(BuildScript::run);
    Optional<Path> containerd =
        config.node() ? Optional.of(BuildScript.run("containerd")) : Optional.empty();
    return new Binaries(dir, containerd, Duration.ofNanos(System.nanoTime() - start)).verified();
  }

  /** The executable of a component. */
  public Path path(Component component) {
    return component == Component.CONTAINERD
        ? containerd().resolve(component.binary())
        : dir.resolve(component.binary());
  }

  /** kubectl. */
  public Path kubectl() {
    return dir.resolve("kubectl");
  }

  /** ctr, containerd's client. */
  public Path ctr() {
    return containerd().resolve("ctr");
  }

  private Path containerd() {
    return containerdDir.orElseThrow(
        () -> new IllegalStateException("no containerd binaries: this control plane has no node"));
  }

  private Binaries verified() {
    List<Path> expected = new ArrayList<>();
    for (Component component : Component.values()) {
      if (component != Component.CONTAINERD || containerdDir.isPresent()) {
        expected.add(path(component));
      }
    }
    expected.add(kubectl());
    containerdDir.ifPresent(
        d -> expected.addAll(List.of(d.resolve("containerd-shim-runc-v2"), d.resolve("ctr"))));
    var missing = expected.stream().filter(file -> !Files.isExecutable(file)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "control-plane binaries missing or not executable: "
              + missing
              + " (set -D"
              + ControlPlaneConfig.BIN_PROPERTY
              + " to a directory that has them, or unset it so that build.sh builds them)");
    }
    return this;
  }
}
