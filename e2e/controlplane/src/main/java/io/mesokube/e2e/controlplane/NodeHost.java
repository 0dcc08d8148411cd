package io.mesokube.e2e.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of the test node: what containerd and the kubelet need from this machine before
 * they start, and everything they change on it, put back after they stop.
 *
 * <p>A kubelet is not a process that keeps to its work dir. It sets sysctls ({@code
 * vm.overcommit_memory}, {@code kernel.panic*}, and the CNI bridge {@code net.ipv4.ip_forward}),
 * creates cgroups in every hierarchy, bind-mounts its root dir onto itself, mounts each pod's
 * volumes, creates network interfaces and namespaces, and uses fixed paths ({@code
 * /var/lib/kubelet/device-plugins}, {@code /var/log/containers}). So one node runs per machine (a
 * lock says so), its state lives under fixed paths of its own ({@link #ROOT}, {@link #RUN}), and
 * {@link #prepare} first clears what a run that died without {@link #teardown} left behind. The
 * sysctls' values from before the first run are kept in a file beside the lock until a teardown
 * puts them back.
 *
 * <p>The node's address is {@link #NODE_IP} on a bridge of its own with no port attached ({@link
 * #NODE_BRIDGE}): the kubelet refuses a loopback node IP, the API server reaches the kubelet there,
 * and nothing outside this machine can. Pods on the host's network see it as their host IP.
 *
 * <p>Over 400 lines on purpose: it is the inventory of what a node changes on the host beside the
 * undoing of each change, so that nothing set up goes without its teardown. The configuration text
 * is in {@link NodeConfig}, the cgroup sweep in {@link CgroupTree}.
 */
final class NodeHost {

  private static final Logger LOG = LoggerFactory.getLogger(NodeHost.class);

  /** The node's name, also the CN of its client certificate. */
  static final String NODE_NAME = "mesokube-node";

  /** The node's InternalIP. */
  static final String NODE_IP = "172.30.255.1";

  /** The interface that holds {@link #NODE_IP}. */
  static final String NODE_BRIDGE = "mk-node0";

  /** The bridge the CNI plugin attaches pods to, and their subnet. */
  static final String CNI_BRIDGE = "mk-cni0";

  static final String POD_SUBNET = "10.244.0.0/24";

  /** Persistent state: the kubelet's root dir, containerd's root, CNI state, pod logs. */
  static final Path ROOT = Path.of("/var/lib/mesokube-node");

  /** Runtime state: containerd's sockets and state, runc's state, network namespaces. */
  static final Path RUN = Path.of("/run/mesokube-node");

  /** The kubelet's cgroup root, created in every hierarchy. */
  static final String CGROUP_ROOT = "mesokube-node";

  /** The sandbox ("pause") image, imported into containerd, never pulled. */
  static final String PAUSE_IMAGE = "mesokube.local/pause:3.10";

  private static final CgroupTree CGROUPS = CgroupTree.named(CGROUP_ROOT);
  private static final Path LOCK = Path.of("/run/mesokube-node.lock");
  private static final Path SAVED_SYSCTLS = Path.of("/run/mesokube-node.sysctl");
  private static final List<String> SYSCTLS =
      List.of(
          "net.ipv4.ip_forward",
          "vm.overcommit_memory",
          "vm.panic_on_oom",
          "kernel.panic",
          "kernel.panic_on_oops",
          "kernel.keys.root_maxkeys",
          "kernel.keys.root_maxbytes");

  /**
   * Fixed paths the kubelet and containerd's shim create whatever their configuration says: the
   * device-plugin socket dir, the container log links, the shims' socket dir. Removed after the
   * node if they were not there before it.
   */
  private static final List<Path> FIXED_PATHS =
      List.of(
          Path.of("/var/lib/kubelet"), Path.of("/var/log/containers"), Path.of("/run/containerd"));

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final WorkDir dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private NodeHost(WorkDir dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** The containerd configuration file, in the work dir (so the reaper recognises containerd). */
  static Path containerdConfig(WorkDir dir) {
    return dir.root().resolve("node").resolve("containerd.toml");
  }

  /** The kubelet configuration file, in the work dir. */
  static Path kubeletConfig(WorkDir dir) {
    return dir.root().resolve("node").resolve("kubelet.yaml");
  }

  /** containerd's socket. */
  static Path containerdSocket() {
    return RUN.resolve("containerd.sock");
  }

  /** The kubelet's root dir. */
  static Path kubeletRoot() {
    return ROOT.resolve("kubelet");
  }

  /**
   * Takes the machine's node lock, clears what an earlier run left, saves the sysctls, and writes
   * containerd's and the kubelet's configuration, the CNI configuration, the node's bridge and its
   * cgroups.
   *
   * @throws IllegalStateException when another node runs on this machine, or the host lacks what a
   *     node needs (root, runc, the CNI plugins, the cgroup hierarchies)
   */
  static NodeHost prepare(WorkDir dir, Ports ports, Binaries binaries) {
    requireHost();
    FileChannel channel = null;
    try {
      Files.createDirectories(LOCK.getParent());
      channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IllegalStateException(
            "another test node runs on this machine (" + LOCK + " is locked): one kubelet only");
      }
      var host = new NodeHost(dir, channel, lock);
      host.clearLeftovers();
      host.saveSysctls();
      host.writeConfiguration(ports, binaries);
      host.createNetwork();
      // The kubelet (cgroupfs driver) wants its cgroup root in every hierarchy before it starts.
      CGROUPS.create();
      return host;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot prepare the test node", e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Imports the sandbox image into containerd's k8s.io namespace (containerd must be up). */
  void importPauseImage(Binaries binaries) {
    Path archive = PauseImage.archive(dir);
    run(
        binaries.ctr().toString(),
        "--address",
        containerdSocket().toString(),
        "--namespace",
        "k8s.io",
        "images",
        "import",
        "--base-name",
        PAUSE_IMAGE.substring(0, PAUSE_IMAGE.lastIndexOf(':')),
        archive.toString());
  }

  /**
   * After containerd and the kubelet stopped: stops what they left running (pods' processes,
   * shims), unmounts what they mounted, removes their cgroups, interfaces and fixed paths, puts the
   * sysctls back and releases the lock. Logs and goes on when one step fails, so that the others
   * still run.
   */
  void teardown() {
    try {
      clearLeftovers();
      restoreSysctls();
    } finally {
      try {
        lock.release();
      } catch (IOException e) {
        LOG.warn("cannot release {}: {}", LOCK, e.toString());
      }
      closeQuietly(lockChannel);
    }
  }

  // Everything a node leaves on the host, in the order it must go: processes hold mounts and
  // cgroups, mounts hold directories.
  private void clearLeftovers() {
    step("stop the pods' processes and shims", NodeHost::killNodeProcesses);
    step("unmount the node's mounts", NodeHost::unmountAll);
    step("remove the node's cgroups", CGROUPS::remove);
    step("remove the node's interfaces", NodeHost::removeInterfaces);
    step("remove the node's directories", NodeHost::removeDirectories);
  }

  private static void requireHost() {
    List<String> missing = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      missing.add("root (the kubelet and containerd run as root)");
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/runc"))) {
      missing.add("runc (Debian package runc)");
    }
    if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
      missing.add("the CNI plugins (Debian package containernetworking-plugins)");
    }
    if (!Files.isDirectory(Path.of("/sys/fs/cgroup/memory"))
        && !Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
      missing.add("cgroup hierarchies under /sys/fs/cgroup");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("a test node needs " + String.join(", ", missing));
    }
  }

  private void saveSysctls() throws IOException {
    if (Files.exists(SAVED_SYSCTLS)) {
      LOG.info("keeping the sysctls saved by an earlier run in {}", SAVED_SYSCTLS);
      return;
    }
    var saved = new Properties();
    for (String name : SYSCTLS) {
      Path file = sysctlFile(name);
      if (Files.isRegularFile(file)) {
        saved.setProperty(name, readSysctl(file));
      }
    }
    for (Path path : FIXED_PATHS) {
      saved.setProperty("existed:" + path, Boolean.toString(Files.exists(path)));
    }
    try (var out = Files.newBufferedWriter(SAVED_SYSCTLS)) {
      saved.store(out, "host state before the Mesokube test node; NodeHost restores it");
    }
  }

  private void restoreSysctls() {
    if (!Files.exists(SAVED_SYSCTLS)) {
      return;
    }
    var saved = new Properties();
    try (var in = Files.newBufferedReader(SAVED_SYSCTLS)) {
      saved.load(in);
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", SAVED_SYSCTLS, e.toString());
      return;
    }
    boolean complete = true;
    for (String name : saved.stringPropertyNames()) {
      if (name.startsWith("existed:")) {
        Path path = Path.of(name.substring("existed:".length()));
        if (!Boolean.parseBoolean(saved.getProperty(name))) {
          complete &= step("remove " + path, () -> deleteTree(path));
        }
        continue;
      }
      String value = saved.getProperty(name);
      complete &=
          step(
              "restore " + name + " = " + value,
              () -> Files.writeString(sysctlFile(name), value + "\n"));
    }
    if (complete) {
      step("forget the saved sysctls", () -> Files.deleteIfExists(SAVED_SYSCTLS));
    }
  }

  /**
   * A sysctl's value, read in one call: the kernel answers a read at a non-zero offset of most
   * sysctl files with end-of-file, and {@code Files.readString} starts with a short read when a
   * file reports size 0, as every /proc file does, which once kept "1" of "1000000".
   */
  static String readSysctl(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[4096];
      int read = in.read(buffer, 0, buffer.length);
      return read <= 0 ? "" : new String(buffer, 0, read, StandardCharsets.US_ASCII).strip();
    }
  }

  private static Path sysctlFile(String name) {
    return Path.of("/proc/sys", name.replace('.', '/'));
  }

  private void writeConfiguration(Ports ports, Binaries binaries) throws IOException {
    Path nodeDir = dir.root().resolve("node");
    Path cniConf = ROOT.resolve("cni/net.d");
    for (Path d :
        List.of(
            nodeDir,
            cniConf,
            ROOT.resolve("cni/data"),
            ROOT.resolve("containerd"),
            ROOT.resolve("pod-logs"),
            kubeletRoot(),
            RUN)) {
      Files.createDirectories(d);
    }
    Files.writeString(
        containerdConfig(dir), NodeConfig.containerd(ports, binaries, ROOT, RUN, cniConf));
    Files.writeString(
        cniConf.resolve("10-mesokube-node.conflist"),
        NodeConfig.cniBridge(CNI_BRIDGE, POD_SUBNET, ROOT.resolve("cni/data")));
    Files.writeString(
        kubeletConfig(dir),
        NodeConfig.kubelet(ports, dir, NODE_IP, "/" + CGROUP_ROOT, ROOT.resolve("pod-logs")));
  }

  private static void createNetwork() {
    run("ip", "link", "add", NODE_BRIDGE, "type", "bridge");
    run("ip", "address", "add", NODE_IP + "/32", "dev", NODE_BRIDGE);
    run("ip", "link", "set", NODE_BRIDGE, "up");
  }

  // Everything left in the node's cgroups (pods, and the shims containerd moved there), and every
  // shim of this node's containerd, wherever it runs; then the node's cgroups.
  private static void killNodeProcesses() throws IOException {
    List<Long> left = new ArrayList<>(CGROUPS.processes());
    left.addAll(nodeProcesses());
    if (!left.isEmpty()) {
      LOG.info("killing {} processes the node left: {}", left.size(), left);
    }
    CGROUPS.kill(NodeHost::nodeProcesses);
  }

  private static List<Long> nodeProcesses() {
    List<Long> pids = new ArrayList<>(processesNaming(RUN.toString()));
    pids.addAll(processesNaming(ROOT.toString()));
    return pids;
  }

  private static List<Long> processesNaming(String path) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(path)).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }

  // Deepest first, lazily: a mount still busy goes once its last user does.
  private static void unmountAll() throws IOException {
    List<String> targets = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String target = unescape(line.split(" ")[4]);
      if (under(target, ROOT) || under(target, RUN)) {
        targets.add(target);
      }
    }
    targets.sort(Comparator.comparingInt(String::length).reversed());
    for (String target : targets.stream().distinct().toList()) {
      run("umount", "--lazy", target);
    }
  }

  private static boolean under(String target, Path root) {
    return target.equals(root.toString()) || target.startsWith(root + "/");
  }

  // mountinfo escapes space, tab, newline and backslash as octal.
  private static String unescape(String field) {
    var out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void removeInterfaces() {
    for (String link : List.of(CNI_BRIDGE, NODE_BRIDGE)) {
      if (Files.exists(Path.of("/sys/class/net", link))) {
        run("ip", "link", "delete", link);
      }
    }
  }

  private static void removeDirectories() throws IOException {
    deleteTree(ROOT);
    deleteTree(RUN);
    for (Path link : symlinksInto(Path.of("/var/log/containers"), ROOT)) {
      Files.deleteIfExists(link);
    }
  }

  private static List<Path> symlinksInto(Path dir, Path target) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> links = Files.list(dir)) {
      return links
          .filter(Files::isSymbolicLink)
          .filter(
              link -> {
                try {
                  return Files.readSymbolicLink(link).startsWith(target);
                } catch (IOException e) {
                  return false;
                }
              })
          .toList();
    }
  }

  // rm on one file system only: a mount missed by unmountAll is never descended into.
  private static void deleteTree(Path path) throws IOException {
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      run("rm", "-rf", "--one-file-system", "--", path.toString());
    }
  }

  /** Runs a host command; throws with its output when it fails. */
  static String run(String... command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed (" + process.exitValue() + "): " + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  private interface Step {
    void run() throws IOException;
  }

  private static boolean step(String what, Step step) {
    try {
      step.run();
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("node teardown: cannot {}: {}", what, e.toString());
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing {}", LOCK, e);
      }
    }
  }
}
