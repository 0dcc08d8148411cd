package io.mesokube.e2e.controlplane;

/**
 * What one kubectl run returned.
 *
 * @param exitCode kubectl's exit code
 * @param stdout everything it printed on stdout
 * @param stderr everything it printed on stderr
 */
public record KubectlResult(int exitCode, String stdout, String stderr) {

  /** Whether kubectl exited with code 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }
}
