package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mesokube.allocator.ShareSimulation.Runner;
import io.mesokube.allocator.ShareSimulation.Sample;
import io.mesokube.allocator.resources.ResourceLimits;
import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.role.Quota;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The sample of {@code ./mesokube up}, allocator only: three agents of 1 cpu and 1 GiB, RolePolicy
 * eng (weight 3, guaranteed 1 cpu and 512 MiB) and batch (weight 1, at most 2 cpus), runners in
 * eng/frontend and batch packing 0.2-cpu tasks of 8 s into every offer, answered 400 ms after it is
 * made, the rest declined for 1 s.
 */
class WeightedSharesTest {
  private static final String TASK = "cpus:0.2;mem:32";
  private static final int MANY = 100_000;

  private final ManualClock clock = new ManualClock();
  private final HierarchicalAllocator allocator =
      new HierarchicalAllocator(AllocatorOptions.defaults().withClock(clock).withSeed(1));

  private ShareSimulation sample(String weightedRole) {
    for (int i = 0; i < 3; i++) {
      agent(allocator, "a" + i, "cpus:1;mem:1024");
    }
    allocator.updateWeights(Map.of(weightedRole, 3.0));
    allocator.updateQuota(
        "eng", new Quota(ResourceQuantities.parse("cpus:1;mem:512"), ResourceLimits.NONE));
    allocator.updateQuota(
        "batch", new Quota(ResourceQuantities.EMPTY, ResourceLimits.parse("cpus:2")));
    return new ShareSimulation(clock, allocator).answerDelay(Duration.ofMillis(400));
  }

  @Test
  void wholeAgentsSplitTwoToOneWhileBothWantMore() {
    ShareSimulation sim =
        sample("eng")
            .add(new Runner("fe", "eng/frontend", Duration.ZERO, MANY, TASK))
            .add(new Runner("bt", "batch", Duration.ZERO, MANY, TASK))
            .run(Duration.ofMinutes(5));
    // An agent is offered whole and its five tasks end together, so the split moves by 1 cpu:
    // 2:1 (weighted shares 2/9 and 1/3) is as close to 3:1 as three agents allow.
    assertThat(sim.meanCpus("fe") / sim.meanCpus("bt")).isCloseTo(2.0, within(0.05));
    assertThat(sim.meanCpus("fe")).isGreaterThan(1.85);
  }

  @Test
  void tasksThatEndApartLetTheSplitApproachTheWeights() {
    ShareSimulation sim =
        sample("eng")
            .endJitter(Duration.ofSeconds(1))
            .add(new Runner("fe", "eng/frontend", Duration.ZERO, MANY, TASK))
            .add(new Runner("bt", "batch", Duration.ZERO, MANY, TASK))
            .run(Duration.ofMinutes(5));
    // Freed 0.2-cpu pieces go one by one to the lower weighted share: eng about 2.2, batch 0.7.
    assertThat(sim.meanCpus("fe") / sim.meanCpus("bt")).isGreaterThan(2.8);
  }

  @Test
  void aWeightOnTheLeafCountsOnlyAmongItsSiblings() {
    ShareSimulation sim =
        sample("eng/frontend")
            .add(new Runner("fe", "eng/frontend", Duration.ZERO, MANY, TASK))
            .add(new Runner("bt", "batch", Duration.ZERO, MANY, TASK))
            .run(Duration.ofMinutes(5));
    // eng (weight 1) and batch (weight 1) share evenly, as the earlier sample policy measured.
    assertThat(sim.meanCpus("fe") / sim.meanCpus("bt")).isCloseTo(1.0, within(0.1));
  }

  @Test
  void theSampleAsRunAveragesAHeadStartAndATailToEvenShares() {
    ShareSimulation sim =
        sample("eng")
            .add(new Runner("fe", "eng/frontend", Duration.ZERO, 30, TASK))
            .add(new Runner("bt", "batch", Duration.ofSeconds(1), 30, TASK))
            .run(Duration.ofMinutes(5));
    // runner-frontend registers first and fills the cluster (15 tasks), gets 2 of 3 agents in the
    // second wave, and then has 5 tasks left: in the third wave batch holds 2 cpus while
    // runner-frontend has nothing waiting. `up` averages every second in which both run and the
    // cluster is full, so the second and third waves cancel out.
    Predicate<Sample> full = s -> s.cpus()[0] > 0 && s.cpus()[1] > 0 && total(s) >= 2.7;
    assertThat(ratio(sim, full)).isCloseTo(1.0, within(0.05));
    assertThat(ratio(sim, full.and(s -> s.waiting()[0] && s.waiting()[1])))
        .isCloseTo(2.0, within(0.05));
  }

  @Test
  void countingOnlySecondsWithTasksWaitingOnBothSidesShowsTheWeights() {
    ShareSimulation sim =
        sample("eng")
            .endJitter(Duration.ofSeconds(4))
            .taskDuration(Duration.ofSeconds(6))
            .add(new Runner("fe", "eng/frontend", Duration.ZERO, 60, TASK))
            .add(new Runner("bt", "batch", Duration.ofSeconds(1), 60, TASK))
            .run(Duration.ofMinutes(5));
    // A sample that can show the weights: 60 tasks each, of 6 to 10 s so that agents free up
    // piece by piece, averaged only while both runners still have tasks to launch.
    Predicate<Sample> full = s -> s.cpus()[0] > 0 && s.cpus()[1] > 0 && total(s) >= 2.7;
    Predicate<Sample> waiting = s -> s.waiting()[0] && s.waiting()[1];
    assertThat(sim.perSecond().stream().filter(full.and(waiting)).count()).isGreaterThan(20);
    assertThat(ratio(sim, full.and(waiting))).isGreaterThan(2.8);
  }

  private static double total(Sample s) {
    return s.cpus()[0] + s.cpus()[1];
  }

  private static double ratio(ShareSimulation sim, Predicate<Sample> counted) {
    double first = 0;
    double second = 0;
    for (Sample s : sim.perSecond()) {
      if (counted.test(s)) {
        first += s.cpus()[0];
        second += s.cpus()[1];
      }
    }
    return first / second;
  }
}
