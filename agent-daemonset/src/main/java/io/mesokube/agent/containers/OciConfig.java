package io.mesokube.agent.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mesokube.agent.launcher.TaskUser;
import java.nio.file.Path;
import java.util.List;

/**
 * The OCI runtime configuration ({@code config.json}) of a task's container. Plain logic, no I/O.
 *
 * <p>Namespaces: mount, PID, IPC and UTS of its own; the host's network (Mesos' default) or a
 * private one with only a loopback. The task's sandbox is bind-mounted at {@link
 * ContainerProcess#SANDBOX}; with the host's network, the host's {@code /etc/resolv.conf} and
 * {@code /etc/hosts} are bind-mounted read-only so that names resolve as on the host.
 *
 * <p>No {@code linux.resources}: crun runs with its cgroup manager disabled, inside the task's
 * cgroup that the supervisor joined before it; runc, which cannot do without one, is given the
 * task's cgroup as {@code linux.cgroupsPath} and joins it. Either way limits, usage, OOM and kill
 * are the agent's as for any task.
 *
 * <p>The process runs as the task's user (the image's {@code User} is not used, as in Mesos). A
 * non-root user gets no capability; root, only when a RolePolicy allows it, gets Docker's default
 * set less {@code MKNOD} (no device cgroup guards the devices here), and never new privileges.
 */
public final class OciConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Docker's default capabilities for root, less CAP_MKNOD. */
  static final List<String> ROOT_CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE");

  private static final List<String> MASKED =
      List.of(
          "/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/proc/scsi",
          "/sys/firmware");

  private static final List<String> READ_ONLY =
      List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  private OciConfig() {}

  /**
   * The configuration.
   *
   * @param rootfs the root filesystem as the runtime will find it
   * @param readOnlyRootfs whether the root filesystem is mounted read-only
   * @param sandbox the task's sandbox on the host
   * @param privateNetwork a network namespace of its own, with loopback only
   * @param hostFiles host files to bind read-only at the same path (resolv.conf, hosts), those that
   *     exist
   */
  public static ObjectNode of(
      ContainerProcess process,
      TaskUser user,
      Path rootfs,
      boolean readOnlyRootfs,
      Path sandbox,
      boolean privateNetwork,
      List<Path> hostFiles,
      String cgroupsPath) {
    ObjectNode config = JSON.createObjectNode();
    config.put("ociVersion", "1.0.2");

    ObjectNode proc = config.putObject("process");
    proc.put("terminal", false);
    ObjectNode u = proc.putObject("user");
    u.put("uid", user.uid());
    u.put("gid", user.gid());
    strings(proc.putArray("args"), process.args());
    ArrayNode env = proc.putArray("env");
    process.env().forEach((name, value) -> env.add(name + "=" + value));
    proc.put("cwd", process.cwd());
    List<String> caps = user.uid() == 0 ? ROOT_CAPABILITIES : List.of();
    ObjectNode capabilities = proc.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      strings(capabilities.putArray(set), caps);
    }
    capabilities.putArray("inheritable");
    capabilities.putArray("ambient");
    proc.put("noNewPrivileges", true);

    ObjectNode root = config.putObject("root");
    root.put("path", rootfs.toString());
    root.put("readonly", readOnlyRootfs);

    ArrayNode mounts = config.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc");
    mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(
        mounts,
        "/dev/pts",
        "devpts",
        "devpts",
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620");
    mount(
        mounts,
        "/dev/shm",
        "tmpfs",
        "shm",
        "nosuid",
        "noexec",
        "nodev",
        "mode=1777",
        "size=65536k");
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
    mount(
        mounts,
        ContainerProcess.SANDBOX,
        "bind",
        sandbox.toString(),
        "rbind",
        "rw",
        "nosuid",
        "nodev");
    if (!privateNetwork) {
      for (Path file : hostFiles) {
        mount(mounts, file.toString(), "bind", file.toString(), "bind", "ro", "nosuid", "nodev");
      }
    }

    ObjectNode linux = config.putObject("linux");
    if (cgroupsPath != null) {
      linux.put("cgroupsPath", cgroupsPath);
    }
    ArrayNode namespaces = linux.putArray("namespaces");
    for (String ns :
        privateNetwork
            ? List.of("pid", "ipc", "uts", "mount", "network")
            : List.of("pid", "ipc", "uts", "mount")) {
      namespaces.addObject().put("type", ns);
    }
    strings(linux.putArray("maskedPaths"), MASKED);
    strings(linux.putArray("readonlyPaths"), READ_ONLY);
    return config;
  }

  private static void mount(
      ArrayNode mounts, String destination, String type, String source, String... options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    if (options.length > 0) {
      strings(m.putArray("options"), List.of(options));
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
