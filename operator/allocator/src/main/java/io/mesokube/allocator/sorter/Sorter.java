package io.mesokube.allocator.sorter;

import io.mesokube.allocator.resources.ResourceQuantities;
import java.util.List;

/**
 * Orders clients (roles, or the frameworks of one role) for the allocator, as Mesos' {@code
 * Sorter}: the first client in {@link #sort()} is offered resources first.
 *
 * <p>Clients are named by paths; {@code eng/frontend} sits under {@code eng}, and a path may be
 * both a client and the parent of others. Not thread-safe: the allocator drives it from one thread.
 *
 * @param <T> what the caller attaches to each client and gets back from {@link #sort()}
 */
public interface Sorter<T> {
  /** Adds an active client with no allocation. */
  void add(String path, T client);

  /** Removes a client and its allocation. */
  void remove(String path);

  /** Whether a client exists at the path. */
  boolean contains(String path);

  /** Includes the client in {@link #sort()} again. */
  void activate(String path);

  /** Leaves the client out of {@link #sort()} while keeping its allocation. */
  void deactivate(String path);

  /** Sets the weight of a path (default 1); a higher weight earns a larger share. */
  void updateWeight(String path, double weight);

  /** Records resources allocated to a client. */
  void allocated(String path, ResourceQuantities quantities);

  /** Records resources a client gave back. */
  void unallocated(String path, ResourceQuantities quantities);

  /** Quantities currently allocated to a client (or to all clients under a path). */
  ResourceQuantities allocation(String path);

  /** Adds to the pool that shares are computed against. */
  void addTotal(ResourceQuantities quantities);

  /** Removes from the pool that shares are computed against. */
  void removeTotal(ResourceQuantities quantities);

  /**
   * The active clients in the order they should be offered resources.
   *
   * <p>The returned list is a read-only view that stays valid until the next call to this method on
   * the same sorter; the sorter reuses its storage so that sorting per agent creates no garbage.
   */
  List<T> sort();

  /** Number of clients, active or not. */
  int count();
}
