package io.mesokube.scheduler;

import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.task.TaskState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A {@link Scheduler} that records every callback for assertions, and answers offers with a
 * replaceable handler (by default it keeps them).
 */
public final class RecordingScheduler implements Scheduler {

  /** Framework ids from {@link #registered}. */
  public final List<String> registrations = new CopyOnWriteArrayList<>();

  /** Every offer delivered, in order. */
  public final List<Offer> offers = new CopyOnWriteArrayList<>();

  /** Names of rescinded offers. */
  public final List<String> rescinded = new CopyOnWriteArrayList<>();

  /** Every status update, in order. */
  public final List<TaskStatusUpdate> updates = new CopyOnWriteArrayList<>();

  /** Error messages. */
  public final List<String> errors = new CopyOnWriteArrayList<>();

  /** Names of the threads callbacks ran on. */
  public final List<String> threads = new CopyOnWriteArrayList<>();

  private volatile BiConsumer<SchedulerDriver, List<Offer>> onOffers = (driver, offers) -> {};

  /** Answers offers with {@code handler} from now on. */
  public RecordingScheduler onOffers(BiConsumer<SchedulerDriver, List<Offer>> handler) {
    this.onOffers = handler;
    return this;
  }

  /** The states delivered for {@code taskName}, in order. */
  public List<TaskState> states(String taskName) {
    return updates.stream()
        .filter(update -> update.taskName().equals(taskName))
        .map(TaskStatusUpdate::state)
        .toList();
  }

  @Override
  public void registered(SchedulerDriver driver, String frameworkId) {
    threads.add(Thread.currentThread().getName());
    registrations.add(frameworkId);
  }

  @Override
  public void reregistered(SchedulerDriver driver) {
    threads.add(Thread.currentThread().getName());
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    threads.add(Thread.currentThread().getName());
    this.offers.addAll(offers);
    onOffers.accept(driver, offers);
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerName) {
    threads.add(Thread.currentThread().getName());
    rescinded.add(offerName);
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate update) {
    threads.add(Thread.currentThread().getName());
    updates.add(update);
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    threads.add(Thread.currentThread().getName());
    errors.add(message);
  }

  @Override
  public void disconnected(SchedulerDriver driver) {
    threads.add(Thread.currentThread().getName());
  }
}
