package io.mesokube.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Control planes of their own (not the shared one): every component, kube-scheduler included,
 * starts and stops, etcd restarts keep data, and no process outlives {@link ControlPlane#close()}
 * or a JVM killed with SIGKILL.
 */
class ControlPlaneLifecycleIT {

  private static Binaries binaries;

  @BeforeAll
  static void locateBinaries() {
    binaries = Binaries.locate(ControlPlaneConfig.fromSystemProperties());
  }

  @Test
  void closeStopsEveryProcessAndRemovesTheWorkDir() {
    var config =
        ControlPlaneConfig.fromSystemProperties().withScheduler(true).withKeepWorkDir(false);
    List<ProcessHandle> processes;
    Path workDir;
    try (var controlPlane = ControlPlane.start(config, binaries)) {
      workDir = controlPlane.workDir();
      assertThat(controlPlane.components())
          .containsExactly(
              Component.ETCD,
              Component.KUBE_APISERVER,
              Component.KUBE_CONTROLLER_MANAGER,
              Component.KUBE_SCHEDULER);
      for (var component : controlPlane.components()) {
        assertThat(controlPlane.isRunning(component)).as(component.binary()).isTrue();
      }
      processes = processesOf(ProcessHandle.current(), workDir);
      // Four components and the reaper.
      assertThat(processes).hasSize(5);

      restartEtcdKeepsData(controlPlane);
    }

    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    assertThat(workDir).doesNotExist();
  }

  private static void restartEtcdKeepsData(ControlPlane controlPlane) {
    try (var client = controlPlane.newClient()) {
      client
          .configMaps()
          .inNamespace("default")
          .resource(new ConfigMapBuilder().withNewMetadata().withName("kept").endMetadata().build())
          .create();
      controlPlane.stop(Component.ETCD);
      assertThat(controlPlane.pid(Component.ETCD)).isEmpty();
      controlPlane.start(Component.ETCD);
      controlPlane.awaitReady();

      assertThat(client.configMaps().inNamespace("default").withName("kept").get()).isNotNull();
    }
  }

  @Test
  void aComponentThatDiesAtStartIsNamedWithItsExitCodeAndLog() throws IOException {
    var config =
        ControlPlaneConfig.fromSystemProperties()
            .withKeepWorkDir(false)
            .withExtraArgs(Component.KUBE_APISERVER, "--no-such-flag=1");

    var failure =
        assertThatThrownBy(() -> ControlPlane.start(config, binaries))
            .isInstanceOfSatisfying(
                ControlPlaneStartException.class,
                e -> assertThat(e.component()).isEqualTo(Component.KUBE_APISERVER))
            .hasMessageContaining("kube-apiserver exited with code 1 while starting")
            .hasMessageContaining("logs/kube-apiserver.log")
            .hasMessageContaining("---- last 40 lines ----")
            .hasMessageContaining("unknown flag: --no-such-flag")
            .actual();

    // A failed start keeps its work dir for the logs, and leaves no process behind.
    var log =
        Path.of(
            failure
                .getMessage()
                .lines()
                .filter(l -> l.startsWith("log: "))
                .findFirst()
                .orElseThrow()
                .substring("log: ".length()));
    var workDir = log.getParent().getParent();
    assertThat(log).exists();
    assertThat(processesOf(ProcessHandle.current(), workDir)).noneMatch(ProcessHandle::isAlive);
    deleteRecursively(workDir);
  }

  @Test
  void killingTheJvmWithSigkillStopsEveryProcess() throws IOException {
    var java = ProcessHandle.current().info().command().orElseThrow();
    var child =
        new ProcessBuilder(
                java,
                "-D" + ControlPlaneConfig.BIN_PROPERTY + "=" + binaries.dir(),
                "-cp",
                System.getProperty("java.class.path"),
                ControlPlaneMain.class.getName())
            .redirectErrorStream(true)
            .start();
    var output = new CopyOnWriteArrayList<String>();
    Thread.ofVirtual().start(() -> collectLines(child, output));
    try {
      await("ControlPlaneMain ready")
          .atMost(Duration.ofMinutes(3))
          .until(() -> output.stream().anyMatch(line -> line.startsWith("export KUBECONFIG=")));
      var kubeconfig =
          Path.of(
              output.stream()
                  .filter(line -> line.startsWith("export KUBECONFIG="))
                  .findFirst()
                  .orElseThrow()
                  .substring("export KUBECONFIG=".length()));
      var workDir = kubeconfig.getParent();
      var processes = processesOf(child.toHandle(), workDir);
      assertThat(processes).as(String.join("\n", output)).hasSize(4);

      child.destroyForcibly();

      await("every component gone")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(processes).noneMatch(ProcessHandle::isAlive));
      deleteRecursively(workDir);
    } finally {
      child.destroyForcibly();
    }
  }

  /** The descendants of {@code parent} whose command line names the work dir. */
  private static List<ProcessHandle> processesOf(ProcessHandle parent, Path workDir) {
    return parent
        .descendants()
        .filter(
            p ->
                p.info().arguments().stream()
                    .flatMap(Arrays::stream)
                    .anyMatch(arg -> arg.contains(workDir.toString())))
        .toList();
  }

  private static void collectLines(Process process, List<String> lines) {
    try (var reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      reader.lines().forEach(lines::add);
    } catch (IOException e) {
      lines.add("(output closed: " + e + ")");
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
