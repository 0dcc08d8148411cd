package io.mesokube.allocator;

import static io.mesokube.allocator.Fixtures.agent;
import static io.mesokube.allocator.Fixtures.allocator;
import static io.mesokube.allocator.Fixtures.framework;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.mesokube.allocator.resources.Resources;
import org.junit.jupiter.api.Test;

class AddAllocationTest {
  private final HierarchicalAllocator allocator = allocator(new ManualClock());

  @Test
  void allocatesAvailableResourcesOutsideACycle() {
    agent(allocator, "a1", "cpus:4;mem:1024;ports:[1-10]");
    framework(allocator, "f", "r");
    Resources held = Resources.parse("cpus:1;mem:256;ports:[3-4]").allocatedTo("r");
    allocator.addAllocation("f", "a1", held);
    assertThat(allocator.allocation("f").get("a1")).isEqualTo(held);
    assertThat(allocator.available("a1"))
        .isEqualTo(Resources.parse("cpus:3;mem:768;ports:[1-2,5-10]"));
    assertThat(allocator.allocate().offers())
        .singleElement()
        .satisfies(o -> assertThat(o.resources().scalar("cpus")).isEqualTo(3.0));
  }

  @Test
  void rejectsWhatIsNotAvailableOrNotItsRoleAndChangesNothing() {
    agent(allocator, "a1", "cpus:2;mem:256");
    framework(allocator, "f", "r");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> allocator.addAllocation("f", "a1", Resources.parse("cpus:3").allocatedTo("r")))
        .withMessageContaining("does not have");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> allocator.addAllocation("f", "a1", Resources.parse("cpus:1")))
        .withMessageContaining("no allocation role");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> allocator.addAllocation("f", "a1", Resources.parse("cpus:1").allocatedTo("x")))
        .withMessageContaining("not subscribed");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> allocator.addAllocation("g", "a1", Resources.parse("cpus:1").allocatedTo("r")))
        .withMessageContaining("Unknown framework");
    assertThat(allocator.allocation("f")).isEmpty();
    assertThat(allocator.available("a1")).isEqualTo(Resources.parse("cpus:2;mem:256"));
  }
}
