package io.mesokube.operator.reconciler;

import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.mesokube.api.v1alpha1.common.Resources;
import java.util.List;

/** Sums of scalar resources and dominant shares, for status. Ports are not summed. */
final class ResourceSums {
  private ResourceSums() {}

  /** The scalar sum of bundles; null entries count as nothing. */
  static Resources sum(List<Resources> bundles) {
    double cpus = 0;
    double mem = 0;
    double disk = 0;
    int gpus = 0;
    for (Resources r : bundles) {
      if (r == null) {
        continue;
      }
      cpus += r.cpus() == null ? 0 : r.cpus();
      mem += r.mem() == null ? 0 : r.mem();
      disk += r.disk() == null ? 0 : r.disk();
      gpus += r.gpus() == null ? 0 : r.gpus();
    }
    return new Resources(
        round(cpus), round(mem), disk > 0 ? round(disk) : null, gpus > 0 ? gpus : null, null);
  }

  /** What every agent that is not gone offers in total (a gone agent's resources are released). */
  static Resources clusterTotal(List<Agent> agents) {
    return sum(
        agents.stream()
            .filter(a -> a.getStatus() == null || a.getStatus().phase() != AgentPhase.Gone)
            .map(a -> a.getSpec().resources())
            .toList());
  }

  /** The largest fraction of the cluster total that {@code used} takes of any resource (DRF). */
  static double dominantShare(Resources used, Resources total) {
    double share = 0;
    share = Math.max(share, fraction(used.cpus(), total.cpus()));
    share = Math.max(share, fraction(used.mem(), total.mem()));
    share = Math.max(share, fraction(used.disk(), total.disk()));
    share = Math.max(share, fraction(asDouble(used.gpus()), asDouble(total.gpus())));
    return Math.round(share * 10000) / 10000.0;
  }

  private static double fraction(Double part, Double whole) {
    return part == null || whole == null || whole <= 0 ? 0 : part / whole;
  }

  private static Double asDouble(Integer value) {
    return value == null ? null : value.doubleValue();
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
