package io.mesokube.agent.host;

import io.mesokube.agent.config.AgentConfig;
import io.mesokube.api.v1alpha1.common.PortRange;
import io.mesokube.api.v1alpha1.common.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the agent offers: the configured amounts, or the host's with Mesos' defaults (all CPUs,
 * memory less 1 GiB, disk less 5 GiB, ports 31000-32000), so the node keeps room for itself.
 */
public final class HostResources {
  private static final long MIB = 1024 * 1024;
  private static final Pattern MEM_TOTAL =
      Pattern.compile("^MemTotal:\\s+(\\d+) kB", Pattern.MULTILINE);
  private static final Pattern PORTS = Pattern.compile("^(\\d{1,5})-(\\d{1,5})$");

  private HostResources() {}

  /** The resources to put in the Agent's spec; GPUs are counted from the NVIDIA device nodes. */
  public static Resources discover(AgentConfig.Resources config, Path stateDir, Path dev) {
    double cpus =
        config.cpus().orElseGet(() -> (double) Runtime.getRuntime().availableProcessors());
    long mem = config.mem().orElseGet(() -> keepSome(memTotalMib(), 1024));
    long disk = config.disk().orElseGet(() -> keepSome(diskMib(stateDir), 5 * 1024));
    if (cpus <= 0 || mem <= 0 || disk < 0) {
      throw new IllegalArgumentException(
          "resources must be positive: cpus " + cpus + ", mem " + mem + ", disk " + disk);
    }
    int gpus = countGpus(dev);
    return new Resources(
        cpus, (double) mem, (double) disk, gpus == 0 ? null : gpus, List.of(ports(config.ports())));
  }

  /** Mesos' rule: leave {@code reserve} MiB to the host, or half when the host has less than 2x. */
  static long keepSome(long totalMib, long reserve) {
    return totalMib >= 2 * reserve ? totalMib - reserve : totalMib / 2;
  }

  static PortRange ports(String text) {
    Matcher m = PORTS.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("ports must be a range like 31000-32000, got " + text);
    }
    int begin = Integer.parseInt(m.group(1));
    int end = Integer.parseInt(m.group(2));
    if (begin < 1 || end > 65535 || begin > end) {
      throw new IllegalArgumentException("ports must be an ordered range in 1-65535, got " + text);
    }
    return new PortRange(begin, end);
  }

  static long memTotalMib() {
    try {
      Matcher m = MEM_TOTAL.matcher(Files.readString(Path.of("/proc/meminfo")));
      if (!m.find()) {
        throw new IllegalStateException("no MemTotal in /proc/meminfo");
      }
      return Long.parseLong(m.group(1)) / 1024;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/meminfo", e);
    }
  }

  private static long diskMib(Path stateDir) {
    try {
      return Files.getFileStore(stateDir).getTotalSpace() / MIB;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stat the file system of " + stateDir, e);
    }
  }

  private static int countGpus(Path dev) {
    try (var entries = Files.list(dev)) {
      return (int) entries.filter(p -> p.getFileName().toString().matches("nvidia\\d+")).count();
    } catch (IOException e) {
      return 0;
    }
  }
}
