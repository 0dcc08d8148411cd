package io.mesokube.operator.allocation;

import io.mesokube.allocator.AllocatorOptions;
import io.mesokube.allocator.HierarchicalAllocator;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.operator.cluster.ClusterView;
import io.mesokube.operator.cluster.ClusterWriter;
import io.mesokube.operator.config.MesokubeConfig;
import io.mesokube.operator.leader.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' master allocation loop on the leader: one thread that brings the allocator in line with
 * the cluster, settles answered and expired offers, places Managed tasks, runs an allocation cycle
 * and publishes its offers.
 *
 * <p>It is level-triggered: each cycle compares the informer caches with what it last applied, so a
 * missed or repeated watch event cannot corrupt the allocator, and a new leader starts from an
 * empty allocator that the first cycle fills from the caches.
 */
@ApplicationScoped
public class AllocationLoop {
  private static final Logger LOG = LoggerFactory.getLogger(AllocationLoop.class);

  private final ClusterView view;
  private final ClusterWriter writer;
  private final MesokubeConfig config;
  private final Leadership leadership;
  private final MeterRegistry meters;
  private final OfferDiagnostics diagnostics;
  private final Clock clock = Clock.systemUTC();
  private final AtomicBoolean dirty = new AtomicBoolean(true);
  private ScheduledExecutorService thread;
  private AllocationState state;
  private Timer cycleTimer;

  AllocationLoop(
      ClusterView view,
      ClusterWriter writer,
      MesokubeConfig config,
      Leadership leadership,
      MeterRegistry meters,
      OfferDiagnostics diagnostics) {
    this.diagnostics = diagnostics;
    this.view = view;
    this.writer = writer;
    this.config = config;
    this.leadership = leadership;
    this.meters = meters;
  }

  void start(@Observes StartupEvent event) {
    cycleTimer =
        Timer.builder("mesokube_allocation_cycle")
            .description("Duration of an allocation cycle, from cache sync to published offers")
            .publishPercentileHistogram()
            .register(meters);
    view.onChange(() -> dirty.set(true));
    leadership.whenLeading().thenAccept(this::lead);
  }

  void stop(@Observes ShutdownEvent event) {
    if (thread != null) {
      thread.shutdownNow();
    }
  }

  private void lead(long epoch) {
    thread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "mesokube-allocator"));
    state = new AllocationState(allocator(), epoch, writer, config, clock, counters(), diagnostics);
    long interval = config.allocation().interval().toMillis();
    thread.scheduleWithFixedDelay(this::cycle, 0, interval, TimeUnit.MILLISECONDS);
    LOG.info("Allocation loop started: epoch {}, interval {} ms", epoch, interval);
  }

  private void cycle() {
    try {
      // Time-driven work (offer expiry, filter expiry, Lease lapses) runs every cycle; the
      // dirty flag only spares the quiet cycles the cost of a sync with no change.
      boolean changed = dirty.getAndSet(false);
      cycleTimer.record(() -> state.cycle(view, changed));
    } catch (RuntimeException e) {
      // Keep the loop alive: the next cycle starts from the caches again.
      LOG.error("Allocation cycle failed; retrying next cycle", e);
      dirty.set(true);
    }
  }

  private HierarchicalAllocator allocator() {
    List<ResourceQuantities> minimum =
        Arrays.stream(config.allocation().minAllocatableResources().split("\\|"))
            .map(ResourceQuantities::parse)
            .toList();
    AllocatorOptions options =
        AllocatorOptions.defaults()
            .withMinAllocatableResources(minimum)
            .withSeed(config.allocation().seed().orElseGet(System::nanoTime));
    return new HierarchicalAllocator(options);
  }

  private AllocationState.Counters counters() {
    return new AllocationState.Counters(
        counter("mesokube_offers_made", "Offers made to frameworks"),
        counter("mesokube_offers_accepted", "Offers accepted"),
        counter("mesokube_offers_declined", "Offers declined"),
        counter("mesokube_offers_rescinded", "Offers rescinded: expired, agent gone, stale epoch"),
        counter("mesokube_offers_invalid", "Accepts refused as invalid"),
        counter("mesokube_tasks_launched", "Tasks created from accepts or placed by the operator"));
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(meters);
  }
}
