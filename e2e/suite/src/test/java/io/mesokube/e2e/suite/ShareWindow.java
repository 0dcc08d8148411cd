package io.mesokube.e2e.suite;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The two roles' shares over the part of a run where weighted DRF can show: after the cluster
 * recovered from a fault and settled, while both runners still had tasks waiting to launch (so each
 * took all the allocator gave it).
 *
 * @param samples the samples in the window
 * @param ratio the heavy role's mean allocation over the light role's; null without samples
 * @param reportedRatio the same from the RolePolicies' own {@code status.dominantShare}, which the
 *     operator refreshes only every 10 s: informative, coarse
 */
record ShareWindow(List<Workload.Sample> samples, Double ratio, Double reportedRatio) {

  /** The samples from {@code from} on while both runners had tasks waiting. */
  static ShareWindow of(List<Workload.Sample> all, Instant from) {
    List<Workload.Sample> window =
        all.stream()
            .filter(s -> !s.at().isBefore(from))
            .filter(s -> s.heavyPending() > 0 && s.lightPending() > 0)
            .toList();
    double heavy = window.stream().mapToDouble(Workload.Sample::heavyCpus).sum();
    double light = window.stream().mapToDouble(Workload.Sample::lightCpus).sum();
    List<Workload.Sample> reported =
        window.stream()
            .filter(s -> s.heavyReported() != null && s.lightReported() != null)
            .toList();
    double heavyReported = reported.stream().mapToDouble(Workload.Sample::heavyReported).sum();
    double lightReported = reported.stream().mapToDouble(Workload.Sample::lightReported).sum();
    return new ShareWindow(
        window,
        light > 0 ? heavy / light : null,
        lightReported > 0 ? heavyReported / lightReported : null);
  }

  /** The window's length in samples. */
  int size() {
    return samples.size();
  }

  @Override
  public String toString() {
    return "ratio %s over %d samples (RolePolicy status: %s)"
        .formatted(ratio, samples.size(), Objects.toString(reportedRatio, "-"));
  }
}
