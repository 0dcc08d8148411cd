package io.mesokube.e2e.controlplane;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a {@link ControlPlane}. {@link #fromSystemProperties()} reads:
 *
 * <ul>
 *   <li>{@code mesokube.controlplane.bin}: directory with the binaries (default: run build.sh);
 *   <li>{@code mesokube.controlplane.startTimeoutSeconds}: per start (default 180);
 *   <li>{@code mesokube.controlplane.scheduler}: also run kube-scheduler (default false);
 *   <li>{@code mesokube.controlplane.node}: also run a node, containerd and a kubelet, on this
 *       machine (default false; needs root, and implies the scheduler; see {@link NodeHost});
 *   <li>{@code mesokube.keepWorkDir}: keep the work dir after a clean stop (default false);
 *   <li>{@code mesokube.controlplane.workDirParent}: where work dirs go (default java.io.tmpdir).
 * </ul>
 *
 * @param binDir directory holding the binaries, or empty to locate them with build.sh
 * @param workDirParent where the control plane's work directory is created
 * @param startTimeout how long the whole start, or the start of one component, may take
 * @param stopGracePeriod how long a component may take to exit after SIGTERM
 * @param scheduler whether kube-scheduler runs
 * @param node whether a node (containerd and a kubelet) runs; implies {@code scheduler}
 * @param keepWorkDir whether the work dir survives a clean stop
 * @param extraArgs extra flags per component, appended after the harness's own
 */
public record ControlPlaneConfig(
    Optional<Path> binDir,
    Path workDirParent,
    Duration startTimeout,
    Duration stopGracePeriod,
    boolean scheduler,
    boolean node,
    boolean keepWorkDir,
    Map<Component, List<String>> extraArgs) {

  /** Property naming the directory that holds the control-plane binaries. */
  public static final String BIN_PROPERTY = "mesokube.controlplane.bin";

  /** Property that keeps the work dir after a clean stop. */
  public static final String KEEP_WORK_DIR_PROPERTY = "mesokube.keepWorkDir";

  /** Property that adds a node. */
  public static final String NODE_PROPERTY = "mesokube.controlplane.node";

  /** The defaults, overridden by the system properties listed above. */
  public static ControlPlaneConfig fromSystemProperties() {
    return new ControlPlaneConfig(
        Optional.ofNullable(System.getProperty(BIN_PROPERTY))
            .filter(s -> !s.isBlank())
            .map(Path::of),
        Path.of(
            System.getProperty(
                "mesokube.controlplane.workDirParent", System.getProperty("java.io.tmpdir"))),
        Duration.ofSeconds(Long.getLong("mesokube.controlplane.startTimeoutSeconds", 180)),
        Duration.ofSeconds(10),
        Boolean.getBoolean("mesokube.controlplane.scheduler"),
        Boolean.getBoolean(NODE_PROPERTY),
        Boolean.getBoolean(KEEP_WORK_DIR_PROPERTY),
        Map.of());
  }

  /** A copy that runs kube-scheduler too, or not. */
  public ControlPlaneConfig withScheduler(boolean enabled) {
    return new ControlPlaneConfig(
        binDir,
        workDirParent,
        startTimeout,
        stopGracePeriod,
        enabled,
        node,
        keepWorkDir,
        extraArgs);
  }

  /** A copy that runs a node (containerd and a kubelet) too, or not. */
  public ControlPlaneConfig withNode(boolean enabled) {
    return new ControlPlaneConfig(
        binDir,
        workDirParent,
        startTimeout,
        stopGracePeriod,
        scheduler,
        enabled,
        keepWorkDir,
        extraArgs);
  }

  /** A copy with another start timeout. */
  public ControlPlaneConfig withStartTimeout(Duration timeout) {
    return new ControlPlaneConfig(
        binDir, workDirParent, timeout, stopGracePeriod, scheduler, node, keepWorkDir, extraArgs);
  }

  /** A copy that uses the binaries in {@code dir} rather than running build.sh. */
  public ControlPlaneConfig withBinDir(Path dir) {
    return new ControlPlaneConfig(
        Optional.of(dir),
        workDirParent,
        startTimeout,
        stopGracePeriod,
        scheduler,
        node,
        keepWorkDir,
        extraArgs);
  }

  /** A copy that keeps the work dir after a clean stop, or not. */
  public ControlPlaneConfig withKeepWorkDir(boolean keep) {
    return new ControlPlaneConfig(
        binDir, workDirParent, startTimeout, stopGracePeriod, scheduler, node, keep, extraArgs);
  }

  /** A copy with extra flags for one component (for example {@code --feature-gates=...}). */
  public ControlPlaneConfig withExtraArgs(Component component, String... args) {
    var copy = new EnumMap<Component, List<String>>(Component.class);
    copy.putAll(extraArgs);
    copy.put(component, List.of(args));
    return new ControlPlaneConfig(
        binDir, workDirParent, startTimeout, stopGracePeriod, scheduler, node, keepWorkDir, copy);
  }

  /** The components this configuration runs, in start order. */
  public List<Component> components() {
    var components =
        new ArrayList<>(
            List.of(Component.ETCD, Component.KUBE_APISERVER, Component.KUBE_CONTROLLER_MANAGER));
    if (scheduler || node) {
      components.add(Component.KUBE_SCHEDULER);
    }
    if (node) {
      components.addAll(List.of(Component.CONTAINERD, Component.KUBELET));
    }
    return List.copyOf(components);
  }

  /** Extra flags of one component, possibly none. */
  public List<String> extraArgs(Component component) {
    return extraArgs.getOrDefault(component, List.of());
  }
}
