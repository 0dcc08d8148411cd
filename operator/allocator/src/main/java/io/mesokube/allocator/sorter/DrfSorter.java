package io.mesokube.allocator.sorter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Dominant Resource Fairness over a client tree, as Mesos' {@code DRFSorter}: at every level the
 * child with the smallest weighted dominant share comes first; ties go to the smaller path.
 *
 * <p>Shares are kept incrementally: an allocation marks the client and its ancestors dirty, and
 * {@link #sort()} moves only those nodes to their new place (binary search plus one array shift)
 * instead of sorting every level again. Only a change of the total re-sorts everything.
 */
public final class DrfSorter<T> extends TreeSorter<T> {
  private final List<Node<T>> dirty = new ArrayList<>();
  private boolean totalChanged;

  /**
   * The weighted dominant share Mesos' {@code calculateShare} computes: the largest fraction of any
   * resource's total that the allocation holds, divided by the weight.
   */
  public static double calculateShare(long[] allocation, long[] total, double weight) {
    double share = 0;
    int n = Math.min(allocation.length, total.length);
    for (int i = 0; i < n; i++) {
      if (total[i] > 0 && allocation[i] > 0) {
        share = Math.max(share, allocation[i] / (double) total[i]);
      }
    }
    return share / weight;
  }

  /** The weighted dominant share of a client or path, for tests and diagnostics. */
  public double share(String path) {
    Node<T> n = leaves.containsKey(path) ? leaves.get(path) : internals.get(path);
    if (n == null) {
      throw new IllegalArgumentException("Sorter has no client '" + path + "'");
    }
    return calculateShare(n.allocation, total, n.weight);
  }

  @Override
  void changed(Node<T> node) {
    stale = true;
    if (node == root) {
      totalChanged = true;
    } else if (!node.dirty) {
      node.dirty = true;
      dirty.add(node);
    }
  }

  @Override
  void inserted(Node<T> parent, Node<T> node) {
    stale = true;
    node.share = calculateShare(node.allocation, total, node.weight);
    node.placedShare = node.share;
    int at = Collections.binarySearch(parent.children, node, Node::compare);
    parent.children.add(at < 0 ? -at - 1 : at, node);
  }

  @Override
  void reorder() {
    if (totalChanged) {
      totalChanged = false;
      for (Node<T> n : dirty) {
        n.dirty = false;
      }
      dirty.clear();
      resortAll(root);
      return;
    }
    for (int i = 0, size = dirty.size(); i < size; i++) {
      Node<T> node = dirty.get(i);
      node.dirty = false;
      List<Node<T>> siblings = node.parent.children;
      int at = Collections.binarySearch(siblings, node, Node::compare);
      if (at < 0 || siblings.get(at) != node) {
        continue; // Removed from the tree since it was marked.
      }
      node.share = calculateShare(node.allocation, total, node.weight);
      if (node.share == node.placedShare) {
        continue;
      }
      siblings.remove(at);
      node.placedShare = node.share;
      int to = Collections.binarySearch(siblings, node, Node::compare);
      siblings.add(to < 0 ? -to - 1 : to, node);
    }
    dirty.clear();
  }

  private void resortAll(Node<T> node) {
    for (Node<T> child : node.children) {
      child.share = calculateShare(child.allocation, total, child.weight);
      child.placedShare = child.share;
      if (!child.leaf) {
        resortAll(child);
      }
    }
    node.children.sort(Node::compare);
  }
}
