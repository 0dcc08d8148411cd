package io.mesokube.allocator.sorter;

import io.mesokube.allocator.resources.ResourceQuantities;
import io.mesokube.allocator.resources.ScalarNames;
import io.mesokube.allocator.role.RoleName;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The client tree shared by the DRF and random sorters; subclasses decide the order. */
abstract class TreeSorter<T> implements Sorter<T> {
  final Node<T> root = new Node<>("", false, ScalarNames.count());
  final Map<String, Node<T>> leaves = new HashMap<>();
  final Map<String, Node<T>> internals = new HashMap<>();
  final Map<String, Double> weights = new HashMap<>();
  long[] total = new long[ScalarNames.count()];
  private final TreeOrder<T> orderView = new TreeOrder<>(root);
  boolean stale = true;

  /** Called after a node's allocation, weight or the total changed. */
  abstract void changed(Node<T> node);

  /** Called when a node joins a parent's children; it must be placed in order. */
  abstract void inserted(Node<T> parent, Node<T> node);

  /** Brings every parent's children into order before the tree is walked. */
  abstract void reorder();

  @Override
  public void add(String path, T client) {
    if (leaves.containsKey(path)) {
      throw new IllegalArgumentException("Sorter already has client '" + path + "'");
    }
    Node<T> internal = internals.get(path);
    Node<T> parent = internal != null ? internal : ensureInternal(RoleName.parent(path));
    Node<T> leaf = new Node<>(path, true, total.length);
    leaf.client = client;
    leaf.weight = weights.getOrDefault(path, 1.0);
    leaf.parent = parent;
    leaves.put(path, leaf);
    inserted(parent, leaf);
    setActive(leaf, true);
  }

  private Node<T> ensureInternal(String path) {
    if (path == null) {
      return root;
    }
    Node<T> existing = internals.get(path);
    if (existing != null) {
      return existing;
    }
    Node<T> leaf = leaves.get(path);
    Node<T> parent = leaf != null ? leaf.parent : ensureInternal(RoleName.parent(path));
    Node<T> internal = new Node<>(path, false, total.length);
    internal.weight = weights.getOrDefault(path, 1.0);
    internal.parent = parent;
    internals.put(path, internal);
    if (leaf != null) {
      // The leaf becomes the internal node's own ("virtual") child, as in Mesos' sorter.
      parent.children.remove(leaf);
      internal.allocation = leaf.allocation.clone();
      internal.activeLeaves = leaf.activeLeaves;
      leaf.parent = internal;
      inserted(internal, leaf);
    }
    inserted(parent, internal);
    return internal;
  }

  @Override
  public void remove(String path) {
    Node<T> leaf = requireLeaf(path);
    setActive(leaf, false);
    long[] negative = leaf.allocation.clone();
    for (int i = 0; i < negative.length; i++) {
      negative[i] = -negative[i];
    }
    addAllocation(leaf, negative);
    leaves.remove(path);
    stale = true;
    Node<T> parent = leaf.parent;
    parent.children.remove(leaf);
    while (parent != root && parent.children.isEmpty()) {
      internals.remove(parent.path);
      parent.parent.children.remove(parent);
      parent = parent.parent;
    }
  }

  @Override
  public boolean contains(String path) {
    return leaves.containsKey(path);
  }

  @Override
  public void activate(String path) {
    setActive(requireLeaf(path), true);
  }

  @Override
  public void deactivate(String path) {
    setActive(requireLeaf(path), false);
  }

  private void setActive(Node<T> leaf, boolean active) {
    if (leaf.active == active) {
      return;
    }
    leaf.active = active;
    stale = true;
    for (Node<T> n = leaf; n != null; n = n.parent) {
      n.activeLeaves += active ? 1 : -1;
    }
  }

  @Override
  public void updateWeight(String path, double weight) {
    RoleName.validate(path);
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "Weight of '" + path + "' must be positive, got " + weight);
    }
    weights.put(path, weight);
    setWeight(leaves.get(path), weight);
    setWeight(internals.get(path), weight);
  }

  private void setWeight(Node<T> node, double weight) {
    if (node != null) {
      node.weight = weight;
      changed(node);
    }
  }

  @Override
  public void allocated(String path, ResourceQuantities quantities) {
    addAllocation(requireLeaf(path), quantities.toArray(total.length));
  }

  @Override
  public void unallocated(String path, ResourceQuantities quantities) {
    Node<T> leaf = requireLeaf(path);
    long[] delta = quantities.toArray(total.length);
    for (int i = 0; i < delta.length; i++) {
      if (delta[i] > (i < leaf.allocation.length ? leaf.allocation[i] : 0)) {
        throw new IllegalArgumentException("Client '" + path + "' was not allocated " + quantities);
      }
      delta[i] = -delta[i];
    }
    addAllocation(leaf, delta);
  }

  private void addAllocation(Node<T> leaf, long[] delta) {
    for (Node<T> n = leaf; n != root; n = n.parent) {
      n.ensureKinds(delta.length);
      for (int i = 0; i < delta.length; i++) {
        n.allocation[i] += delta[i];
      }
      changed(n);
    }
  }

  @Override
  public ResourceQuantities allocation(String path) {
    Node<T> n = leaves.containsKey(path) ? leaves.get(path) : internals.get(path);
    if (n == null) {
      throw new IllegalArgumentException("Sorter has no client '" + path + "'");
    }
    return ResourceQuantities.ofMillis(n.allocation);
  }

  @Override
  public void addTotal(ResourceQuantities quantities) {
    updateTotal(quantities, 1);
  }

  @Override
  public void removeTotal(ResourceQuantities quantities) {
    updateTotal(quantities, -1);
  }

  private void updateTotal(ResourceQuantities quantities, int sign) {
    long[] delta = quantities.toArray(total.length);
    total = Arrays.copyOf(total, delta.length);
    for (int i = 0; i < delta.length; i++) {
      total[i] += sign * delta[i];
      if (total[i] < 0) {
        throw new IllegalArgumentException("Sorter total would go negative: " + quantities);
      }
    }
    changed(root);
  }

  @Override
  public List<T> sort() {
    reorder();
    if (stale) {
      orderView.restart();
      stale = false;
    }
    return orderView;
  }

  @Override
  public int count() {
    return leaves.size();
  }

  Node<T> requireLeaf(String path) {
    Node<T> leaf = leaves.get(path);
    if (leaf == null) {
      throw new IllegalArgumentException("Sorter has no client '" + path + "'");
    }
    return leaf;
  }
}
