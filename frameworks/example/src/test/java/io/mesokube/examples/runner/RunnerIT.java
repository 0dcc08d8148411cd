package io.mesokube.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.task.Task;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.e2e.controlplane.ControlPlaneExtension;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.scheduler.fake.FakeAgent;
import io.mesokube.scheduler.fake.FakeOperator;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The task runner against an API server, with a fake operator and fake agents. */
@ExtendWith(ControlPlaneExtension.class)
class RunnerIT {

  private static final List<FakeAgent> AGENTS =
      List.of(FakeAgent.of("agent-1", 2, 1024), FakeAgent.of("agent-2", 1, 1024));

  private FakeOperator fake;

  @AfterEach
  void tearDown() {
    if (fake != null) {
      fake.close();
    }
  }

  private FakeOperator fake(TestCluster cluster, Function<Task, TaskState> outcome) {
    fake = new FakeOperator(cluster.client(), cluster.namespace(), AGENTS, outcome).start();
    return fake;
  }

  private static int run(TestCluster cluster, String... flags) throws Exception {
    var args = new ArrayList<>(List.of("--namespace", cluster.namespace(), "--name", "runner"));
    args.addAll(List.of(flags));
    return CompletableFuture.supplyAsync(
            () ->
                RunnerMain.run(RunnerOptions.parse(args.toArray(String[]::new)), cluster.client()))
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  void runsTenTasksToCompletionAndTearsDown(TestCluster cluster) throws Exception {
    var fake = fake(cluster, task -> TaskState.TASK_FINISHED);

    int exit = run(cluster, "--tasks", "10", "--cpus", "0.5", "--mem", "64");

    assertThat(exit).isZero();
    assertThat(fake.launchedTasks()).hasSize(10).doesNotHaveDuplicates();
    assertThat(cluster.client().resources(Framework.class).withName("runner").get()).isNull();
  }

  @Test
  void relaunchesATaskTheAgentFails(TestCluster cluster) throws Exception {
    var fake =
        fake(
            cluster,
            task ->
                task.getMetadata().getName().equals("runner-3-0")
                    ? TaskState.TASK_FAILED
                    : TaskState.TASK_FINISHED);

    int exit = run(cluster, "--tasks", "10", "--cpus", "0.5", "--mem", "64", "--max-retries", "1");

    assertThat(exit).isZero();
    assertThat(fake.launchedTasks()).hasSize(11).contains("runner-3-0", "runner-3-1");
  }

  @Test
  void givesUpWhenATaskFailsMoreThanMaxRetries(TestCluster cluster) throws Exception {
    var fake =
        fake(
            cluster,
            task ->
                task.getMetadata().getName().startsWith("runner-0-")
                    ? TaskState.TASK_FAILED
                    : TaskState.TASK_FINISHED);

    int exit = run(cluster, "--tasks", "2", "--max-retries", "1");

    assertThat(exit).isEqualTo(1);
    assertThat(fake.launchedTasks())
        .contains("runner-0-0", "runner-0-1")
        .doesNotContain("runner-0-2");
  }

  @Test
  void runsFromTheCopiedDependencies(TestCluster cluster) throws Exception {
    fake(cluster, task -> TaskState.TASK_FINISHED);
    var javaBin = ProcessHandle.current().info().command().orElse("java");
    var process =
        new ProcessBuilder(
                javaBin,
                "-cp",
                "target/classes" + File.pathSeparator + "target/lib/*",
                RunnerMain.class.getName(),
                "--namespace",
                cluster.namespace(),
                "--name",
                "packaged",
                "--tasks",
                "2")
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target", "runner-process.log").toFile());
    process.environment().put("KUBECONFIG", cluster.controlPlane().kubeconfig().toString());

    var started = process.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> !started.isAlive());
    assertThat(started.exitValue()).isZero();
  }
}
