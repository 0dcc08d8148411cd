package io.mesokube.operator.http;

import static io.mesokube.operator.http.ProxyFixtures.agent;
import static io.mesokube.operator.http.ProxyFixtures.body;
import static io.mesokube.operator.http.ProxyFixtures.lookup;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The files proxy passing requests and answers between a caller and a fake agent. */
class AgentFilesProxyTest {
  private static final String NAME = "node-1.example";
  private static final int HALF = 1 << 20;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private FakeAgent fake;
  private AgentFilesProxy proxy;

  @BeforeEach
  void start() throws IOException {
    fake = new FakeAgent();
    proxy =
        new AgentFilesProxy(
            lookup(agent(NAME, AgentPhase.Active, fake.endpoint())), ProxyTimeouts.DEFAULT, meters);
  }

  @AfterEach
  void stop() {
    proxy.close();
    fake.close();
  }

  @Test
  void readPassesPathOffsetAndLengthAndReturnsTheAgentsAnswerByteForByte() throws IOException {
    byte[] page = "{\"data\":\"h\u00e9llo \\u0000\",\"offset\":5}".getBytes(UTF_8);
    fake.on("/files/read", e -> FakeAgent.send(e, 200, "application/json;charset=UTF-8", page));
    String path = "/sandboxes/run 1/a+b&c=\u00fc.log";

    FilesAnswer answer = proxy.forward(NAME, "read", path, "5", "10");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers())
        .containsEntry("Content-Type", "application/json;charset=UTF-8")
        .containsEntry("Content-Length", Integer.toString(page.length));
    assertThat(body(answer)).isEqualTo(page);
    assertThat(fake.requests().getLast().getRawQuery())
        .isEqualTo("path=%2Fsandboxes%2Frun%201%2Fa%2Bb%26c%3D%C3%BC.log&offset=5&length=10");
    assertThat(fake.lastParams()).isEqualTo(Map.of("path", path, "offset", "5", "length", "10"));
    Timer timer =
        meters.get("mesokube_agent_files_requests").tags("op", "read", "outcome", "ok").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.getId().getTags()).hasSize(2);
  }

  @Test
  void downloadStreamsTheBodyWithItsHeadersWithoutWaitingForTheWholeFile() throws IOException {
    byte[] file = new byte[2 * HALF];
    new Random(42).nextBytes(file);
    CountDownLatch firstHalfPassedOn = new CountDownLatch(1);
    fake.on(
        "/files/download",
        e -> {
          e.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"stdout\"");
          e.getResponseHeaders().set("Content-Type", "application/octet-stream");
          e.getResponseHeaders().set("Set-Cookie", "agent=secret");
          e.sendResponseHeaders(200, file.length);
          e.getResponseBody().write(file, 0, HALF);
          e.getResponseBody().flush();
          // The rest only once the caller has the first half: a proxy that buffered the whole
          // file would never get it.
          try {
            if (firstHalfPassedOn.await(30, TimeUnit.SECONDS)) {
              e.getResponseBody().write(file, HALF, HALF);
            }
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
        });
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    OutputStream caller =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            received.write(b, off, len);
            if (received.size() >= HALF) {
              firstHalfPassedOn.countDown();
            }
          }
        };

    FilesAnswer answer = proxy.forward(NAME, "download", "/sandboxes/t1/stdout", null, null);
    answer.transferTo(caller);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.headers())
        .isEqualTo(
            Map.of(
                "Content-Type", "application/octet-stream",
                "Content-Length", Integer.toString(file.length),
                "Content-Disposition", "attachment; filename=\"stdout\""));
    assertThat(received.toByteArray()).isEqualTo(file);
    assertThat(fake.lastParams()).isEqualTo(Map.of("path", "/sandboxes/t1/stdout"));
  }

  @Test
  void pathOutsideTheSandboxesIsForwardedAsIsAndTheAgentsRefusalComesBack() throws IOException {
    fake.on(
        "/files/browse",
        e -> {
          String path = fake.lastParams().get("path");
          FakeAgent.send(e, 403, "text/plain", ("Path '" + path + "' leaves the root").getBytes());
        });

    FilesAnswer answer = proxy.forward(NAME, "browse", "/sandboxes/../../etc/passwd", null, null);

    assertThat(answer.status()).isEqualTo(403);
    assertThat(new String(body(answer), UTF_8))
        .isEqualTo("Path '/sandboxes/../../etc/passwd' leaves the root");
    assertThat(fake.requests().getLast().getRawQuery())
        .isEqualTo("path=%2Fsandboxes%2F..%2F..%2Fetc%2Fpasswd");
    assertThat(
            meters
                .get("mesokube_agent_files_requests")
                .tags("op", "browse", "outcome", "agent_error")
                .timer()
                .count())
        .isEqualTo(1);
  }
}
