package io.mesokube.examples.runner;

import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.offer.OfferOperation.TaskTemplate;
import io.mesokube.api.v1alpha1.task.CommandSpec;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import io.mesokube.api.v1alpha1.task.TaskState;
import io.mesokube.scheduler.Scheduler;
import io.mesokube.scheduler.SchedulerDriver;
import io.mesokube.scheduler.TaskStatusUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs N tasks of one size through offers: packs pending tasks into each offer, declines what it
 * cannot use, suppresses offers while nothing is pending, relaunches failed or lost tasks up to the
 * retry limit, and stops the driver (tearing the framework down) when all N finished or one task
 * failed too often.
 */
final class TaskRunnerScheduler implements Scheduler {

  private static final Logger LOG = LoggerFactory.getLogger(TaskRunnerScheduler.class);
  private static final double REFUSE_WHILE_PENDING = 1;
  private static final double REFUSE_WHEN_IDLE = 30;

  private final RunnerOptions options;
  private final TaskSlots slots;
  private boolean suppressed;
  private volatile int exitCode = 1;

  TaskRunnerScheduler(RunnerOptions options) {
    this.options = options;
    this.slots = new TaskSlots(options.name(), options.tasks(), options.maxRetries());
  }

  /** 0 once all tasks finished, else 1 (also while running). */
  int exitCode() {
    return exitCode;
  }

  @Override
  public void registered(SchedulerDriver driver, String frameworkId) {
    LOG.info("registered as {}; {} tasks to run", frameworkId, options.tasks());
  }

  @Override
  public void reregistered(SchedulerDriver driver) {
    LOG.info("connected again");
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (var offer : offers) {
      var name = offer.getMetadata().getName();
      var tasks = pack(offer.getSpec().resources());
      if (tasks.isEmpty()) {
        driver.declineOffer(name, slots.hasPending() ? REFUSE_WHILE_PENDING : REFUSE_WHEN_IDLE);
      } else {
        LOG.info(
            "launching {} on agent {}",
            tasks.stream().map(TaskTemplate::name).toList(),
            offer.getSpec().agent());
        driver.launchTasks(List.of(name), tasks, REFUSE_WHILE_PENDING);
      }
    }
    if (!slots.hasPending() && !suppressed) {
      suppressed = true;
      driver.suppressOffers(List.of());
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerName) {
    LOG.debug("offer {} rescinded", offerName);
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate update) {
    LOG.info(
        "task {} is {}{}",
        update.taskName(),
        update.state(),
        update.message() == null ? "" : " (" + update.message() + ")");
    boolean ended = update.isTerminal() || update.state() == TaskState.TASK_UNKNOWN;
    if (!ended) {
      return;
    }
    switch (slots.ended(update.taskName(), update.state() == TaskState.TASK_FINISHED)) {
      case FINISHED -> {
        LOG.info("{} of {} tasks finished", slots.finished(), options.tasks());
        if (slots.allFinished()) {
          exitCode = 0;
          driver.stop();
        }
      }
      case RELAUNCH -> {
        LOG.info("task {} will be relaunched", update.taskName());
        if (suppressed) {
          suppressed = false;
          driver.reviveOffers(List.of());
        }
      }
      case GAVE_UP -> {
        LOG.error(
            "task {} failed after {} retries; giving up", update.taskName(), options.maxRetries());
        driver.stop();
      }
      case IGNORED -> LOG.debug("update for {} ignored", update.taskName());
    }
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    LOG.error("scheduler error: {}", message);
  }

  @Override
  public void disconnected(SchedulerDriver driver) {
    LOG.warn("disconnected: the framework Lease could not be renewed");
  }

  private List<TaskTemplate> pack(Resources offered) {
    var tasks = new ArrayList<TaskTemplate>();
    for (int n = fit(offered, options.cpus(), options.mem()); n > 0 && slots.hasPending(); n--) {
      tasks.add(template(slots.launchNext()));
    }
    return tasks;
  }

  /**
   * How many tasks of {@code cpus} and {@code mem} an offer holds. Counted in thousandths, the unit
   * resources are kept in: subtracting doubles would find only two tasks of 0.2 in 0.6 cpus (0.6 -
   * 0.2 - 0.2 is 0.19999999999999996) and decline the third's share for a while. A size below a
   * thousandth counts as one.
   */
  static int fit(Resources offered, double cpus, double mem) {
    return (int)
        Math.min(
            thousandths(offered.cpus()) / Math.max(1, thousandths(cpus)),
            thousandths(offered.mem()) / Math.max(1, thousandths(mem)));
  }

  private static long thousandths(Double value) {
    return value == null ? 0 : Math.round(value * 1000);
  }

  private TaskTemplate template(String name) {
    var spec =
        new TaskSpec(
            null,
            options.role(),
            Resources.of(options.cpus(), options.mem()),
            new CommandSpec(options.command(), null, null, null),
            null,
            null,
            null,
            null,
            null,
            null);
    return new TaskTemplate(name, Map.of("mesokube.io/example", "runner"), spec);
  }
}
