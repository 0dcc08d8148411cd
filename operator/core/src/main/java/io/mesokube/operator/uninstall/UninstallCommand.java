package io.mesokube.operator.uninstall;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/**
 * {@code uninstall [--timeout=DURATION] [--reason=TEXT]}: drains every agent before the chart's
 * release goes (its pre-delete hook), see {@link UninstallOptions#USAGE}. Runs without Quarkus,
 * from {@code io.mesokube.operator.OperatorMain}.
 */
public final class UninstallCommand {
  /** The first argument that selects this command. */
  public static final String NAME = "uninstall";

  static final int DRAINED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private UninstallCommand() {}

  /**
   * Runs the command with the arguments after {@code uninstall}; returns the exit code.
   *
   * <p>The client is Fabric8's, configured as anywhere else (kubeconfig, or the pod's
   * ServiceAccount and KUBERNETES_MASTER), without its own retries: the drain looks again every
   * second until its timeout, and a client backing off for tens of seconds would overrun it. The
   * HTTP client factory is found through the ServiceLoader: in the packaged application that is
   * Quarkus' own, which falls back to a Vert.x instance of its own when, as here, no CDI container
   * runs.
   */
  public static int main(String... args) {
    UninstallOptions options = options(List.of(args), System.out, System.err);
    if (options == null) {
      return USAGE;
    }
    if (options.help()) {
      return DRAINED;
    }
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(0);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      return run(client, options, System.out);
    } catch (RuntimeException e) {
      System.out.println("uninstall failed: " + Drain.describe(e));
      return FAILED;
    }
  }

  /** The options, or null after printing why they are bad; prints the usage on --help. */
  static UninstallOptions options(List<String> args, PrintStream out, PrintStream err) {
    UninstallOptions options;
    try {
      options = UninstallOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("uninstall: " + e.getMessage());
      err.print(UninstallOptions.USAGE);
      return null;
    }
    if (options.help()) {
      out.print(UninstallOptions.USAGE);
    }
    return options;
  }

  /** Drains with {@code client}; returns the exit code. */
  static int run(KubernetesClient client, UninstallOptions options, PrintStream out) {
    try {
      return new Drain(client, options, out, Clock.systemUTC()).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("uninstall interrupted");
      return FAILED;
    }
  }
}
