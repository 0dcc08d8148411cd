package io.mesokube.operator.allocation;

import io.mesokube.allocator.AllocationSummary;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.operator.cluster.ClusterWriter;
import io.mesokube.operator.cluster.TaskRoles;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes why pending Managed tasks wait into their status (condition Scheduled=False) and an Event
 * when the reason changes. Only a change is written, and at most {@link #PER_FRAMEWORK} tasks per
 * framework per report, oldest first, so a backlog of thousands costs a bounded number of writes.
 */
final class PendingReports {
  private static final Logger LOG = LoggerFactory.getLogger(PendingReports.class);
  private static final int PER_FRAMEWORK = 50;

  private final HierarchicalAllocator allocator;
  private final ClusterWriter writer;

  PendingReports(HierarchicalAllocator allocator, ClusterWriter writer) {
    this.allocator = allocator;
    this.writer = writer;
  }

  void report(
      Map<String, List<Task>> pending,
      Map<String, Framework> frameworks,
      List<Agent> agents,
      Predicate<String> knownAgent,
      AllocationSummary summary,
      QuotaHeadroom quota,
      Instant now) {
    pending.forEach(
        (frameworkId, tasks) -> {
          for (Task task : tasks.subList(0, Math.min(tasks.size(), PER_FRAMEWORK))) {
            String role = TaskRoles.of(task, frameworks);
            if (role == null) {
              continue;
            }
            try {
              report(task, role, frameworkId, agents, knownAgent, summary, quota, now);
            } catch (RuntimeException e) {
              LOG.debug("Could not report why {} is pending: {}", Keys.of(task), e.toString());
            }
          }
        });
  }

  private void report(
      Task task,
      String role,
      String frameworkId,
      List<Agent> agents,
      Predicate<String> knownAgent,
      AllocationSummary summary,
      QuotaHeadroom quota,
      Instant now) {
    PendingExplainer.Explanation why =
        PendingExplainer.explain(
            task, role, frameworkId, agents, knownAgent, allocator, summary, quota);
    Condition current = scheduledCondition(task);
    if (current != null
        && why.reason().equals(current.reason())
        && why.message().equals(current.message())) {
      return;
    }
    writer.writeStatus(task, TaskStatuses.pending(task, why.reason(), why.message(), now));
    if (current == null || !why.reason().equals(current.reason())) {
      writer.event(task, true, "FailedScheduling", why.message());
    }
  }

  private static Condition scheduledCondition(Task task) {
    if (task.getStatus() == null || task.getStatus().conditions() == null) {
      return null;
    }
    for (Condition c : task.getStatus().conditions()) {
      if (c.type().equals(TaskStatuses.SCHEDULED)) {
        return c;
      }
    }
    return null;
  }
}
