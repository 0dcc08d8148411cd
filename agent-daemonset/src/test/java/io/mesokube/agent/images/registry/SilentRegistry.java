package io.mesokube.agent.images.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A "registry" on loopback that accepts connections and never answers: a pull from it waits until
 * it is stopped or times out. For tests of what happens to a pull nobody waits for any more.
 */
public final class SilentRegistry implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  private SilentRegistry(ServerSocket server) {
    this.server = server;
  }

  /** Starts one on a free port. */
  public static SilentRegistry start() {
    try {
      var registry = new SilentRegistry(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread.ofVirtual().name("silent-registry").start(registry::accept);
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a silent registry", e);
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The skopeo process (of any parent) whose command line names {@code ref}, if one runs. */
  public static Optional<ProcessHandle> skopeoPulling(String ref) {
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              String line = p.info().commandLine().orElse("");
              return line.contains("skopeo") && line.contains(ref);
            })
        .findFirst();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        accepted.add(server.accept());
      } catch (IOException e) {
        // Closed.
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    for (Socket socket : accepted) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
  }
}
