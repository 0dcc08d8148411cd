package io.mesokube.e2e.controlplane;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The helm binary: {@code -Dmesokube.helm}, else the one {@code build.sh helm} builds from its Go
 * module (once per cache, then found at once). Located on first use, so that tests without Helm
 * never build it.
 */
final class HelmBinary {

  static final String PROPERTY = "mesokube.helm";

  private static Path located;

  private HelmBinary() {}

  /** The path, located (or built) on the first successful call. */
  static synchronized Path path() {
    if (located == null) {
      located = locate();
    }
    return located;
  }

  private static Path locate() {
    String configured = System.getProperty(PROPERTY, "");
    Path helm =
        configured.isBlank()
            ? BuildScript.run("helm").resolve("helm")
            : Path.of(configured).toAbsolutePath();
    if (!Files.isExecutable(helm)) {
      throw new IllegalStateException(
          helm + " is missing or not executable (set -D" + PROPERTY + " or unset it)");
    }
    return helm;
  }
}
