package io.mesokube.operator.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.AllocationSummary;
import io.mesokube.allocator.resources.ResourceQuantities;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one wording of resources held back as quota headroom. */
class HeadroomHeldTest {

  @Test
  void namesEachRoleWithWhatItLacksInRoleOrder() {
    assertThat(
            HeadroomHeld.phrase(
                summary(
                    Map.of(
                        "ops", ResourceQuantities.parse("mem:512"),
                        "eng", ResourceQuantities.parse("cpus:1.5;disk:100;gpus:1")))))
        .isEqualTo(
            "held back as headroom for the unmet quota guarantees of eng (cpus 1.5, disk 100.0"
                + " MiB, gpus 1 unmet) and ops (mem 512.0 MiB unmet)");
  }

  @Test
  void countsTheRolesBeyondTheFirstThree() {
    Map<String, ResourceQuantities> unmet =
        Map.of(
            "a", ResourceQuantities.parse("cpus:1"),
            "b", ResourceQuantities.parse("cpus:1"),
            "c", ResourceQuantities.parse("cpus:1"),
            "d", ResourceQuantities.parse("cpus:1"),
            "e", ResourceQuantities.parse("cpus:1"));
    assertThat(HeadroomHeld.phrase(summary(unmet)))
        .isEqualTo(
            "held back as headroom for the unmet quota guarantees of a (cpus 1.0 unmet), b (cpus"
                + " 1.0 unmet), c (cpus 1.0 unmet) and 2 more roles");
  }

  @Test
  void withEveryGuaranteeMetByTheEndOfTheCycleNoRoleIsNamed() {
    assertThat(HeadroomHeld.phrase(summary(Map.of())))
        .isEqualTo("held back as headroom for quota guarantees unmet at the time");
  }

  private static AllocationSummary summary(Map<String, ResourceQuantities> unmet) {
    return new AllocationSummary(2, 0, 0, Map.of(), unmet);
  }
}
