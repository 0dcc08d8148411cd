package io.mesokube.e2e.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The packaged operator (system property {@code mesokube.operator.app}) as a process. */
public final class OperatorProcess extends JavaApp {
  private OperatorProcess(Path app, Map<String, String> environment, Path log, int port) {
    super(app, environment, log, port, "/q/health/live");
  }

  /** Starts a replica with the given identity; returns once its HTTP endpoint answers. */
  public static OperatorProcess start(Path kubeconfig, String identity, Path logDir)
      throws IOException {
    return start(kubeconfig, identity, logDir, Map.of());
  }

  /**
   * Starts a replica with the given identity and extra settings (e.g. {@code
   * MESOKUBE_AGENTS_UNREACHABLE_TIMEOUT}); returns once its HTTP endpoint answers.
   */
  public static OperatorProcess start(
      Path kubeconfig, String identity, Path logDir, Map<String, String> settings)
      throws IOException {
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("MESOKUBE_HTTP_PORT", Integer.toString(port));
    env.put("MESOKUBE_LEADER_IDENTITY", identity);
    env.putAll(settings);
    OperatorProcess operator =
        new OperatorProcess(
            fromProperty("mesokube.operator.app"),
            env,
            logDir.resolve("operator-" + identity + ".log"),
            port);
    operator.start();
    return operator;
  }
}
