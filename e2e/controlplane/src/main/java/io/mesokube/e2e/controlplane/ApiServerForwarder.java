package io.mesokube.e2e.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the API server reachable from the node's pods: accepts TCP on the node's address and
 * forwards each connection, bytes untouched (TLS ends at the API server), to the API server on
 * 127.0.0.1. On a real cluster the {@code kubernetes} Service does this through kube-proxy; the
 * test node has no kube-proxy and stays off the host's iptables, and kube-apiserver binds one
 * address only.
 *
 * <p>In this JVM rather than a socat process: it then dies with the control plane's JVM, with
 * nothing to supervise or reap, and it is a few lines on virtual threads.
 */
final class ApiServerForwarder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServerForwarder.class);

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Thread acceptor;

  private ApiServerForwarder(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
    this.acceptor = Thread.ofVirtual().name("apiserver-forwarder").start(this::accept);
  }

  /** Listens on {@code address:port} and forwards to 127.0.0.1:{@code port}. */
  static ApiServerForwarder start(String address, int port) {
    try {
      var server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      LOG.info("forwarding {}:{} to the API server on 127.0.0.1:{}", address, port, port);
      return new ApiServerForwarder(
          server, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().name("apiserver-forwarder-conn").start(() -> forward(client));
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("the API server forwarder stopped accepting: {}", e.toString());
        }
        return;
      }
    }
  }

  private void forward(Socket client) {
    try (client;
        var upstream = new Socket()) {
      upstream.connect(target);
      Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
      copy(client, upstream);
      back.join();
    } catch (IOException e) {
      LOG.debug("forwarded connection ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // Copies until EOF, then half-closes the other side so that it sees the end too.
  private static void copy(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (SocketException closed) {
      // The other direction closed both sockets.
    } catch (IOException e) {
      LOG.debug("forwarding: {}", e.toString());
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the forwarder", e);
    }
    acceptor.interrupt();
  }
}
