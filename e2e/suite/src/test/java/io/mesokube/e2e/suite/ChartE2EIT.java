package io.mesokube.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.e2e.controlplane.ControlPlane;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.KubectlResult;
import io.mesokube.e2e.controlplane.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart ({@code charts/mesokube}) with the real helm, built from its Go module: it lints, it is
 * the one source of {@code deploy/} and of its own CRD copies, its schema refuses bad values with a
 * message, and a release installs, upgrades and uninstalls on a real API server. The workloads'
 * pods need a node (see the node suite); here the objects themselves are checked.
 */
@ExtendWith(ControlPlaneExtension.class)
class ChartE2EIT {
  private static final Path REPO = Path.of(System.getProperty("mesokube.repo.dir"));
  private static final Path CHART = REPO.resolve("charts/mesokube");
  private static final Path DEPLOY = REPO.resolve("deploy");

  @Test
  void theChartPassesHelmLintStrict(ControlPlane controlPlane) {
    KubectlResult lint = controlPlane.helm("lint", "--strict", CHART.toString());

    assertThat(lint.succeeded()).as(lint.stdout() + lint.stderr()).isTrue();
    assertThat(lint.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @Test
  void theChartsAppVersionIsTheProjectsSoItsDefaultImagesAreTheOnesJibBuilds() throws IOException {
    String chart = Files.readString(CHART.resolve("Chart.yaml"), StandardCharsets.UTF_8);

    assertThat(chart.lines())
        .contains("appVersion: \"" + System.getProperty("mesokube.version") + "\"");
  }

  @Test
  void deployAndTheChartsCrdsAreRenderedFromOneSource() throws Exception {
    assertThat(script("deploy/render.sh", "--check")).as("deploy/render.sh --check").isEmpty();
    assertThat(script("charts/mesokube/sync-crds.sh", "--check"))
        .as("charts/mesokube/sync-crds.sh --check")
        .isEmpty();
  }

  @ParameterizedTest(name = "--set {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "operator.replicas=0 | at '/operator/replicas': minimum: got 0, want 1",
        "operator.replica=3 | additional properties 'replica' not allowed",
        "agent.stateDir=var/lib/mesokube | at '/agent/stateDir': 'var/lib/mesokube' does not match",
        "agent.cgroup.mountPropagation=Bidirectional | value must be one of 'None', 'HostToContainer'",
        "apiServerUrl=ftp://api:6443 | at '/apiServerUrl': 'ftp://api:6443' does not match",
        "agent.offer.cpus=-1 | at '/agent/offer/cpus'",
        "uninstall.timeout=4min | at '/uninstall/timeout': '4min' does not match",
      })
  void aBadValueIsRefusedWithAMessageThatNamesIt(
      String assignment, String message, ControlPlane controlPlane) {
    KubectlResult template =
        controlPlane.helm("template", "bad", CHART.toString(), "--set", assignment);

    assertThat(template.succeeded()).as(template.stdout()).isFalse();
    assertThat(template.stderr()).contains(message);
  }

  @Test
  void deployAppliesToARealApiServer(TestCluster cluster) {
    // Cluster-wide and in mesokube-system, as an installer applies them: not in the test namespace.
    KubectlResult rbac =
        cluster.controlPlane().kubectl("apply", "-f", DEPLOY.resolve("rbac").toString());
    assertThat(rbac.succeeded()).as(rbac.stderr()).isTrue();

    // Server-side dry run of the workloads: no node runs their pods in this suite.
    KubectlResult workloads =
        cluster
            .controlPlane()
            .kubectl(
                "apply",
                "--dry-run=server",
                "-o",
                "name",
                "-f",
                DEPLOY.resolve("kubernetes").toString());

    assertThat(workloads.succeeded()).as(workloads.stderr()).isTrue();
    assertThat(workloads.stdout().lines())
        .containsExactlyInAnyOrder(
            "deployment.apps/mesokube-operator",
            "daemonset.apps/mesokube-agent",
            "service/mesokube-operator",
            "poddisruptionbudget.policy/mesokube-operator");
  }

  @Test
  void aReleaseInstallsUpgradesAndUninstallsEverythingButTheCrds(TestCluster cluster) {
    ControlPlane controlPlane = cluster.controlPlane();
    String namespace = cluster.namespace();
    // Not "mesokube": the cluster-wide objects are then <release>-mesokube-*, beside the ones
    // deploy/ creates for other tests.
    String release = "chart-it";
    String selector = "app.kubernetes.io/instance=" + release;
    String kinds =
        "deployment,daemonset,service,poddisruptionbudget,serviceaccount,role,rolebinding";
    String clusterKinds = "clusterrole,clusterrolebinding";

    // The harness applied the CRDs (server-side, as the README's upgrade path does); Helm 4 would
    // apply its copies over them and conflict with that field manager, so, as a user who manages
    // CRDs that way, the install skips them.
    KubectlResult install =
        controlPlane.helm(
            "install", release, CHART.toString(), "--namespace", namespace, "--skip-crds");
    assertThat(install.succeeded()).as(install.stderr()).isTrue();
    assertThat(install.stdout()).contains("STATUS: deployed");
    assertThat(names(controlPlane, namespace, kinds, selector))
        .contains(
            "deployment.apps/chart-it-mesokube-operator",
            "daemonset.apps/chart-it-mesokube-agent",
            "service/chart-it-mesokube-operator",
            "poddisruptionbudget.policy/chart-it-mesokube-operator",
            "serviceaccount/chart-it-mesokube-operator",
            "serviceaccount/chart-it-mesokube-agent");
    assertThat(names(controlPlane, null, clusterKinds, selector))
        .contains(
            "clusterrole.rbac.authorization.k8s.io/chart-it-mesokube-operator",
            "clusterrole.rbac.authorization.k8s.io/chart-it-mesokube-agent",
            "clusterrole.rbac.authorization.k8s.io/chart-it-mesokube-framework-scheduler",
            "clusterrolebinding.rbac.authorization.k8s.io/chart-it-mesokube-operator");

    // The uninstall drain is a pre-delete hook: stored with the release, created only by helm
    // uninstall.
    assertThat(hooks(controlPlane, release, namespace))
        .contains(
            "kind: Job\nmetadata:\n  name: chart-it-mesokube-uninstall\n",
            "kind: ServiceAccount\nmetadata:\n  name: chart-it-mesokube-uninstall\n",
            "kind: ClusterRole\nmetadata:\n  name: chart-it-mesokube-uninstall\n",
            "kind: ClusterRoleBinding\nmetadata:\n  name: chart-it-mesokube-uninstall\n",
            "helm.sh/hook: pre-delete",
            "- --timeout=4m");
    assertThat(names(controlPlane, namespace, "job", selector)).isEmpty();

    // No node runs pods here: helm uninstall would wait for the drain's Job until its timeout. The
    // upgrade takes the hook out (HelmNodeE2EIT uninstalls with it, on a node).
    KubectlResult upgrade =
        controlPlane.helm(
            "upgrade",
            release,
            CHART.toString(),
            "--namespace",
            namespace,
            "--set",
            "operator.replicas=2",
            "--set",
            "uninstall.drain=false");
    assertThat(upgrade.succeeded()).as(upgrade.stderr()).isTrue();
    assertThat(hooks(controlPlane, release, namespace)).doesNotContain("uninstall");
    assertThat(
            cluster
                .kubectl(
                    "get",
                    "deployment",
                    "chart-it-mesokube-operator",
                    "-o",
                    "jsonpath={.spec.replicas}")
                .stdout())
        .isEqualTo("2");

    KubectlResult uninstall =
        controlPlane.helm("uninstall", release, "--namespace", namespace, "--wait");
    assertThat(uninstall.succeeded()).as(uninstall.stderr()).isTrue();
    assertThat(names(controlPlane, namespace, kinds, selector)).isEmpty();
    assertThat(names(controlPlane, null, clusterKinds, selector)).isEmpty();
    // Helm's convention (and the only safe one): CRDs, and with them every Task, stay.
    assertThat(
            controlPlane
                .kubectl("get", "crd", "-o", "name", "tasks.mesokube.io", "frameworks.mesokube.io")
                .succeeded())
        .isTrue();
  }

  /** The manifests of a release's hooks, as {@code helm get hooks} prints them. */
  private static String hooks(ControlPlane controlPlane, String release, String namespace) {
    KubectlResult hooks = controlPlane.helm("get", "hooks", release, "--namespace", namespace);
    assertThat(hooks.succeeded()).as(hooks.stderr()).isTrue();
    return hooks.stdout();
  }

  private static List<String> names(
      ControlPlane controlPlane, String namespace, String kinds, String selector) {
    KubectlResult get =
        namespace == null
            ? controlPlane.kubectl("get", kinds, "-l", selector, "-o", "name")
            : controlPlane.kubectl(
                "get", kinds, "--namespace", namespace, "-l", selector, "-o", "name");
    assertThat(get.succeeded()).as(get.stderr()).isTrue();
    return get.stdout().lines().toList();
  }

  /** Runs a repository script; returns its output when it fails, else an empty string. */
  private static String script(String path, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", REPO.resolve(path).toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(path + " finished").isTrue();
    return process.exitValue() == 0 ? "" : "exit " + process.exitValue() + ":\n" + output;
  }
}
