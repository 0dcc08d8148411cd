package io.mesokube.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mesokube.api.v1alpha1.offer.OfferAnswer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How an offer's answer survives an API server that does not answer (etcd away: requests time out
 * without any HTTP status) or refuses it, against a plain HTTP server standing in for it.
 */
class OfferAnswersTest {
  private static final String OFFER_PATH = "/apis/mesokube.io/v1alpha1/namespaces/ns/offers/o-1";

  private static final String TASKS_PATH = "/apis/mesokube.io/v1alpha1/namespaces/ns/tasks/";

  private HttpServer server;
  private final AtomicInteger taskCalls = new AtomicInteger();
  private KubernetesClient client;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<String> methods = new CopyOnWriteArrayList<>();

  /** What the server does with the n-th call (from 1): an HTTP status, or 0 to hang. */
  private volatile java.util.function.IntUnaryOperator behaviour = n -> 200;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        OFFER_PATH,
        exchange -> {
          int n = calls.incrementAndGet();
          methods.add(exchange.getRequestMethod());
          exchange.getRequestBody().readAllBytes();
          int status = behaviour.applyAsInt(n);
          if (status == 0) {
            hang(exchange);
          } else {
            respond(exchange, status, "Offer", "o-1");
          }
        });
    server.createContext(
        TASKS_PATH,
        exchange -> {
          int n = taskCalls.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          if (n == 1) {
            // The first read times out: the server is still away.
            hang(exchange);
            return;
          }
          var name = exchange.getRequestURI().getPath().substring(TASKS_PATH.length());
          respond(exchange, name.equals("t-1") ? 200 : 404, "Task", name);
        });
    server.start();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
            .withRequestTimeout(500)
            .withRequestRetryBackoffLimit(0)
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  @Test
  void anAnswerIsWrittenAgainAfterRequestsThatTimedOutWithoutAStatus() {
    // Two requests time out (no HTTP status: the client says code -1), then the server answers.
    // (The client reads the offer before it patches it.)
    behaviour = n -> n <= 2 ? 0 : 200;

    assertThat(answers().answer("o-1", decline())).isTrue();

    assertThat(methods).containsExactly("GET", "GET", "GET", "PATCH");
  }

  @Test
  void aServerErrorIsRetriedAndAClientErrorIsNot() {
    behaviour = n -> n == 1 ? 503 : 200;
    assertThat(answers().answer("o-1", decline())).isTrue();
    assertThat(methods).containsExactly("GET", "GET", "PATCH");

    calls.set(0);
    behaviour = n -> 422;
    assertThatThrownBy(() -> answers().answer("o-1", decline()))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    assertThat(calls).hasValue(1);
  }

  @Test
  void aGoneOfferIsNotAnError() {
    behaviour = n -> 404;
    assertThat(answers().answer("o-1", decline())).isFalse();
  }

  @Test
  void anAnswerGivenUpOnIsWrittenInTheBackgroundOnceTheServerIsBack() throws Exception {
    // The server hangs for longer than the answer's retries (1 s here), then answers.
    behaviour = n -> n <= 5 ? 0 : 200;
    try (var answers = answers(Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> answers.answer("o-1", decline()))
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isLessThanOrEqualTo(0));

      assertThat(answers.answerLater("o-1", decline()).get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(methods).last().isEqualTo("PATCH");
    }
  }

  @Test
  void anAnswerInDoubtEndsWhenTheOfferIsGoneOrTheServerRefusesIt() throws Exception {
    behaviour = n -> n <= 3 ? 0 : 404;
    try (var answers = answers(Duration.ofMillis(500))) {
      assertThat(answers.answerLater("o-1", decline()).get(30, TimeUnit.SECONDS)).isFalse();
    }
    calls.set(0);
    behaviour = n -> n <= 3 ? 0 : 403;
    try (var answers = answers(Duration.ofMillis(500))) {
      assertThatThrownBy(() -> answers.answerLater("o-1", decline()).get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(KubernetesClientException.class);
    }
  }

  @Test
  void theTasksOfAGoneOfferThatWereNeverCreatedAreFoundOnceTheServerIsBack() throws Exception {
    try (var answers = answers()) {
      assertThat(answers.missingLater(List.of("t-1", "t-2")).get(30, TimeUnit.SECONDS))
          .containsExactly("t-2");
    }
    assertThat(taskCalls.get()).isGreaterThan(2);
  }

  /** Answers nothing for longer than the client waits, then drops the connection. */
  private static void hang(HttpExchange exchange) {
    try {
      Thread.sleep(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.close();
  }

  /** Answers {@code status}: the object {@code kind/name} for 200, else a Status. */
  private static void respond(HttpExchange exchange, int status, String kind, String name)
      throws IOException {
    byte[] body =
        (status == 200
                ? "{\"apiVersion\":\"mesokube.io/v1alpha1\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"ns\"}}"
                    .formatted(kind, name)
                : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":" + status + "}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private OfferAnswers answers() {
    return new OfferAnswers(SchedulerConfig.builder(client, "ns", "fw").build());
  }

  private OfferAnswers answers(Duration retryFor) {
    return new OfferAnswers(SchedulerConfig.builder(client, "ns", "fw").build(), retryFor);
  }

  private static OfferAnswer decline() {
    return new OfferAnswer(OfferAnswer.Type.Decline, null, 5.0);
  }
}
