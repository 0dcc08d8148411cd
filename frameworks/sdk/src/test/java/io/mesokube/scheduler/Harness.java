package io.mesokube.scheduler;

import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferOperation.TaskTemplate;
import io.mesokube.api.v1alpha1.task.CommandSpec;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import io.mesokube.e2e.controlplane.TestCluster;
import io.mesokube.scheduler.fake.FakeAgent;
import io.mesokube.scheduler.fake.FakeOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/** Starts drivers and fake operators for one test, and stops them all afterwards. */
final class Harness implements AutoCloseable {

  private final TestCluster cluster;
  private final List<SchedulerDriver> drivers = new ArrayList<>();
  private final List<FakeOperator> fakes = new ArrayList<>();

  Harness(TestCluster cluster) {
    this.cluster = cluster;
  }

  /** A fake operator with {@code agents} whose tasks all finish. */
  FakeOperator fake(FakeAgent... agents) {
    return track(
        FakeOperator.finishingAll(cluster.client(), cluster.namespace(), List.of(agents)).start());
  }

  /** Registers {@code fake} to be closed after the test. */
  FakeOperator track(FakeOperator fake) {
    fakes.add(fake);
    return fake;
  }

  /** Config for framework {@code name} with fast lease timings. */
  SchedulerConfig.Builder config(String name) {
    return SchedulerConfig.builder(cluster.client(), cluster.namespace(), name)
        .leaseDuration(Duration.ofSeconds(2))
        .leaseRenewInterval(Duration.ofMillis(300));
  }

  /** A started driver for {@code name}, configured further by {@code customize}. */
  SchedulerDriver start(
      String name, Scheduler scheduler, UnaryOperator<SchedulerConfig.Builder> customize) {
    var driver = new KubernetesSchedulerDriver(scheduler, customize.apply(config(name)).build());
    drivers.add(driver);
    driver.start();
    return driver;
  }

  /** A started driver for {@code name} with the default test configuration. */
  SchedulerDriver start(String name, Scheduler scheduler) {
    return start(name, scheduler, builder -> builder);
  }

  /** A shell task of 0.1 cpus and 32 MiB. */
  static TaskTemplate task(String name) {
    var spec =
        new TaskSpec(
            null,
            null,
            Resources.of(0.1, 32),
            new CommandSpec("true", null, null, null),
            null,
            null,
            null,
            null,
            null,
            null);
    return new TaskTemplate(name, null, spec);
  }

  /** Launches {@code tasks} on the first offer it sees and declines every later offer. */
  static BiConsumer<SchedulerDriver, List<Offer>> launchOnce(TaskTemplate... tasks) {
    var launched = new AtomicBoolean();
    return (driver, offers) -> {
      for (var offer : offers) {
        var name = offer.getMetadata().getName();
        if (launched.compareAndSet(false, true)) {
          driver.launchTasks(List.of(name), List.of(tasks), 0);
        } else {
          driver.declineOffer(name, 3600);
        }
      }
    };
  }

  @Override
  public void close() {
    drivers.forEach(SchedulerDriver::abort);
    fakes.forEach(FakeOperator::close);
  }
}
