package io.mesokube.allocator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RangesPropertyTest {
  private static Ranges toRanges(List<@IntRange(min = 0, max = 200) Integer> points, BitSet bits) {
    Ranges r = Ranges.EMPTY;
    for (int i = 0; i + 1 < points.size(); i += 2) {
      int lo = Math.min(points.get(i), points.get(i + 1));
      int hi = Math.max(points.get(i), points.get(i + 1));
      r = r.add(Ranges.of(lo, hi));
      bits.set(lo, hi + 1);
    }
    return r;
  }

  @Property(tries = 300)
  void unionAndDifferenceMatchAPlainBitSet(
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 200) Integer> a,
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 200) Integer> b) {
    BitSet bitsA = new BitSet();
    BitSet bitsB = new BitSet();
    Ranges ra = toRanges(a, bitsA);
    Ranges rb = toRanges(b, bitsB);
    BitSet union = (BitSet) bitsA.clone();
    union.or(bitsB);
    assertThat(ra.add(rb).size()).isEqualTo(union.cardinality());
    BitSet inter = (BitSet) bitsA.clone();
    inter.and(bitsB);
    Ranges intersection = ra.intersect(rb);
    assertThat(intersection.size()).isEqualTo(inter.cardinality());
    assertThat(ra.contains(intersection)).isTrue();
    assertThat(rb.contains(intersection)).isTrue();
    long[] pairs = ra.toPairs();
    assertThat(Ranges.of(pairs)).isEqualTo(ra);
    boolean bInA = inter.equals(bitsB);
    assertThat(ra.contains(rb)).isEqualTo(bInA);
    if (bInA) {
      BitSet diff = (BitSet) bitsA.clone();
      diff.andNot(bitsB);
      Ranges d = ra.subtract(rb);
      assertThat(d.size()).isEqualTo(diff.cardinality());
      assertThat(d.add(rb)).isEqualTo(ra);
    }
  }
}
