package io.mesokube.e2e.controlplane.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real CNCF distribution registry ({@code docker-registry serve}) on 127.0.0.1 with a free port,
 * its storage, configuration and log under a work dir; optionally with htpasswd (bcrypt) auth.
 */
public final class TestRegistry implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int BIND_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 40;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Path workDir;
  private final int port;
  private final Optional<String> credentials;
  private final Process process;
  private final Thread killOnExit;

  private TestRegistry(Path workDir, int port, Optional<String> credentials, Process process) {
    this.workDir = workDir;
    this.port = port;
    this.credentials = credentials;
    this.process = process;
    // A test that forgets close() must not leave a registry running after the JVM.
    this.killOnExit = new Thread(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts a registry that anyone may push to and pull from. */
  public static TestRegistry start(Path workDir) {
    return start(workDir, Optional.empty(), Optional.empty());
  }

  /** Starts a registry that accepts only {@code user} with {@code password} (HTTP basic auth). */
  public static TestRegistry startWithAuth(Path workDir, String user, String password) {
    return startWithAuth(workDir, user, password, java.util.Map.of());
  }

  /**
   * Starts a registry that accepts {@code user} with {@code password} (the one it pushes with) and
   * the {@code others}, user to password.
   */
  public static TestRegistry startWithAuth(
      Path workDir, String user, String password, java.util.Map<String, String> others) {
    Path htpasswd = workDir.resolve("htpasswd");
    try {
      Files.createDirectories(workDir);
      var lines = new StringBuilder(Commands.run("htpasswd", "-Bbn", user, password).strip());
      for (var other : others.entrySet()) {
        lines
            .append('\n')
            .append(Commands.run("htpasswd", "-Bbn", other.getKey(), other.getValue()).strip());
      }
      Files.writeString(htpasswd, lines.append('\n').toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + htpasswd, e);
    }
    return start(workDir, Optional.of(htpasswd), Optional.of(user + ":" + password));
  }

  /** {@code 127.0.0.1:PORT}; still the old address after {@link #stop()}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** The registry's own log (stdout and stderr). */
  public Path log() {
    return workDir.resolve("registry.log");
  }

  /** Kills the registry and waits for it to exit, so that a test sees a registry that is down. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the registry at " + host(), e);
    }
    Runtime.getRuntime().removeShutdownHook(killOnExit);
  }

  /** Stops the registry and deletes its storage; the log stays for post-mortems. */
  @Override
  public void close() {
    stop();
    Trees.delete(storage(workDir));
  }

  /** {@code user:password} of a registry started with auth. */
  Optional<String> credentials() {
    return credentials;
  }

  private static TestRegistry start(
      Path workDir, Optional<Path> htpasswd, Optional<String> credentials) {
    try {
      Files.createDirectories(workDir);
      // The port is free when picked, but another process may bind it before the registry does.
      for (int attempt = 1; ; attempt++) {
        int port = freePort();
        Path config = workDir.resolve("config.yml");
        Files.writeString(config, config(workDir, port, htpasswd));
        ProcessBuilder builder =
            new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("registry.log").toFile());
        // REGISTRY_* variables override the configuration file.
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        TestRegistry registry = new TestRegistry(workDir, port, credentials, builder.start());
        if (registry.awaitReady(attempt == BIND_ATTEMPTS)) {
          return registry;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a registry in " + workDir, e);
    }
  }

  /**
   * Waits until this registry listens and answers {@code /v2/}; false if it exited because its port
   * was taken meanwhile and {@code lastAttempt} is false, an exception otherwise.
   */
  private boolean awaitReady(boolean lastAttempt) throws IOException {
    try {
      Awaitility.await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .atMost(STARTUP_TIMEOUT)
          .until(() -> !process.isAlive() || (listening() && answersV2()));
    } catch (ConditionTimeoutException e) {
      stop();
      throw new IllegalStateException(
          "registry at " + host() + " not ready within " + STARTUP_TIMEOUT + "\n" + logTail(), e);
    }
    if (process.isAlive()) {
      return true;
    }
    stop();
    if (!lastAttempt && Files.readString(log()).contains("address already in use")) {
      return false;
    }
    throw new IllegalStateException(
        "registry at " + host() + " exited with " + process.exitValue() + "\n" + logTail());
  }

  /** Whether the log says the registry bound its port: an answer alone may come from a squatter. */
  private boolean listening() throws IOException {
    return Files.readString(log()).contains("listening on " + host());
  }

  private boolean answersV2() throws InterruptedException {
    int expected = credentials.isPresent() ? 401 : 200;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
            .timeout(Duration.ofSeconds(1))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == expected;
    } catch (IOException e) {
      return false;
    }
  }

  private String logTail() throws IOException {
    List<String> lines = Files.readAllLines(log());
    return "--- last lines of "
        + log()
        + " ---\n"
        + String.join(
            "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Path storage(Path workDir) {
    return workDir.resolve("storage");
  }

  private static String config(Path workDir, int port, Optional<Path> htpasswd) {
    String config =
        """
        version: 0.1
        log:
          level: info # listening() waits for the info line "listening on ..."
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        """
            .formatted(quoted(storage(workDir)), port);
    return htpasswd
        .map(
            file ->
                config
                    + """
                    auth:
                      htpasswd:
                        realm: mesokube-test
                        path: %s
                    """
                        .formatted(quoted(file)))
        .orElse(config);
  }

  /** {@code path} as a single-quoted YAML scalar. */
  private static String quoted(Path path) {
    return "'" + path.toString().replace("'", "''") + "'";
  }
}
