package io.mesokube.agent.images.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a registry that passes what the registry sends at a set rate:
 * a slow registry, for tests of what a long pull looks like. Requests go through unthrottled.
 */
public final class ThrottledProxy implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;

  private final ServerSocket server;
  private final String target;
  private final long bytesPerSecond;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private ThrottledProxy(ServerSocket server, String target, long bytesPerSecond) {
    this.server = server;
    this.target = target;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Starts a proxy to {@code target} ({@code host:port}) passing {@code bytesPerSecond}. */
  public static ThrottledProxy start(String target, long bytesPerSecond) {
    try {
      var proxy =
          new ThrottledProxy(
              new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target, bytesPerSecond);
      Thread.ofVirtual().name("throttled-proxy").start(proxy::accept);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a proxy to " + target, e);
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    int colon = target.lastIndexOf(':');
    String host = target.substring(0, colon);
    int port = Integer.parseInt(target.substring(colon + 1));
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(host, port);
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pipe(client, upstream, Long.MAX_VALUE));
        Thread.ofVirtual().start(() -> pipe(upstream, client, bytesPerSecond));
      } catch (IOException e) {
        // Closed, or the registry refused: the client sees its connection end.
      }
    }
  }

  /** Copies {@code from} to {@code to} at most at {@code rate} bytes a second, then closes both. */
  private static void pipe(Socket from, Socket to, long rate) {
    byte[] buffer = new byte[CHUNK];
    long started = System.nanoTime();
    long sent = 0;
    try (from;
        to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
        sent += n;
        if (rate != Long.MAX_VALUE) {
          long due = started + sent * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
      }
    } catch (IOException e) {
      // One side closed: so does the other (try-with-resources).
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
  }
}
