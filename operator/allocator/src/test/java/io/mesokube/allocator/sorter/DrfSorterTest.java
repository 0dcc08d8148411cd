package io.mesokube.allocator.sorter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.mesokube.allocator.resources.ResourceQuantities;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrfSorterTest {
  private static ResourceQuantities q(String text) {
    return ResourceQuantities.parse(text);
  }

  private static DrfSorter<String> sorter(String... clients) {
    DrfSorter<String> s = new DrfSorter<>();
    s.addTotal(q("cpus:100;mem:1000"));
    for (String c : clients) {
      s.add(c, c);
    }
    return s;
  }

  @Test
  void smallestDominantShareComesFirst() {
    DrfSorter<String> s = sorter("a", "b", "c");
    s.allocated("a", q("cpus:10"));
    s.allocated("b", q("mem:50"));
    assertThat(s.sort()).containsExactly("c", "b", "a");
    assertThat(s.share("a")).isEqualTo(0.1);
    assertThat(s.share("b")).isEqualTo(0.05);
    s.unallocated("a", q("cpus:10"));
    assertThat(s.sort()).containsExactly("a", "c", "b");
  }

  @Test
  void dominantShareIsTheLargestFraction() {
    assertThat(
            DrfSorter.calculateShare(
                new long[] {10_000, 900_000}, new long[] {100_000, 1_000_000}, 1))
        .isEqualTo(0.9);
    assertThat(DrfSorter.calculateShare(new long[] {10_000, 0}, new long[] {100_000, 0}, 2))
        .isEqualTo(0.05);
  }

  @Test
  void weightsDivideTheShare() {
    DrfSorter<String> s = sorter("a", "b");
    s.updateWeight("a", 3.0);
    s.allocated("a", q("cpus:20"));
    s.allocated("b", q("cpus:10"));
    assertThat(s.sort()).containsExactly("a", "b");
    assertThatIllegalArgumentException().isThrownBy(() -> s.updateWeight("a", 0));
    assertThatIllegalArgumentException().isThrownBy(() -> s.updateWeight("a", Double.NaN));
  }

  @Test
  void hierarchySortsSubtreesByTheirTotalShare() {
    DrfSorter<String> s = sorter("eng/frontend", "eng/backend", "ops");
    s.allocated("eng/frontend", q("cpus:10"));
    s.allocated("ops", q("cpus:5"));
    // eng (10%) is behind ops (5%), so ops first; inside eng, backend (0%) before frontend.
    assertThat(s.sort()).containsExactly("ops", "eng/backend", "eng/frontend");
    assertThat(s.allocation("eng")).isEqualTo(q("cpus:10"));
  }

  @Test
  void aPathCanBeBothAClientAndAParent() {
    DrfSorter<String> s = sorter("eng", "eng/frontend");
    s.allocated("eng", q("cpus:30"));
    assertThat(s.sort()).containsExactly("eng/frontend", "eng");
    s.remove("eng/frontend");
    assertThat(s.sort()).containsExactly("eng");
    s.add("eng/x/y", "eng/x/y");
    assertThat(s.sort()).containsExactly("eng/x/y", "eng");
    assertThat(s.allocation("eng")).isEqualTo(q("cpus:30"));
  }

  @Test
  void inactiveClientsAreLeftOutButKeepTheirAllocation() {
    DrfSorter<String> s = sorter("a", "b");
    s.allocated("a", q("cpus:1"));
    s.deactivate("a");
    assertThat(s.sort()).containsExactly("b");
    s.activate("a");
    assertThat(s.sort()).containsExactly("b", "a");
    assertThat(s.count()).isEqualTo(2);
  }

  @Test
  void rejectsUnknownDuplicateAndOverReturnedClients() {
    DrfSorter<String> s = sorter("a");
    assertThatIllegalArgumentException().isThrownBy(() -> s.add("a", "a"));
    assertThatIllegalArgumentException().isThrownBy(() -> s.allocated("zz", q("cpus:1")));
    assertThatIllegalArgumentException().isThrownBy(() -> s.unallocated("a", q("cpus:1")));
    assertThatIllegalArgumentException().isThrownBy(() -> s.removeTotal(q("cpus:1000")));
  }

  @Test
  void incrementalOrderEqualsAFullSortAfterManyChanges() {
    DrfSorter<String> s = new DrfSorter<>();
    s.addTotal(q("cpus:1000;mem:10000"));
    java.util.Random random = new java.util.Random(7);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String name = (i % 3 == 0 ? "g" + (i % 4) + "/" : "") + "c" + i;
      names.add(name);
      s.add(name, name);
    }
    for (int step = 0; step < 2000; step++) {
      String name = names.get(random.nextInt(names.size()));
      s.allocated(name, q("cpus:" + random.nextInt(3) + ";mem:" + random.nextInt(20)));
      if (step % 97 == 0) {
        s.addTotal(q("cpus:1"));
      }
      List<String> order = new ArrayList<>(s.sort());
      assertThat(order).hasSize(names.size());
      if (step % 50 == 0) {
        assertThat(isHierarchicallySorted(s, order)).isTrue();
      }
    }
  }

  private static boolean isHierarchicallySorted(DrfSorter<String> s, List<String> order) {
    // Among siblings (same parent), shares must not decrease along the order.
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        String a = order.get(i);
        String b = order.get(j);
        String pa = a.contains("/") ? a.substring(0, a.indexOf('/')) : null;
        String pb = b.contains("/") ? b.substring(0, b.indexOf('/')) : null;
        if (java.util.Objects.equals(pa, pb) && s.share(a) > s.share(b) + 1e-12) {
          return false;
        }
        String ka = pa == null ? a : pa;
        String kb = pb == null ? b : pb;
        if (!ka.equals(kb) && s.share(ka) > s.share(kb) + 1e-12) {
          return false;
        }
      }
    }
    return true;
  }
}
