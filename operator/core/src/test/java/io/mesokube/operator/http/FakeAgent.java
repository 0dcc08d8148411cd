package io.mesokube.operator.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for an agent's files API: the JDK's HTTP server, each path answered as the test says,
 * every request URI recorded. Handlers that hang wait on {@link #awaitRelease}, freed on close.
 */
final class FakeAgent implements AutoCloseable {
  /** What the agent does with one request. */
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<URI> requests = new CopyOnWriteArrayList<>();

  FakeAgent() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.start();
  }

  /** Answers GETs of {@code path} with {@code handler}. */
  FakeAgent on(String path, Handler handler) {
    server.createContext(
        path,
        exchange -> {
          requests.add(exchange.getRequestURI());
          try (exchange) {
            handler.handle(exchange);
          }
        });
    return this;
  }

  /** The base URL an Agent's status would carry. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request URI received, in order. */
  List<URI> requests() {
    return requests;
  }

  /** The query parameters of the last request, decoded as the agent decodes them. */
  Map<String, String> lastParams() {
    Map<String, String> params = new HashMap<>();
    String query = requests.getLast().getRawQuery();
    for (String pair : query == null ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      params.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", UTF_8));
    }
    return params;
  }

  /** Blocks a handler until the test ends, as an agent that hangs would. */
  void awaitRelease() {
    try {
      release.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends {@code body} with {@code status} and {@code contentType}, and a Content-Length. */
  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
