package io.mesokube.scheduler;

import io.mesokube.api.v1alpha1.offer.OfferOperation;
import io.mesokube.api.v1alpha1.offer.OfferOperation.TaskTemplate;
import java.util.Collection;
import java.util.List;

/**
 * What a scheduler can ask of Mesokube (Mesos' {@code SchedulerDriver}). Methods may be called from
 * any thread, including from {@link Scheduler} callbacks. Calls other than start, stop, abort, join
 * and run need a running driver and throw {@link IllegalStateException} otherwise.
 */
public interface SchedulerDriver {

  /** Registers (creates or adopts the Framework), takes its Lease and starts delivering events. */
  DriverStatus start();

  /** Stops without failover: the framework is torn down and its tasks are killed. */
  default DriverStatus stop() {
    return stop(false);
  }

  /**
   * Stops delivering events and renewing the Lease. With {@code failover} the framework stays and
   * its tasks keep running for its failover timeout, so another scheduler instance can take over;
   * without it the Framework is deleted (Mesos TEARDOWN).
   */
  DriverStatus stop(boolean failover);

  /** Stops delivering events and renewing the Lease without tearing the framework down. */
  DriverStatus abort();

  /** Blocks until the driver is stopped or aborted; returns that status. */
  DriverStatus join();

  /** {@link #start()} then {@link #join()}. */
  default DriverStatus run() {
    DriverStatus status = start();
    return status == DriverStatus.DRIVER_RUNNING ? join() : status;
  }

  /** The driver's current status. */
  DriverStatus status();

  /**
   * Accepts offers with operations applied in order (Mesos ACCEPT): one answer per offer. The
   * operations go into the first offer; further offers are accepted with no operations, which
   * returns their resources. An offer that no longer exists makes every task it would launch end
   * {@code TASK_DROPPED} with {@link TaskStatusUpdate#REASON_INVALID_OFFERS}.
   */
  void acceptOffers(
      Collection<String> offerNames, List<OfferOperation> operations, double refuseSeconds);

  /** Accepts offers with one LAUNCH of {@code tasks} (Mesos' launchTasks). */
  void launchTasks(Collection<String> offerNames, List<TaskTemplate> tasks, double refuseSeconds);

  /** Declines an offer; its resources are not offered again for {@code refuseSeconds}. */
  void declineOffer(String offerName, double refuseSeconds);

  /**
   * Kills a task with its kill policy (sets {@code spec.kill}). An unknown task gets a {@code
   * TASK_UNKNOWN} update.
   */
  void killTask(String taskName);

  /** Stops offers for {@code roles}; an empty collection means all the framework's roles. */
  void suppressOffers(Collection<String> roles);

  /** Resumes offers for {@code roles}; an empty collection means all the framework's roles. */
  void reviveOffers(Collection<String> roles);

  /**
   * Asks for the latest state of the named tasks (explicit reconciliation; a task that does not
   * exist is reported {@code TASK_UNKNOWN}), or of all the framework's tasks when {@code taskNames}
   * is empty (implicit). Answers arrive as {@link Scheduler#statusUpdate} calls with {@link
   * TaskStatusUpdate.Source#RECONCILIATION}.
   */
  void reconcileTasks(Collection<String> taskNames);

  /**
   * Does nothing: a status is durable once written to the Task's status subresource, so Mesokube
   * needs no acknowledgement. Kept so that Mesos schedulers port unchanged.
   */
  void acknowledgeStatusUpdate(TaskStatusUpdate update);
}
