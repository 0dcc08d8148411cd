package io.mesokube.allocator;

import io.mesokube.allocator.resources.ResourceQuantities;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link HierarchicalAllocator}, after Mesos' master flags.
 *
 * @param clock source of time for offer filters; inject a fixed or manual clock in tests
 * @param seed seed of the per-cycle agent shuffle and of the random sorter
 * @param roleSorter how roles are ordered ({@code --role_sorter})
 * @param frameworkSorter how the frameworks of a role are ordered ({@code --framework_sorter})
 * @param minAllocatableResources alternatives of which an offer must contain at least one ({@code
 *     --min_allocatable_resources}, default {@code cpus:0.01|mem:32})
 */
public record AllocatorOptions(
    InstantSource clock,
    long seed,
    SorterType roleSorter,
    SorterType frameworkSorter,
    List<ResourceQuantities> minAllocatableResources) {

  /** The two sorters Mesos ships. */
  public enum SorterType {
    /** Dominant Resource Fairness. */
    DRF,
    /** Weighted random order. */
    RANDOM
  }

  /** Validates the options. */
  public AllocatorOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(roleSorter, "roleSorter");
    Objects.requireNonNull(frameworkSorter, "frameworkSorter");
    minAllocatableResources = List.copyOf(minAllocatableResources);
    for (ResourceQuantities q : minAllocatableResources) {
      if (q.isEmpty()) {
        throw new IllegalArgumentException("A minimum allocatable alternative must not be empty");
      }
    }
  }

  /** Mesos' defaults, with the system clock and a seed of 0. */
  public static AllocatorOptions defaults() {
    return new AllocatorOptions(
        InstantSource.system(),
        0L,
        SorterType.DRF,
        SorterType.DRF,
        List.of(ResourceQuantities.parse("cpus:0.01"), ResourceQuantities.parse("mem:32")));
  }

  /** These options with another clock. */
  public AllocatorOptions withClock(InstantSource value) {
    return new AllocatorOptions(value, seed, roleSorter, frameworkSorter, minAllocatableResources);
  }

  /** These options with another seed. */
  public AllocatorOptions withSeed(long value) {
    return new AllocatorOptions(clock, value, roleSorter, frameworkSorter, minAllocatableResources);
  }

  /** These options with other sorters. */
  public AllocatorOptions withSorters(SorterType roles, SorterType frameworks) {
    return new AllocatorOptions(clock, seed, roles, frameworks, minAllocatableResources);
  }

  /** These options with other minimum allocatable resources. */
  public AllocatorOptions withMinAllocatableResources(List<ResourceQuantities> value) {
    return new AllocatorOptions(clock, seed, roleSorter, frameworkSorter, value);
  }
}
