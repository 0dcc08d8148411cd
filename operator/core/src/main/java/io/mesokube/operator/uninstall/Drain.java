package io.mesokube.operator.uninstall;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.Maintenance;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The uninstall drain's I/O around {@link DrainRound}: sets every Agent Down, looks at the Agents
 * once a second until every Active one drained or the timeout passed, then deletes Mesokube's
 * Agents. Prints what it does on {@code out}, one line per event and a progress line every few
 * seconds, for {@code kubectl logs} of the hook's Job.
 *
 * <p>It polls rather than watches: a one-off command of a few minutes, one LIST of the Agents a
 * second costs the API server little, and each look is complete by itself, so that no lost watch
 * event or expired resourceVersion can stall it. Each look also sets Down any Agent that is not
 * (one registered meanwhile, or whose maintenance someone took off).
 */
final class Drain {
  static final String FIELD_MANAGER = "mesokube-uninstall";
  static final Duration LOOK_EVERY = Duration.ofSeconds(1);
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final UninstallOptions options;
  private final PrintStream out;
  private final Clock clock;

  /** By Agent uid: the generation at which this drain saw or made the Agent Down. */
  private final Map<String, Long> downGeneration = new HashMap<>();

  /** Skips already reported, as "name: why", so that each is said once. */
  private final Set<String> skipsSaid = new HashSet<>();

  private Instant start;
  private String lastRepeated;
  private Instant lastRepeatedAt = Instant.MIN;

  Drain(KubernetesClient client, UninstallOptions options, PrintStream out, Clock clock) {
    this.client = client;
    this.options = options;
    this.out = out;
    this.clock = clock;
  }

  /** Runs the drain; returns the exit code (0 drained and deleted, 1 not). */
  int run() throws InterruptedException {
    start = clock.instant();
    Instant deadline = start.plus(options.timeout());
    say(
        "Draining every Mesokube agent: maintenance Down (reason \"%s\"), their tasks are killed;"
            + " waiting up to %s.",
        options.reason(), DrainRound.human(options.timeout()));
    DrainRound latest = null;
    while (true) {
      DrainRound round = null;
      try {
        round = look();
        latest = round;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 401 || e.getCode() == 403) {
          say("The API server refused: %s", describe(e));
          return UninstallCommand.FAILED;
        }
        if (e.getCode() == 404) {
          say("No Agent kind on this API server (are the CRDs deleted?): nothing to drain.");
          return UninstallCommand.DRAINED;
        }
        sayEveryFewSeconds("Looking at the Agents failed, trying again: " + describe(e));
      }
      if (round != null) {
        reportSkips(round);
        if (round.done()) {
          say(round.progress());
          break;
        }
        sayEveryFewSeconds(round.progress());
      }
      if (!clock.instant().isBefore(deadline)) {
        say(
            latest == null
                ? "Timed out after "
                    + DrainRound.human(options.timeout())
                    + " without a look at the Agents."
                : latest.timedOut(options.timeout()));
        return UninstallCommand.FAILED;
      }
      Thread.sleep(LOOK_EVERY);
    }
    return deleteAgents(latest);
  }

  /** Lists the Agents, sets Down those that are not, and says where each stands. */
  private DrainRound look() {
    List<Agent> agents = new ArrayList<>();
    for (Agent agent : client.resources(Agent.class).list().getItems()) {
      String uid = agent.getMetadata().getUid();
      String name = agent.getMetadata().getName();
      if (DrainRound.needsDown(agent)) {
        agent = setDown(name);
        if (agent == null) {
          continue;
        }
        downGeneration.put(uid, agent.getMetadata().getGeneration());
        say("%s: maintenance Down (generation %d).", name, agent.getMetadata().getGeneration());
      } else if (!downGeneration.containsKey(uid)) {
        downGeneration.put(uid, agent.getMetadata().getGeneration());
        String reason = agent.getSpec().maintenance().reason();
        say(
            "%s: already Down (%s, generation %d).",
            name,
            reason == null ? "no reason given" : "reason \"" + reason + "\"",
            agent.getMetadata().getGeneration());
      }
      agents.add(agent);
    }
    return DrainRound.of(agents, downGeneration);
  }

  /**
   * Sets {@code spec.maintenance} by a JSON merge patch, which leaves the rest of the spec as it
   * is; returns the Agent it wrote (its generation is the one the agent must act on), or null if
   * the Agent is gone.
   */
  private Agent setDown(String name) {
    Map<String, Object> patch =
        Map.of(
            "spec",
            Map.of(
                "maintenance",
                Map.of("mode", Maintenance.Mode.Down.name(), "reason", options.reason())));
    try {
      return client
          .resources(Agent.class)
          .withName(name)
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.JSON_MERGE)
                  .withFieldManager(FIELD_MANAGER)
                  .build(),
              client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private void reportSkips(DrainRound round) {
    for (DrainRound.Entry entry : round.in(DrainRound.State.SKIPPED)) {
      if (skipsSaid.add(entry.name() + ": " + entry.detail())) {
        say("%s %s; not waiting for it.", entry.name(), entry.detail());
      }
    }
  }

  /**
   * Deletes every Agent Mesokube's agents registered (label managed-by), one by one: a reinstall
   * then registers them afresh rather than finding them Down. An agent whose Agent is deleted while
   * Down stays Down until its pod restarts.
   */
  private int deleteAgents(DrainRound round) {
    int deleted = 0;
    try {
      for (Agent agent :
          client
              .resources(Agent.class)
              .withLabel(Mesokube.LABEL_MANAGED_BY, Mesokube.MANAGED_BY)
              .list()
              .getItems()) {
        String name = agent.getMetadata().getName();
        if (!client.resources(Agent.class).withName(name).delete().isEmpty()) {
          deleted++;
        }
      }
    } catch (KubernetesClientException e) {
      say(
          "Every agent drained, but deleting the Agents failed: %s. Delete them with kubectl"
              + " delete agents -l %s=%s",
          describe(e), Mesokube.LABEL_MANAGED_BY, Mesokube.MANAGED_BY);
      return UninstallCommand.FAILED;
    }
    say(round.summary(deleted, Duration.between(start, clock.instant())));
    return UninstallCommand.DRAINED;
  }

  /** The messages of an exception and its causes, e.g. Fabric8's "failed" and why. */
  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()).strip());
    if (!text.isEmpty() && text.charAt(text.length() - 1) == '.') {
      text.setLength(text.length() - 1);
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage().strip())) {
        text.append(": ").append(cause.getMessage().strip());
      }
    }
    return text.toString();
  }

  /** Says a line that may repeat each look: when it changed, else every few seconds. */
  private void sayEveryFewSeconds(String line) {
    Instant now = clock.instant();
    if (!line.equals(lastRepeated) || !now.isBefore(lastRepeatedAt.plus(PROGRESS_EVERY))) {
      say(line);
      lastRepeated = line;
      lastRepeatedAt = now;
    }
  }

  /** One line, prefixed with the time since the start, e.g. {@code [12s] ...}. */
  private void say(String format, Object... args) {
    String elapsed =
        start == null ? "0s" : DrainRound.human(Duration.between(start, clock.instant()));
    out.println("[" + elapsed + "] " + (args.length == 0 ? format : format.formatted(args)));
    out.flush();
  }
}
