package io.mesokube.allocator;

import io.mesokube.allocator.resources.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Drives a {@link HierarchicalAllocator} on a {@link ManualClock} as the operator and the example
 * task runner do: a full cycle every tick; each framework answers its offers after a delay by
 * packing as many fixed-size tasks as fit (as the runner's {@code pack}) and declining the rest
 * with a filter; every task gives its resources back when it ends. Measures the cpus each framework
 * holds in running tasks, and the same per second as {@code ./mesokube up} samples them.
 */
final class ShareSimulation {
  /** One framework: its role, when it registers, and how many tasks of which size it runs. */
  record Runner(String id, String role, Duration start, int tasks, String task) {}

  /** One per-second sample: cpus of running tasks by framework, and who has tasks waiting. */
  record Sample(double[] cpus, boolean[] waiting) {}

  private record Pending(Offer offer, long answerAt) {}

  private record Running(String frameworkId, String agentId, Resources used, long endsAt) {}

  private final ManualClock clock;
  private final HierarchicalAllocator allocator;
  private final Map<String, Runner> runners = new LinkedHashMap<>();
  private final Map<String, Integer> waiting = new HashMap<>();
  private final Map<String, Integer> unfinished = new HashMap<>();
  private final List<Runner> toStart = new ArrayList<>();
  private final List<Pending> offers = new ArrayList<>();
  private final List<Running> running = new ArrayList<>();
  private final Map<String, Double> cpuTicks = new HashMap<>();
  private final List<Sample> perSecond = new ArrayList<>();
  private final Random random = new Random(1);
  private long tick = 200;
  private long answerDelay;
  private long endJitter;
  private long taskDuration = 8000;
  private Duration refuse = Duration.ofSeconds(1);
  private long now;
  private int contendedTicks;

  ShareSimulation(ManualClock clock, HierarchicalAllocator allocator) {
    this.clock = clock;
    this.allocator = allocator;
  }

  ShareSimulation add(Runner runner) {
    runners.put(runner.id(), runner);
    waiting.put(runner.id(), runner.tasks());
    unfinished.put(runner.id(), runner.tasks());
    toStart.add(runner);
    return this;
  }

  /** Time between allocation cycles (the operator's default is 200 ms). */
  ShareSimulation tick(Duration value) {
    tick = value.toMillis();
    return this;
  }

  /** Time from an offer to its answer (Offer object, informer, answer, next cycle). */
  ShareSimulation answerDelay(Duration value) {
    answerDelay = value.toMillis();
    return this;
  }

  /** How long a task holds its resources (the sample's {@code sleep 8}). */
  ShareSimulation taskDuration(Duration value) {
    taskDuration = value.toMillis();
    return this;
  }

  /** Tasks of one offer end up to this much apart (agents report them one by one). */
  ShareSimulation endJitter(Duration value) {
    endJitter = value.toMillis();
    return this;
  }

  /** Filter on what an answer leaves unused (the runner's 1 s while it has tasks waiting). */
  ShareSimulation refuse(Duration value) {
    refuse = value;
    return this;
  }

  /** Runs for the given simulated time, or until every task finished. */
  ShareSimulation run(Duration duration) {
    long end = now + duration.toMillis();
    while (now < end && unfinished.values().stream().anyMatch(n -> n > 0)) {
      startRunners();
      endTasks();
      answerOffers();
      for (Offer offer : allocator.allocate().offers()) {
        offers.add(new Pending(offer, now + answerDelay));
      }
      answerOffers();
      sample();
      clock.advance(Duration.ofMillis(tick));
      now += tick;
    }
    return this;
  }

  /** Mean cpus the framework held in running tasks over the ticks where all had tasks waiting. */
  double meanCpus(String frameworkId) {
    return contendedTicks == 0 ? 0 : cpuTicks.getOrDefault(frameworkId, 0.0) / contendedTicks;
  }

  int contendedTicks() {
    return contendedTicks;
  }

  /**
   * One sample per second while no framework finished all its tasks yet (while {@code ./mesokube
   * up} samples), one column per framework in the order they were added.
   */
  List<Sample> perSecond() {
    return perSecond;
  }

  private void startRunners() {
    toStart.removeIf(
        runner -> {
          if (runner.start().toMillis() > now) {
            return false;
          }
          allocator.addFramework(FrameworkInfo.of(runner.id(), runner.role()));
          return true;
        });
  }

  private void endTasks() {
    running.removeIf(
        task -> {
          if (task.endsAt() > now) {
            return false;
          }
          allocator.recoverResources(task.frameworkId(), task.agentId(), task.used(), null);
          unfinished.merge(task.frameworkId(), -1, Integer::sum);
          return true;
        });
  }

  private void answerOffers() {
    List<Pending> due = new ArrayList<>();
    offers.removeIf(
        pending -> {
          if (pending.answerAt() > now) {
            return false;
          }
          due.add(pending);
          return true;
        });
    due.forEach(pending -> answer(pending.offer()));
  }

  /** Packs as many tasks as fit, as the runner's {@code pack} does, and declines the rest. */
  private void answer(Offer offer) {
    Runner runner = runners.get(offer.frameworkId());
    Resources one = Resources.parse(runner.task()).allocatedTo(offer.role());
    Resources left = offer.resources();
    while (waiting.get(runner.id()) > 0 && left.contains(one)) {
      left = left.minus(one);
      waiting.merge(runner.id(), -1, Integer::sum);
      long jitter = endJitter == 0 ? 0 : (long) (random.nextDouble() * endJitter);
      long ends = now + taskDuration + jitter;
      running.add(new Running(runner.id(), offer.agentId(), one, ends));
    }
    if (!left.isEmpty()) {
      allocator.recoverResources(runner.id(), offer.agentId(), left, refuse);
    }
  }

  private void sample() {
    double[] cpus = new double[runners.size()];
    boolean[] wanting = new boolean[runners.size()];
    List<String> ids = new ArrayList<>(runners.keySet());
    for (Running task : running) {
      cpus[ids.indexOf(task.frameworkId())] += task.used().scalar("cpus");
    }
    for (int i = 0; i < wanting.length; i++) {
      wanting[i] = waiting.get(ids.get(i)) > 0;
    }
    if (now % 1000 == 0 && unfinished.values().stream().allMatch(n -> n > 0)) {
      perSecond.add(new Sample(cpus, wanting));
    }
    if (waiting.values().stream().allMatch(n -> n > 0)) {
      contendedTicks++;
      for (int i = 0; i < cpus.length; i++) {
        cpuTicks.merge(ids.get(i), cpus[i], Double::sum);
      }
    }
  }
}
