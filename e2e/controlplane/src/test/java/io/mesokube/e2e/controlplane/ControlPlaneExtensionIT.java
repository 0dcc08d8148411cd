package io.mesokube.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fabric8.kubernetes.api.model.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension's life cycle, observed by running sample test classes in a separate JUnit execution
 * (so with a control plane of their own): namespaces per test, deletion afterwards, the work dir
 * kept on failure, and the control plane stopped at the end of the run.
 */
class ControlPlaneExtensionIT {

  private static final List<String> namespaces = new CopyOnWriteArrayList<>();
  private static final List<ControlPlane> controlPlanes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void bins() {
    // The nested run reads the same system properties; pin the binaries found once.
    if (System.getProperty(ControlPlaneConfig.BIN_PROPERTY) == null) {
      System.setProperty(
          ControlPlaneConfig.BIN_PROPERTY,
          Binaries.locate(ControlPlaneConfig.fromSystemProperties()).dir().toString());
    }
  }

  @Test
  void oneControlPlanePerRunANamespacePerTestAndLogsKeptOnFailure() throws IOException {
    var results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(SampleA.class), selectClass(SampleB.class))
            .execute();

    results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
    assertThat(namespaces).hasSize(3).doesNotHaveDuplicates();
    assertThat(controlPlanes).hasSize(3).containsOnly(controlPlanes.getFirst());
    var controlPlane = controlPlanes.getFirst();
    var reported =
        results.allEvents().reportingEntryPublished().stream()
            .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
            .filter(entry -> entry.containsKey("controlplane.logs"))
            .map(entry -> entry.get("controlplane.logs"))
            .toList();
    assertThat(reported).containsExactly(controlPlane.workDir() + "/logs");
    // The run is over: the control plane is stopped, its work dir kept for the failure.
    assertThat(controlPlane.workDir().resolve("logs/kube-apiserver.log")).exists();
    for (var component : controlPlane.components()) {
      assertThat(controlPlane.isRunning(component)).isFalse();
    }
    deleteRecursively(controlPlane.workDir());
  }

  /** Sample tests, run only through the test kit above (nested classes are not discovered). */
  @ExtendWith(ControlPlaneExtension.class)
  static class SampleA {
    @Test
    void first(TestCluster cluster) {
      record(cluster);
      assertThat(cluster.client().resources(Namespace.class).withName(cluster.namespace()).get())
          .isNotNull();
    }

    @Test
    void fails(TestCluster cluster) {
      record(cluster);
      assertThat(cluster.namespace()).isEqualTo("this test fails on purpose");
    }
  }

  /** A second class shares the run's control plane and sees the earlier namespaces going. */
  @ExtendWith(ControlPlaneExtension.class)
  static class SampleB {
    @Test
    void earlierNamespacesAreBeingDeleted(TestCluster cluster) {
      for (var earlier : List.copyOf(namespaces)) {
        var namespace = cluster.client().resources(Namespace.class).withName(earlier).get();
        assertThat(namespace == null || namespace.getMetadata().getDeletionTimestamp() != null)
            .as(earlier)
            .isTrue();
      }
      record(cluster);
    }
  }

  private static void record(TestCluster cluster) {
    namespaces.add(cluster.namespace());
    controlPlanes.add(cluster.controlPlane());
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
