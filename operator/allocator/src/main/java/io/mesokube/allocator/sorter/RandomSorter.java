package io.mesokube.allocator.sorter;

import java.util.List;
import java.util.Random;

/**
 * Mesos' {@code RandomSorter}: every {@link #sort()} draws a fresh weighted random order at each
 * level of the tree, so a client with weight 2 tends to come before one with weight 1 twice as
 * often. Allocations are tracked but do not influence the order.
 */
public final class RandomSorter<T> extends TreeSorter<T> {
  private final Random random;

  /** A sorter whose order is reproducible from the seed. */
  public RandomSorter(long seed) {
    this.random = new Random(seed);
  }

  @Override
  void changed(Node<T> node) {
    // The order ignores allocations; nothing to do until the next sort.
  }

  @Override
  void inserted(Node<T> parent, Node<T> node) {
    stale = true;
    parent.children.add(node);
  }

  @Override
  void reorder() {
    shuffle(root);
    stale = true;
  }

  private void shuffle(Node<T> node) {
    List<Node<T>> children = node.children;
    int n = children.size();
    // Efraimidis-Spirakis: key u^(1/w), largest first, is a weighted sample without replacement.
    for (Node<T> child : children) {
      child.placedShare = -Math.pow(random.nextDouble(), 1.0 / child.weight);
      if (!child.leaf) {
        shuffle(child);
      }
    }
    if (n > 1) {
      children.sort(Node::compare);
    }
  }
}
