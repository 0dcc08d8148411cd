package io.mesokube.allocator.sorter;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.allocator.resources.ResourceQuantities;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomSorterTest {
  private static RandomSorter<String> sorter(long seed) {
    RandomSorter<String> s = new RandomSorter<>(seed);
    s.addTotal(ResourceQuantities.parse("cpus:10"));
    for (String c : List.of("a", "b", "c", "d/x", "d/y")) {
      s.add(c, c);
    }
    return s;
  }

  @Test
  void sameSeedSameOrders() {
    RandomSorter<String> one = sorter(42);
    RandomSorter<String> two = sorter(42);
    for (int i = 0; i < 20; i++) {
      assertThat(new ArrayList<>(one.sort())).isEqualTo(new ArrayList<>(two.sort()));
    }
  }

  @Test
  void ordersVaryAndKeepSubtreesTogether() {
    RandomSorter<String> s = sorter(1);
    java.util.Set<List<String>> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      List<String> order = new ArrayList<>(s.sort());
      assertThat(order).containsExactlyInAnyOrder("a", "b", "c", "d/x", "d/y");
      assertThat(Math.abs(order.indexOf("d/x") - order.indexOf("d/y"))).isEqualTo(1);
      seen.add(order);
    }
    assertThat(seen.size()).isGreaterThan(10);
  }

  @Test
  void heavierClientsComeFirstMoreOften() {
    RandomSorter<String> s = new RandomSorter<>(3);
    s.add("heavy", "heavy");
    s.add("light", "light");
    s.updateWeight("heavy", 3.0);
    int heavyFirst = 0;
    for (int i = 0; i < 4000; i++) {
      if (s.sort().get(0).equals("heavy")) {
        heavyFirst++;
      }
    }
    // Weighted sampling puts the weight-3 client first with probability 3/4.
    assertThat(heavyFirst / 4000.0).isBetween(0.70, 0.80);
  }
}
