package io.mesokube.allocator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  @Test
  void fractionalCpusAddAndSubtractExactly() {
    Resources r = Resources.EMPTY;
    for (int i = 0; i < 10; i++) {
      r = r.plus(Resources.of(Resource.scalar("cpus", 0.1)));
    }
    assertThat(r.scalarMillis("cpus")).isEqualTo(1000);
    for (int i = 0; i < 10; i++) {
      r = r.minus(Resources.of(Resource.scalar("cpus", 0.1)));
    }
    assertThat(r.isEmpty()).isTrue();
  }

  @Test
  void scalarsRoundToThreeDecimalsAsMesosDoes() {
    assertThat(Resource.scalar("cpus", 0.0004).millis()).isZero();
    assertThat(Resource.scalar("cpus", 0.0005).millis()).isEqualTo(1);
    assertThat(Resource.scalar("cpus", 1.2345).toString()).isEqualTo("cpus(*):1.235");
  }

  @Test
  void rejectsNaNInfiniteAndNegativeValues() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Resource.scalar("cpus", Double.NaN))
        .withMessageContaining("finite");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Resource.scalar("mem", Double.POSITIVE_INFINITY))
        .withMessageContaining("finite");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Resource.scalar("disk", -1))
        .withMessageContaining("negative");
    assertThatIllegalArgumentException().isThrownBy(() -> Resource.scalar("bad name", 1));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ResourceQuantities.of(Map.of("cpus", -0.5)));
  }

  @Test
  void subtractingMoreThanThereIsIsRefusedNotNegative() {
    Resources two = Resources.parse("cpus:2;mem:512");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> two.minus(Resources.parse("cpus:2.001")))
        .withMessageContaining("Cannot subtract");
    assertThatIllegalArgumentException().isThrownBy(() -> two.minus(Resources.parse("gpus:1")));
    assertThat(two.minus(Resources.parse("cpus:0.5")).scalar("cpus")).isEqualTo(1.5);
  }

  @Test
  void parsesMesosTextForm() {
    Resources r = Resources.parse("cpus:2;mem:1024;ports:[31000-31005,31010-31010];zones:{a,b}");
    assertThat(r.scalar("cpus")).isEqualTo(2.0);
    assertThat(r.asList()).hasSize(4);
    Resource ports = r.asList().get(2);
    assertThat(ports.ranges()).isEqualTo(Ranges.of(31000, 31005, 31010, 31010));
    assertThat(r.asList().get(3).items()).containsExactly("a", "b");
    assertThatIllegalArgumentException().isThrownBy(() -> Resources.parse("cpus"));
    assertThatIllegalArgumentException().isThrownBy(() -> Resources.parse("cpus:x"));
    assertThatIllegalArgumentException().isThrownBy(() -> Resources.parse("ports:[5-1]"));
  }

  @Test
  void rangesAndSetsMergeAndSplit() {
    Resources a = Resources.parse("ports:[1-10];zones:{a}");
    Resources b = Resources.parse("ports:[11-20];zones:{b}");
    Resources sum = a.plus(b);
    assertThat(sum).isEqualTo(Resources.parse("ports:[1-20];zones:{a,b}"));
    assertThat(sum.minus(Resources.parse("ports:[5-6];zones:{a}")))
        .isEqualTo(Resources.parse("ports:[1-4,7-20];zones:{b}"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> a.minus(Resources.parse("ports:[10-11]")));
  }

  @Test
  void reservationsAreSeparateEntriesAndGoToTheirRoleAndItsChildren() {
    Resource reserved = Resource.scalar("cpus", 4).reserved(Reservation.ofStatic("eng"));
    Resource dynamic = Resource.scalar("cpus", 1).reserved(Reservation.ofDynamic("eng"));
    Resources r = Resources.of(Resource.scalar("cpus", 2), reserved, dynamic);
    assertThat(r.asList()).hasSize(3);
    assertThat(r.scalar("cpus")).isEqualTo(7.0);
    assertThat(r.reservedFor("eng").scalar("cpus")).isEqualTo(5.0);
    assertThat(r.allocatableTo("eng/frontend").scalar("cpus")).isEqualTo(7.0);
    assertThat(r.allocatableTo("ops").scalar("cpus")).isEqualTo(2.0);
    assertThat(r.allocatableTo("english").scalar("cpus")).isEqualTo(2.0);
    assertThatIllegalArgumentException().isThrownBy(() -> Reservation.ofStatic("*"));
    assertThatIllegalArgumentException().isThrownBy(() -> Reservation.ofStatic("a/../b"));
  }

  @Test
  void allocationRoleIsPartOfTheKeyAndCanBeRemoved() {
    Resources offered = Resources.parse("cpus:1;mem:64").allocatedTo("eng");
    assertThat(offered.asList()).allMatch(r -> "eng".equals(r.allocationRole()));
    assertThat(Resources.parse("cpus:1;mem:64").contains(offered)).isFalse();
    assertThat(offered.unallocated()).isEqualTo(Resources.parse("cpus:1;mem:64"));
  }

  @Test
  void shrinkCutsOnlyUnreservedScalars() {
    Resources r =
        Resources.of(
            Resource.scalar("cpus", 8),
            Resource.scalar("cpus", 2).reserved(Reservation.ofStatic("eng")),
            Resource.scalar("mem", 100),
            Resource.ranges("ports", Ranges.of(1, 5)));
    long[] caps = new long[ScalarNames.count()];
    java.util.Arrays.fill(caps, Long.MAX_VALUE);
    caps[ScalarNames.CPUS] = 1500;
    caps[ScalarNames.MEM] = 0;
    Resources shrunk = r.shrinkUnreservedScalars(caps);
    assertThat(shrunk.unreserved().scalar("cpus")).isEqualTo(1.5);
    assertThat(shrunk.reservedFor("eng").scalar("cpus")).isEqualTo(2.0);
    assertThat(shrunk.scalar("mem")).isZero();
    assertThat(shrunk.asList()).anyMatch(x -> x.name().equals("ports"));
  }

  @Test
  void quantitiesAndLimits() {
    ResourceQuantities q = ResourceQuantities.parse("cpus:1.5;mem:100");
    assertThat(q.get("cpus")).isEqualTo(1.5);
    assertThat(q.plus(q).get("mem")).isEqualTo(200);
    assertThat(q.minusFloorZero(ResourceQuantities.parse("cpus:3")).get("cpus")).isZero();
    assertThat(q.contains(ResourceQuantities.parse("cpus:1"))).isTrue();
    ResourceLimits limits = ResourceLimits.parse("cpus:2");
    assertThat(limits.allows(q)).isTrue();
    assertThat(limits.allows(ResourceQuantities.parse("cpus:2.001;mem:1000000"))).isFalse();
    assertThat(limits.millis(ScalarNames.MEM)).isEqualTo(ResourceLimits.UNLIMITED);
    assertThat(ResourceLimits.parse("mem:0").allows(ResourceQuantities.parse("mem:1"))).isFalse();
  }

  @Test
  void setsRejectBlankItems() {
    assertThatIllegalArgumentException().isThrownBy(() -> Resource.set("zones", Set.of(" ")));
  }
}
