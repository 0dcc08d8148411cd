package io.mesokube.e2e.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/**
 * A packaged Mesokube application ({@code target/quarkus-app/quarkus-run.jar}) run as a separate
 * process, as it runs in production: started, waited for until its readiness endpoint answers,
 * killed with SIGKILL to test failures, started again with the same settings.
 */
public class JavaApp implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Path app;
  private final Map<String, String> environment;
  private final Path log;
  private final int port;
  private final String readyPath;
  private Process process;

  /**
   * @param app the {@code quarkus-run.jar}
   * @param environment the process's settings, on top of this JVM's environment
   * @param port the HTTP port the settings give it
   * @param readyPath the path that answers 200 once it is ready
   */
  protected JavaApp(
      Path app, Map<String, String> environment, Path log, int port, String readyPath) {
    this.app = app;
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.port = port;
    this.readyPath = readyPath;
  }

  /** Starts the process (again, after {@link #kill}) and waits until it is ready. */
  public final void start() throws IOException {
    Files.createDirectories(log.getParent());
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(java, "--sun-misc-unsafe-memory-access=allow", "-jar", app.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
    await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> status(readyPath) == 200 || !process.isAlive());
    if (!process.isAlive()) {
      throw new IllegalStateException(app.getFileName() + " exited at start; see " + log);
    }
  }

  /** SIGKILL, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Path log() {
    return log;
  }

  public int port() {
    return port;
  }

  /** GET on the process's HTTP API. */
  public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The Prometheus metrics text. */
  public String metrics() throws IOException, InterruptedException {
    return get("/q/metrics").body();
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

  /** SIGTERM, then SIGKILL if it does not stop within 15 s. */
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

  /** A free TCP port on loopback. */
  protected static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path a system property names, e.g. {@code mesokube.operator.app}, set by the build. */
  protected static Path fromProperty(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " is not set by the build");
    }
    return Path.of(value);
  }
}
