package io.mesokube.agent.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP(S) server on 127.0.0.1 that answers a script of status codes, repeating the last one;
 * it can hold its answers to play a slow task.
 */
final class ScriptedHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final Queue<Integer> script = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicInteger mostBusy = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private int last;

  private ScriptedHttpServer(HttpServer server, int... statuses) {
    this.server = server;
    for (int status : statuses) {
      script.add(status);
    }
    server.createContext("/", this::answer);
    // Handlers on their own threads, so that a held answer does not stop the server.
    server.setExecutor(handlers);
    server.start();
  }

  static ScriptedHttpServer http(int... statuses) throws IOException {
    return new ScriptedHttpServer(HttpServer.create(loopback(), 0), statuses);
  }

  static ScriptedHttpServer https(SSLContext tls, int... statuses) throws IOException {
    HttpsServer server = HttpsServer.create(loopback(), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new ScriptedHttpServer(server, statuses);
  }

  int port() {
    return server.getAddress().getPort();
  }

  int requests() {
    return requests.get();
  }

  /** The most requests it served at the same time. */
  int mostConcurrent() {
    return mostBusy.get();
  }

  /** Answers nothing until {@link #release()}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    mostBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
    try {
      gate.await(30, TimeUnit.SECONDS);
      int status = next();
      if (status >= 300 && status < 400) {
        exchange.getResponseHeaders().add("Location", "/elsewhere");
      }
      exchange.sendResponseHeaders(status, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      busy.decrementAndGet();
      exchange.close();
    }
  }

  private synchronized int next() {
    if (!script.isEmpty()) {
      last = script.remove();
    }
    return last;
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    handlers.shutdownNow();
  }
}
