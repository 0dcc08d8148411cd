package io.mesokube.allocator.sorter;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The active clients in tree order, walked lazily: the allocator usually stops at the first client
 * that takes the agent, so it should not pay for listing a thousand others. The walk resumes where
 * it stopped and keeps what it has listed until the order changes.
 */
final class TreeOrder<T> extends AbstractList<T> {
  private final Node<T> root;
  private Object[] listed = new Object[16];
  private int count;
  private boolean complete;

  @SuppressWarnings("unchecked")
  private Node<T>[] stack = (Node<T>[]) new Node<?>[8];

  private int[] next = new int[8];
  private int depth;

  TreeOrder(Node<T> root) {
    this.root = root;
  }

  void restart() {
    count = 0;
    complete = false;
    depth = 1;
    stack[0] = root;
    next[0] = 0;
  }

  /** Lists one more client; false when the walk is over. */
  private boolean advance() {
    while (depth > 0) {
      Node<T> node = stack[depth - 1];
      int i = next[depth - 1];
      if (i >= node.children.size()) {
        depth--;
        continue;
      }
      next[depth - 1] = i + 1;
      Node<T> child = node.children.get(i);
      if (child.activeLeaves == 0) {
        continue;
      }
      if (child.leaf) {
        if (count == listed.length) {
          listed = Arrays.copyOf(listed, count * 2);
        }
        listed[count++] = child.client;
        return true;
      }
      if (depth == stack.length) {
        stack = Arrays.copyOf(stack, depth * 2);
        next = Arrays.copyOf(next, depth * 2);
      }
      stack[depth] = child;
      next[depth] = 0;
      depth++;
    }
    complete = true;
    return false;
  }

  private boolean has(int index) {
    while (index >= count && !complete) {
      advance();
    }
    return index < count;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    if (!has(index)) {
      throw new IndexOutOfBoundsException(index);
    }
    return (T) listed[index];
  }

  @Override
  public int size() {
    while (!complete) {
      advance();
    }
    return count;
  }

  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private int at;

      @Override
      public boolean hasNext() {
        return has(at);
      }

      @Override
      @SuppressWarnings("unchecked")
      public T next() {
        if (!has(at)) {
          throw new NoSuchElementException();
        }
        return (T) listed[at++];
      }
    };
  }
}
