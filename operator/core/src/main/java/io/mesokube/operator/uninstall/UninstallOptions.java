package io.mesokube.operator.uninstall;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.List;

/**
 * The arguments of {@code uninstall}: how long to wait for the agents and the reason written on
 * them.
 *
 * @param help whether {@code --help} was given: print {@link #USAGE} and do nothing else
 */
record UninstallOptions(Duration timeout, String reason, boolean help) {
  /** Below Helm's default hook timeout (5m), which also covers the Job's pod start. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(4);

  static final String DEFAULT_REASON = "helm uninstall";

  /** The Agent schema's limit on {@code spec.maintenance.reason}. */
  static final int MAX_REASON = 1024;

  static final String USAGE =
      """
      Usage: uninstall [--timeout=DURATION] [--reason=TEXT]

      Drains every Mesokube agent before the release goes: sets spec.maintenance to Down on every
      Agent, waits until each Active agent has killed its tasks (its condition Drained is True for
      that generation), then deletes every Agent labelled app.kubernetes.io/managed-by=mesokube, so
      that a later install registers them afresh. Agents that are not Active (Unreachable, Gone, not
      registered) cannot drain and are not waited for. The chart's pre-delete hook runs it.

        --timeout=DURATION  how long to wait for the agents, as every mesokube.* duration: 4m, 90s,
                            1h, or ISO-8601 such as PT4M (default 4m)
        --reason=TEXT       spec.maintenance.reason on the Agents (default "helm uninstall")
        --help              print this and exit

      Exit code: 0 once every Active agent drained and the Agents are deleted; 1 when an agent did
      not drain in time or the API server refused; 2 for a bad argument. The API server is found as
      Fabric8's client finds it: KUBECONFIG or ~/.kube/config, else the pod's ServiceAccount
      (KUBERNETES_MASTER overrides the server's URL).
      """;

  /** Parses the arguments after {@code uninstall}; throws IllegalArgumentException saying why. */
  static UninstallOptions parse(List<String> args) {
    Duration timeout = DEFAULT_TIMEOUT;
    String reason = DEFAULT_REASON;
    boolean help = false;
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.startsWith("--timeout=")) {
        timeout = timeout(arg.substring("--timeout=".length()));
      } else if (arg.startsWith("--reason=")) {
        reason = reason(arg.substring("--reason=".length()));
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return new UninstallOptions(timeout, reason, help);
  }

  private static Duration timeout(String text) {
    Duration timeout;
    try {
      timeout = DurationConverter.parseDuration(text);
    } catch (IllegalArgumentException e) {
      timeout = null;
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "--timeout must be a positive duration such as 4m, 90s or PT4M, got '" + text + "'");
    }
    return timeout;
  }

  private static String reason(String text) {
    if (text.isBlank() || text.length() > MAX_REASON) {
      throw new IllegalArgumentException(
          "--reason must hold 1 to " + MAX_REASON + " characters, got " + text.length());
    }
    return text;
  }
}
