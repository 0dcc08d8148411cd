package io.mesokube.agent.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged agent ({@code target/quarkus-app}) run as a separate process against the test
 * control plane, as it runs on a host: with a state directory and cgroup root of its own, killed
 * with SIGKILL and started again to test recovery.
 */
final class AgentProcess implements AutoCloseable {
  private final Map<String, String> environment;
  private final Path log;
  private final int port;
  private Process process;

  private AgentProcess(Map<String, String> environment, Path log, int port) {
    this.environment = environment;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts an agent; returns once its HTTP endpoint answers.
   *
   * @param settings extra environment, e.g. {@code MESOKUBE_AGENT_RESOURCES_CPUS}
   */
  static AgentProcess start(
      Path kubeconfig,
      String name,
      Path stateDir,
      String cgroupRoot,
      Path logDir,
      Map<String, String> settings)
      throws IOException {
    int port = freePort();
    Files.createDirectories(logDir);
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("MESOKUBE_AGENT_NAME", name);
    env.put("MESOKUBE_AGENT_HOSTNAME", "127.0.0.1");
    env.put("MESOKUBE_AGENT_HTTP_PORT", Integer.toString(port));
    env.put("MESOKUBE_AGENT_STATE_DIR", stateDir.toString());
    env.put("MESOKUBE_AGENT_ISOLATION_CGROUP_ROOT", cgroupRoot);
    env.putAll(settings);
    AgentProcess agent = new AgentProcess(env, logDir.resolve("agent-" + name + ".log"), port);
    agent.start();
    return agent;
  }

  /** Starts the process again (after {@link #kill}), with the same state and settings. */
  void start() throws IOException {
    Path app = Path.of(System.getProperty("mesokube.agent.app"));
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(java, "--sun-misc-unsafe-memory-access=allow", "-jar", app.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> status("/q/health/ready") == 200 || !process.isAlive());
    if (!process.isAlive()) {
      throw new IllegalStateException("agent exited at start; see " + log);
    }
  }

  /** SIGKILL, as a crash: its tasks keep running under their supervisors. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** GET on the agent's HTTP API, e.g. {@code /files/read?path=...}. */
  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private int status(String path) {
    try {
      return get(path).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
