package io.mesokube.examples.runner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mesokube.scheduler.KubernetesSchedulerDriver;
import io.mesokube.scheduler.SchedulerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task runner framework: {@code java -cp 'target/classes:target/lib/*'
 * io.mesokube.examples.runner.RunnerMain --tasks 10 --cpus 0.5 --mem 64 --command 'echo hi'}. Uses
 * the kubeconfig (or in-cluster config) Fabric8 finds; exits 0 when all tasks finished, 1 when one
 * failed more often than {@code --max-retries}, 2 on bad flags or a driver error.
 */
public final class RunnerMain {

  private static final Logger LOG = LoggerFactory.getLogger(RunnerMain.class);

  private RunnerMain() {}

  /** Runs the framework and exits with its result. */
  public static void main(String[] args) {
    RunnerOptions options;
    try {
      options = RunnerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try (var client = new KubernetesClientBuilder().build()) {
      System.exit(run(options, client));
    }
  }

  /** Runs the framework with {@code client} until it is done; returns the exit code. */
  public static int run(RunnerOptions options, KubernetesClient client) {
    var namespace = options.namespace() != null ? options.namespace() : client.getNamespace();
    var config =
        SchedulerConfig.builder(client, namespace == null ? "default" : namespace, options.name())
            .roles(options.role())
            .build();
    var scheduler = new TaskRunnerScheduler(options);
    var driver = new KubernetesSchedulerDriver(scheduler, config);
    LOG.info(
        "running {} tasks as framework {} in {}",
        options.tasks(),
        options.name(),
        config.namespace());
    var status = driver.run();
    LOG.info("driver {}; exit code {}", status, scheduler.exitCode());
    return switch (status) {
      case DRIVER_STOPPED -> scheduler.exitCode();
      default -> 2;
    };
  }
}
