package io.mesokube.allocator.sorter;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of a sorter's client tree: an internal node (a path prefix) or a leaf (a client).
 *
 * <p>Invariant: an internal node's {@code allocation} is the sum of its leaves', and {@code
 * activeLeaves} counts the active leaves below it (itself, for a leaf).
 */
final class Node<T> {
  final String path;
  final boolean leaf;
  Node<T> parent;
  final List<Node<T>> children = new ArrayList<>();
  T client;
  boolean active;
  int activeLeaves;
  long[] allocation;
  double weight = 1.0;
  double share;
  double placedShare;
  boolean dirty;

  Node(String path, boolean leaf, int kinds) {
    this.path = path;
    this.leaf = leaf;
    this.allocation = new long[kinds];
  }

  void ensureKinds(int kinds) {
    if (allocation.length < kinds) {
      allocation = java.util.Arrays.copyOf(allocation, kinds);
    }
  }

  /** Order used by the DRF sorter: placed share, then path. */
  static int compare(Node<?> a, Node<?> b) {
    int c = Double.compare(a.placedShare, b.placedShare);
    return c != 0 ? c : a.path.compareTo(b.path);
  }
}
