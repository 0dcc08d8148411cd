package io.mesokube.operator.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator ({@code target/quarkus-app}) run as a separate process against the test
 * control plane, as it runs in production: killed with SIGKILL to test failover.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;

  private OperatorProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts a replica with the given identity; returns once its HTTP endpoint answers. */
  static OperatorProcess start(Path kubeconfig, String identity, Path logDir) throws IOException {
    return start(kubeconfig, identity, logDir, Map.of());
  }

  /**
   * Starts a replica with the given identity and extra environment (settings such as {@code
   * MESOKUBE_AGENTS_UNREACHABLE_TIMEOUT}); returns once its HTTP endpoint answers.
   */
  static OperatorProcess start(
      Path kubeconfig, String identity, Path logDir, Map<String, String> environment)
      throws IOException {
    Path app = Path.of(System.getProperty("mesokube.operator.app"));
    String java = ProcessHandle.current().info().command().orElse("java");
    int port = freePort();
    Files.createDirectories(logDir);
    Path log = logDir.resolve("operator-" + identity + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(java, "--sun-misc-unsafe-memory-access=allow", "-jar", app.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("MESOKUBE_HTTP_PORT", Integer.toString(port));
    builder.environment().put("MESOKUBE_LEADER_IDENTITY", identity);
    builder.environment().putAll(environment);
    OperatorProcess operator = new OperatorProcess(builder.start(), log, port);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> operator.responds() || !operator.process.isAlive());
    if (!operator.process.isAlive()) {
      throw new IllegalStateException("operator exited at start; see " + log);
    }
    return operator;
  }

  private boolean responds() {
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The Prometheus metrics text. */
  String metrics() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** SIGKILL, as a crash. */
  void kill() {
    process.destroyForcibly();
  }

  Path log() {
    return log;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
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
