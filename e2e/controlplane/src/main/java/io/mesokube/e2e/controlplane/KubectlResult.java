package io.mesokube.e2e.controlplane;

/**
 * What one kubectl (or helm) run returned.
 *
 * @param exitCode the command's exit code
 * @param stdout everything it printed on stdout
 * @param stderr everything it printed on stderr
 */
public record KubectlResult(int exitCode, String stdout, String stderr) {

  /** Whether the command exited with code 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }
}
