package io.mesokube.operator.allocation;

import io.mesokube.allocator.resources.Ranges;
import io.mesokube.allocator.resources.Reservation;
import io.mesokube.allocator.resources.Resource;
import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.role.Quota;
import io.mesokube.api.v1alpha1.agent.AgentSpec;
import io.mesokube.api.v1alpha1.common.PortRange;
import io.mesokube.api.v1alpha1.common.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translates between the API's resource bundles and the allocator's resource model. */
public final class ResourceMapping {
  static final String CPUS = "cpus";
  static final String MEM = "mem";
  static final String DISK = "disk";
  static final String GPUS = "gpus";
  static final String PORTS = "ports";

  /** The scalar resources the API knows, in the order messages name them. */
  static final List<String> SCALARS = List.of(CPUS, MEM, DISK, GPUS);

  private ResourceMapping() {}

  /** Unreserved allocator resources for an API bundle (null means none). */
  public static io.mesokube.allocator.resources.Resources toAllocator(Resources api) {
    return io.mesokube.allocator.resources.Resources.of(resources(api));
  }

  /**
   * An agent's total for the allocator: each reservation as statically reserved resources, the rest
   * of the configured total unreserved.
   *
   * @throws IllegalArgumentException if the reservations do not fit in the total
   */
  public static io.mesokube.allocator.resources.Resources agentTotal(AgentSpec spec) {
    io.mesokube.allocator.resources.Resources total = toAllocator(spec.resources());
    if (spec.reservations() == null) {
      return total;
    }
    List<Resource> reserved = new ArrayList<>();
    io.mesokube.allocator.resources.Resources unreserved = total;
    for (var reservation : spec.reservations()) {
      io.mesokube.allocator.resources.Resources part = toAllocator(reservation.resources());
      if (!unreserved.contains(part)) {
        throw new IllegalArgumentException(
            "reservation for role '" + reservation.role() + "' exceeds the agent's resources");
      }
      unreserved = unreserved.minus(part);
      for (Resource r : part.asList()) {
        reserved.add(r.reserved(Reservation.ofStatic(reservation.role())));
      }
    }
    return unreserved.plus(io.mesokube.allocator.resources.Resources.of(reserved));
  }

  /** The API bundle for allocator resources, reservations and allocation roles dropped. */
  public static Resources fromAllocator(io.mesokube.allocator.resources.Resources resources) {
    Ranges ports = Ranges.EMPTY;
    for (Resource r : resources.asList()) {
      if (r.name().equals(PORTS) && r.kind() == Resource.Kind.RANGES) {
        ports = ports.add(r.ranges());
      }
    }
    return bundle(
        resources.scalar(CPUS),
        resources.scalar(MEM),
        resources.scalar(DISK),
        resources.scalar(GPUS),
        ports.isEmpty() ? null : portRanges(ports));
  }

  /** The API bundle for scalar quantities, such as a quota's unmet guarantee. */
  static Resources fromQuantities(ResourceQuantities quantities) {
    return bundle(
        quantities.get(CPUS),
        quantities.get(MEM),
        quantities.get(DISK),
        quantities.get(GPUS),
        null);
  }

  /** How a bundle reads in messages to people: {@code cpus 0.5, mem 256.0 MiB, ports 80,443}. */
  static String describe(Resources r) {
    StringBuilder out = new StringBuilder();
    if (r.cpus() != null) {
      out.append("cpus ").append(r.cpus());
    }
    if (r.mem() != null) {
      out.append(out.isEmpty() ? "" : ", ").append("mem ").append(r.mem()).append(" MiB");
    }
    if (r.disk() != null) {
      out.append(out.isEmpty() ? "" : ", ").append("disk ").append(r.disk()).append(" MiB");
    }
    if (r.gpus() != null) {
      out.append(out.isEmpty() ? "" : ", ").append("gpus ").append(r.gpus());
    }
    if (r.ports() != null && !r.ports().isEmpty()) {
      out.append(out.isEmpty() ? "" : ", ").append("ports ");
      out.append(
          String.join(
              ",",
              r.ports().stream()
                  .map(p -> p.begin().equals(p.end()) ? "" + p.begin() : p.begin() + "-" + p.end())
                  .toList()));
    }
    return out.toString();
  }

  /** The allocator quota for an API quota (null means none). */
  public static Quota quota(io.mesokube.api.v1alpha1.role.Quota api) {
    if (api == null) {
      return Quota.NONE;
    }
    ResourceQuantities guarantees =
        api.guarantee() == null
            ? ResourceQuantities.EMPTY
            : ResourceQuantities.of(scalars(api.guarantee()));
    ResourceLimits limits =
        api.limit() == null ? ResourceLimits.NONE : ResourceLimits.of(scalars(api.limit()));
    return new Quota(guarantees, limits);
  }

  private static Resources bundle(
      double cpus, double mem, double disk, double gpus, List<PortRange> ports) {
    return new Resources(
        cpus > 0 ? cpus : null,
        mem > 0 ? mem : null,
        disk > 0 ? disk : null,
        gpus > 0 ? (int) gpus : null,
        ports);
  }

  private static List<Resource> resources(Resources api) {
    List<Resource> out = new ArrayList<>();
    if (api == null) {
      return out;
    }
    scalars(api).forEach((name, value) -> out.add(Resource.scalar(name, value)));
    if (api.ports() != null && !api.ports().isEmpty()) {
      long[] pairs = new long[api.ports().size() * 2];
      int i = 0;
      for (PortRange range : api.ports()) {
        pairs[i++] = range.begin();
        pairs[i++] = range.end();
      }
      out.add(Resource.ranges(PORTS, Ranges.of(pairs)));
    }
    return out;
  }

  private static Map<String, Double> scalars(Resources api) {
    Map<String, Double> out = new LinkedHashMap<>();
    putPositive(out, CPUS, api.cpus());
    putPositive(out, MEM, api.mem());
    putPositive(out, DISK, api.disk());
    putPositive(out, GPUS, api.gpus() == null ? null : api.gpus().doubleValue());
    return out;
  }

  private static void putPositive(Map<String, Double> out, String name, Double value) {
    if (value != null && value > 0) {
      out.put(name, value);
    }
  }

  private static List<PortRange> portRanges(Ranges ranges) {
    List<PortRange> out = new ArrayList<>();
    long[] pairs = ranges.toPairs();
    for (int i = 0; i < pairs.length; i += 2) {
      out.add(new PortRange((int) pairs[i], (int) pairs[i + 1]));
    }
    return out;
  }
}
