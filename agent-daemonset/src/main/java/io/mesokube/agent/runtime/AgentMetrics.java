package io.mesokube.agent.runtime;

import io.mesokube.agent.cgroups.CgroupStats;
import io.mesokube.agent.tasks.TaskManager;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics: tasks by state, the status update backlog, recovery time, and
 * per-task cgroup usage. Per-task series carry the task's namespace and name, as cAdvisor's carry a
 * pod's: they are bounded by what runs on one node and removed when the task ends.
 */
final class AgentMetrics {
  private AgentMetrics() {}

  static void register(MeterRegistry meters, TaskManager manager, ScheduledExecutorService timers) {
    for (TaskState state : TaskState.values()) {
      Gauge.builder("mesokube_agent_tasks", manager, m -> m.countsByState().getOrDefault(state, 0))
          .description("Tasks on this agent by the state of their last status update")
          .tag("state", state.name())
          .register(meters);
    }
    Gauge.builder("mesokube_agent_status_update_backlog", manager, TaskManager::backlog)
        .description("Status updates checkpointed but not yet held by the API server")
        .register(meters);
    MultiGauge cpu =
        usage(
            meters, "mesokube_agent_task_cpu_usage_seconds", "CPU time used by the task's cgroup");
    MultiGauge memory =
        usage(meters, "mesokube_agent_task_memory_bytes", "Memory used by the task's cgroup");
    MultiGauge ooms =
        usage(meters, "mesokube_agent_task_oom_kills", "OOM kills in the task's cgroup");
    timers.scheduleWithFixedDelay(
        () -> {
          List<Row> rows = new ArrayList<>();
          manager
              .cgroups()
              .forEach(
                  (taskId, cgroup) -> {
                    try {
                      rows.add(new Row(taskId, cgroup.stats()));
                    } catch (RuntimeException e) {
                      // The task ended between listing and reading: no row this time.
                    }
                  });
          cpu.register(rows(rows, s -> s.cpuUsageNanos() / 1e9), true);
          memory.register(rows(rows, s -> s.memoryUsageBytes().orElse(0)), true);
          ooms.register(rows(rows, s -> s.oomKills().orElse(0)), true);
        },
        5,
        5,
        TimeUnit.SECONDS);
  }

  static void recovered(MeterRegistry meters, double seconds) {
    Gauge.builder("mesokube_agent_recovery_seconds", () -> seconds)
        .description("Time the agent took at its last start to register and recover its tasks")
        .register(meters);
  }

  private record Row(String taskId, CgroupStats stats) {}

  private static MultiGauge usage(MeterRegistry meters, String name, String description) {
    return MultiGauge.builder(name).description(description).register(meters);
  }

  private static List<MultiGauge.Row<?>> rows(List<Row> rows, ToDoubleFunction<CgroupStats> value) {
    List<MultiGauge.Row<?>> out = new ArrayList<>();
    for (Row row : rows) {
      String[] parts = row.taskId().split("/", 2);
      double v = value.applyAsDouble(row.stats());
      out.add(MultiGauge.Row.of(Tags.of("namespace", parts[0], "task", parts[1]), () -> v));
    }
    return out;
  }
}
