package io.mesokube.scheduler;

import io.mesokube.api.v1alpha1.offer.Offer;
import java.util.List;

/**
 * The callbacks of a Mesos scheduler (Mesos' {@code Scheduler} in {@code scheduler.hpp}), invoked
 * by a {@link SchedulerDriver}.
 *
 * <p>All callbacks of one driver run on a single thread, one at a time, in the order the driver
 * observed the events, so an implementation needs no locks for state only its callbacks touch. A
 * callback may call the driver, including {@link SchedulerDriver#stop()}.
 */
public interface Scheduler {

  /**
   * The framework is registered: the operator gave it {@code frameworkId}. Called once per driver
   * instance, also when the driver adopted a framework that was registered before (failover).
   */
  void registered(SchedulerDriver driver, String frameworkId);

  /** The driver is connected again after {@link #disconnected}: its Lease is renewed again. */
  void reregistered(SchedulerDriver driver);

  /**
   * Offers for this framework. Each offer is delivered once per driver instance; answer it with
   * {@link SchedulerDriver#acceptOffers}, {@link SchedulerDriver#launchTasks} or {@link
   * SchedulerDriver#declineOffer}.
   */
  void resourceOffers(SchedulerDriver driver, List<Offer> offers);

  /** An offer delivered earlier and not answered by this driver is no longer valid. */
  void offerRescinded(SchedulerDriver driver, String offerName);

  /**
   * A task changed state. Updates of one task arrive in order, each state transition once per
   * driver instance; reconciliation answers are delivered whenever asked for.
   */
  void statusUpdate(SchedulerDriver driver, TaskStatusUpdate update);

  /**
   * An unrecoverable error, such as another scheduler instance taking the framework over or the
   * Framework being deleted. The driver is aborted before this is called.
   */
  void error(SchedulerDriver driver, String message);

  /**
   * The driver could not renew the framework's Lease for longer than its duration (for example, the
   * API server is unreachable). Tasks keep running; the driver keeps trying.
   */
  void disconnected(SchedulerDriver driver);
}
