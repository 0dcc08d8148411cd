package io.mesokube.operator.uninstall;

import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentConditions;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.agent.Maintenance;
import io.mesokube.api.v1alpha1.common.Condition;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One look at the Agents during the uninstall drain: which agents drained, which cannot (and are
 * not waited for), which are still awaited, and the lines that say so. Plain logic, no I/O.
 *
 * <p>An agent drained when its {@code Drained} condition is True for the generation the drain set
 * Down (or a later one): the condition's observedGeneration is the Agent generation the agent acted
 * on, so an older True, from a Down taken off and set again, does not count. Only an Active agent
 * renews its heartbeat and acts on its Agent; any other (Unreachable, Gone, not registered) is
 * skipped, and awaited again if it comes back Active while the drain runs.
 */
record DrainRound(List<Entry> agents) {
  /** Waiting agents named in one progress line; the rest are counted. */
  static final int NAMED = 5;

  /** Where one agent stands. */
  enum State {
    DRAINED,
    SKIPPED,
    WAITING
  }

  /**
   * One agent.
   *
   * @param detail for DRAINED and WAITING the condition's reason and message, or why there is none
   *     yet; for SKIPPED why the agent cannot drain
   */
  record Entry(String name, State state, String detail) {}

  /** Whether the drain must set {@code agent} Down: it is not Down yet. */
  static boolean needsDown(Agent agent) {
    Maintenance maintenance = agent.getSpec() == null ? null : agent.getSpec().maintenance();
    return maintenance == null || maintenance.mode() != Maintenance.Mode.Down;
  }

  /**
   * @param downGeneration by Agent uid, the generation at which the drain saw or made it Down
   */
  static DrainRound of(List<Agent> agents, Map<String, Long> downGeneration) {
    return new DrainRound(
        agents.stream()
            .map(a -> entry(a, downGeneration.get(a.getMetadata().getUid())))
            .sorted(Comparator.comparing(Entry::name))
            .toList());
  }

  private static Entry entry(Agent agent, Long downGeneration) {
    String name = agent.getMetadata().getName();
    Condition drained = drainedCondition(agent);
    boolean current =
        downGeneration != null
            && drained != null
            && drained.observedGeneration() != null
            && drained.observedGeneration() >= downGeneration;
    if (current && drained.status() == Condition.Status.True) {
      return new Entry(name, State.DRAINED, describe(drained));
    }
    AgentPhase phase = agent.getStatus() == null ? null : agent.getStatus().phase();
    if (phase != AgentPhase.Active) {
      return new Entry(
          name,
          State.SKIPPED,
          (phase == null || phase == AgentPhase.Registering ? "has not registered" : "is " + phase)
              + ": it cannot drain; tasks still running on its node stay there");
    }
    if (downGeneration == null || needsDown(agent)) {
      return new Entry(name, State.WAITING, "not Down yet");
    }
    if (drained == null) {
      return new Entry(name, State.WAITING, "the agent has not acted on Down yet");
    }
    if (!current) {
      return new Entry(
          name, State.WAITING, "the agent has not acted on generation " + downGeneration + " yet");
    }
    return new Entry(name, State.WAITING, describe(drained));
  }

  private static Condition drainedCondition(Agent agent) {
    if (agent.getStatus() == null || agent.getStatus().conditions() == null) {
      return null;
    }
    return agent.getStatus().conditions().stream()
        .filter(c -> AgentConditions.DRAINED.equals(c.type()))
        .findFirst()
        .orElse(null);
  }

  private static String describe(Condition condition) {
    return condition.message() == null || condition.message().isBlank()
        ? condition.reason()
        : condition.reason() + ": " + condition.message();
  }

  /** Whether nothing is awaited any more. */
  boolean done() {
    return in(State.WAITING).isEmpty();
  }

  List<Entry> in(State state) {
    return agents.stream().filter(e -> e.state() == state).toList();
  }

  /**
   * E.g. {@code 2/3 agents drained, 1 skipped; waiting for node-a (Draining: killing its tasks: 3
   * tasks left)}: drained of those that can drain, then the agents awaited.
   */
  String progress() {
    List<Entry> drained = in(State.DRAINED);
    List<Entry> waiting = in(State.WAITING);
    StringBuilder line =
        new StringBuilder()
            .append(drained.size())
            .append('/')
            .append(drained.size() + waiting.size())
            .append(" agents drained");
    int skipped = in(State.SKIPPED).size();
    if (skipped > 0) {
      line.append(", ").append(skipped).append(" skipped");
    }
    if (!waiting.isEmpty()) {
      line.append("; waiting for ")
          .append(
              waiting.stream()
                  .limit(NAMED)
                  .map(e -> e.name() + " (" + e.detail() + ")")
                  .collect(Collectors.joining(", ")));
      if (waiting.size() > NAMED) {
        line.append(" and ").append(waiting.size() - NAMED).append(" more");
      }
    }
    return line.toString();
  }

  /** What to print when the timeout passed with agents still awaited: each, and what to do. */
  String timedOut(Duration timeout) {
    List<Entry> waiting = in(State.WAITING);
    StringBuilder out =
        new StringBuilder()
            .append("Timed out after ")
            .append(human(timeout))
            .append(": ")
            .append(waiting.size())
            .append(waiting.size() == 1 ? " agent has" : " agents have")
            .append(" not drained:\n");
    waiting.forEach(
        e -> out.append("  ").append(e.name()).append(": ").append(e.detail()).append('\n'));
    return out.append(
            """
            They stay Down (they launch no task) and keep their Agents; their tasks may still run.
            See why with kubectl describe agent NAME and the log of the agent pod on that node, fix
            the agent, and run helm uninstall again. To wait longer: helm upgrade --reuse-values
            --set uninstall.timeout=10m, then helm uninstall --timeout 11m. Or skip the drain,
            leaving those tasks running on their nodes: helm uninstall --no-hooks.""")
        .toString();
  }

  /** The last line of a successful drain. */
  String summary(int deleted, Duration took) {
    int skipped = in(State.SKIPPED).size();
    return "Drained in "
        + human(took)
        + ": "
        + in(State.DRAINED).size()
        + " agents drained"
        + (skipped == 0
            ? ""
            : ", "
                + skipped
                + " skipped ("
                + in(State.SKIPPED).stream().map(Entry::name).collect(Collectors.joining(", "))
                + ")")
        + "; "
        + deleted
        + " Agent objects deleted.";
  }

  /** 4m, 1m30s, 12s: whole seconds, as the chart writes durations. */
  static String human(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    long minutes = seconds / 60;
    long rest = seconds % 60;
    if (minutes == 0) {
      return rest + "s";
    }
    return rest == 0 ? minutes + "m" : minutes + "m" + rest + "s";
  }
}
