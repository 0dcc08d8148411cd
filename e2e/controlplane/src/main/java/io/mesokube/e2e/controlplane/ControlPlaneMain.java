package io.mesokube.e2e.controlplane;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a local control plane for humans and keeps it up until SIGINT or SIGTERM:
 *
 * <pre>
 * ControlPlaneMain [--crds DIR] [--scheduler] [--node] [--keep-work-dir]
 * </pre>
 *
 * <p>Prints the kubeconfig, an {@code export KUBECONFIG=...} line, the API server URL, the pids and
 * the timings. System properties as in {@link ControlPlaneConfig#fromSystemProperties()}; {@code
 * mesokube.run.startedAtMillis} (set by run.sh) adds the total time since the script started.
 */
public final class ControlPlaneMain {

  private ControlPlaneMain() {}

  /** Entry point; see the class comment for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    var config = ControlPlaneConfig.fromSystemProperties();
    Path crds = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--crds" -> crds = Path.of(args[++i]);
        case "--scheduler" -> config = config.withScheduler(true);
        case "--node" -> config = config.withNode(true);
        case "--keep-work-dir" -> config = config.withKeepWorkDir(true);
        default -> {
          System.err.println(
              "usage: ControlPlaneMain [--crds DIR] [--scheduler] [--node] [--keep-work-dir]");
          System.exit(2);
        }
      }
    }
    var binaries = Binaries.locate(config);
    var controlPlane = ControlPlane.start(config, binaries);
    if (crds != null) {
      try (var client = controlPlane.newClient()) {
        CrdInstaller.install(client, crds, config.startTimeout());
      }
    }
    print(System.out, controlPlane, binaries);
    // The control plane's shutdown hook stops it in order on SIGINT/SIGTERM; wait for that.
    new CountDownLatch(1).await();
  }

  private static void print(PrintStream out, ControlPlane controlPlane, Binaries binaries) {
    out.println();
    out.println("Mesokube control plane is up (Ctrl-C stops it).");
    out.println("  API server:  " + controlPlane.apiServerUrl());
    out.println("  kubeconfig:  " + controlPlane.kubeconfig());
    out.println("  logs:        " + controlPlane.workDir().resolve("logs"));
    if (controlPlane.components().contains(Component.KUBELET)) {
      out.printf(
          "  node:        %s at %s (containerd %s)%n",
          controlPlane.nodeName(), controlPlane.nodeIp(), controlPlane.containerdSocket());
    }
    for (var component : controlPlane.components()) {
      out.printf("  pid:         %s %d%n", component, controlPlane.pid(component).orElse(-1));
    }
    out.printf(
        "  binaries:    %s (found or built in %s)%n",
        binaries.dir(), seconds(binaries.lookupTime()));
    out.printf("  started in:  %s%n", seconds(controlPlane.startDuration()));
    var runStarted = Long.getLong("mesokube.run.startedAtMillis");
    if (runStarted != null) {
      out.printf(
          "  total:       %s since run.sh started%n",
          seconds(Duration.ofMillis(System.currentTimeMillis() - runStarted)));
    }
    out.println();
    out.println("export KUBECONFIG=" + controlPlane.kubeconfig());
    out.flush();
  }

  private static String seconds(Duration duration) {
    return "%.1f s".formatted(duration.toMillis() / 1000.0);
  }
}
