package io.mesokube.e2e.process;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged agent (system property {@code mesokube.agent.app}) as a process, as it runs on a
 * host: with a state directory and cgroup root of its own; ready once registered and recovered.
 */
public final class AgentProcess extends JavaApp {
  private AgentProcess(Path app, Map<String, String> environment, Path log, int port) {
    super(app, environment, log, port, "/q/health/ready");
  }

  /**
   * Starts an agent; returns once it is ready.
   *
   * @param cgroupRoot the parent of the agent's cgroups ({@code <root>/<name>/...})
   * @param settings extra environment, e.g. {@code MESOKUBE_AGENT_RESOURCES_CPUS}
   */
  public static AgentProcess start(
      Path kubeconfig,
      String name,
      Path stateDir,
      String cgroupRoot,
      Path logDir,
      Map<String, String> settings)
      throws IOException {
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("MESOKUBE_AGENT_NAME", name);
    env.put("MESOKUBE_AGENT_HOSTNAME", "127.0.0.1");
    env.put("MESOKUBE_AGENT_HTTP_PORT", Integer.toString(port));
    env.put("MESOKUBE_AGENT_STATE_DIR", stateDir.toString());
    env.put("MESOKUBE_AGENT_ISOLATION_CGROUP_ROOT", cgroupRoot);
    env.putAll(settings);
    AgentProcess agent =
        new AgentProcess(
            fromProperty("mesokube.agent.app"),
            env,
            logDir.resolve("agent-" + name + ".log"),
            port);
    agent.start();
    return agent;
  }

  /** Encodes a query parameter value, e.g. a sandbox path for {@code /files/read?path=}. */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
