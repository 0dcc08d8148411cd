package io.mesokube.e2e.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * The loopback ports of one control plane, chosen free once and kept for its lifetime so that a
 * component stopped and started again (fault injection) comes back on the same address.
 */
public record Ports(
    int etcdClient,
    int etcdPeer,
    int apiServer,
    int controllerManager,
    int scheduler,
    int containerdMetrics,
    int kubelet,
    int kubeletHealthz) {

  /** Picks distinct ports that are free on 127.0.0.1 right now. */
  public static Ports allocate() {
    var taken = new HashSet<Integer>();
    return new Ports(
        free(taken),
        free(taken),
        free(taken),
        free(taken),
        free(taken),
        free(taken),
        free(taken),
        free(taken));
  }

  private static int free(Set<Integer> taken) {
    while (true) {
      try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        if (taken.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
      }
    }
  }
}
