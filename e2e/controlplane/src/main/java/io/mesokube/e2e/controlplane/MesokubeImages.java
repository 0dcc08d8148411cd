package io.mesokube.e2e.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mesokube.e2e.controlplane.registry.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds Mesokube's images the way a release does, into a {@link TestRegistry}: the base image with
 * {@code agent-daemonset/src/main/image/build-base.sh} (cached under ~/.cache/mesokube), then an
 * application on top of it with the project's own Quarkus Jib configuration, in a nested {@code
 * ./mvnw package}.
 */
public final class MesokubeImages {
  /** The repository and tag of the base image, as in the agent's application.properties. */
  public static final String BASE = "mesokube/agent-base:bookworm-jre25";

  private static final Path ROOT = BuildScript.repositoryRoot(Path.of("").toAbsolutePath());
  private static final Duration BASE_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration JIB_TIMEOUT = Duration.ofMinutes(10);
  private static final int LOG_TAIL_LINES = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The application modules with an image: their path and the image's name (group/name). */
  public enum App {
    OPERATOR("operator/core", "mesokube/operator"),
    AGENT("agent-daemonset", "mesokube/agent");

    private final String module;
    private final String image;

    App(String module, String image) {
      this.module = module;
      this.image = image;
    }

    /** The image's repository, without registry or tag, as in application.properties. */
    public String image() {
      return image;
    }
  }

  private MesokubeImages() {}

  /**
   * Builds (or takes from the cache) the base image and pushes it as {@link #BASE}; returns its
   * reference in {@code registry}. The script's progress goes to this JVM's stderr.
   */
  public static String pushBase(TestRegistry registry, Path work) {
    String reference = registry.host() + "/" + BASE;
    run(
        List.of(
            ROOT.resolve("agent-daemonset/src/main/image/build-base.sh").toString(),
            "--insecure",
            "docker://" + reference),
        work.resolve("build-base.log"),
        BASE_TIMEOUT,
        true);
    return reference;
  }

  /**
   * Packages {@code app} with {@code quarkus.container-image.build} and pushes it, on {@code base},
   * as {@code mesokube/NAME:TAG} (the group and name of its application.properties); returns its
   * reference. The Quarkus app goes to {@code work}, not to target/quarkus-app, which the processes
   * of the other tests run.
   */
  public static String push(TestRegistry registry, App app, String base, String tag, Path work) {
    List<String> command =
        new ArrayList<>(
            List.of(
                ROOT.resolve("mvnw").toString(),
                "-o",
                "-B",
                "-q",
                "-f",
                ROOT.resolve("pom.xml").toString(),
                "-pl",
                app.module,
                // Also make crds (and the test-scoped control plane) in the nested reactor: a
                // `./mvnw verify` does not install them, and their up-to-date jars are not rebuilt.
                "-am",
                "package",
                "-Dmaven.test.skip=true",
                "-Dquarkus.package.output-directory=" + work.resolve("quarkus-app"),
                "-Dquarkus.container-image.build=true",
                "-Dquarkus.container-image.push=true",
                "-Dquarkus.container-image.registry=" + registry.host(),
                "-Dquarkus.container-image.insecure=true",
                "-Dquarkus.container-image.tag=" + tag,
                "-Dquarkus.jib.base-jvm-image=" + base));
    String localRepository = System.getProperty("mesokube.maven.repo.local", "");
    if (!localRepository.isBlank()) {
      command.add("-Dmaven.repo.local=" + localRepository);
    }
    run(command, work.resolve("jib.log"), JIB_TIMEOUT, false);
    return registry.host() + "/" + app.image + ":" + tag;
  }

  /** The configuration ({@code config} of the image configuration) of {@code reference}. */
  public static JsonNode config(String reference, Path work) {
    Path out = work.resolve("inspect.json");
    run(
        List.of(
            "skopeo",
            "inspect",
            "--config",
            "--tls-verify=false",
            "--no-creds",
            "docker://" + reference),
        out,
        Duration.ofSeconds(60),
        false);
    try {
      return JSON.readTree(Files.readString(out)).required("config");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + out, e);
    }
  }

  /**
   * Runs {@code command}, its stdout and stderr to {@code log} (stderr to ours if {@code
   * showProgress}); fails with the log's tail on a non-zero exit or after {@code timeout}.
   */
  private static void run(List<String> command, Path log, Duration timeout, boolean showProgress) {
    String what = String.join(" ", command);
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(log.toFile());
      if (showProgress) {
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
      } else {
        builder.redirectErrorStream(true);
      }
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(what + " timed out after " + timeout + "\n" + tail(log));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            what
                + " exited with "
                + process.exitValue()
                + (showProgress ? " (its messages are above)" : "")
                + "\n"
                + tail(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return "--- last lines of "
        + log
        + " ---\n"
        + String.join(
            "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }
}
