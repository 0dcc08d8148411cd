package io.mesokube.operator.http;

import static io.mesokube.operator.http.ProxyFixtures.agent;
import static io.mesokube.operator.http.ProxyFixtures.body;
import static io.mesokube.operator.http.ProxyFixtures.lookup;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesokube.api.v1alpha1.agent.AgentPhase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The files proxy's own answers: bad requests, agents it cannot or may not reach. */
class AgentFilesFailureTest {
  /**
   * For the two tests that wait out a timeout; the rest keep the defaults, so a loaded machine does
   * not turn their answers into 504s. The agents there never answer, whatever the timeout.
   */
  private static final ProxyTimeouts SHORT =
      new ProxyTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300), Duration.ofSeconds(1));

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private FakeAgent fake;
  private AgentFilesProxy proxy;

  @BeforeEach
  void start() throws IOException {
    fake = new FakeAgent();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    fake.close();
  }

  private FilesAnswer forward(AgentLookup agents, String name, String op) {
    return forward(agents, name, op, ProxyTimeouts.DEFAULT);
  }

  private FilesAnswer forward(AgentLookup agents, String name, String op, ProxyTimeouts timeouts) {
    proxy = new AgentFilesProxy(agents, timeouts, meters);
    return proxy.forward(name, op, "/sandboxes/t1/stdout", "0", "100");
  }

  private FilesAnswer forward(AgentPhase phase, String endpoint) {
    return forward(lookup(agent("a1", phase, endpoint)), "a1", "read");
  }

  private FilesAnswer forwardWithShortTimeouts() {
    return forward(lookup(agent("a1", AgentPhase.Active, fake.endpoint())), "a1", "read", SHORT);
  }

  private void assertAnswer(FilesAnswer answer, int status, String outcome, String message)
      throws IOException {
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.headers()).containsEntry("Content-Type", "text/plain;charset=UTF-8");
    assertThat(new String(body(answer), UTF_8)).contains(message);
    assertThat(meters.find("mesokube_agent_files_requests").tag("outcome", outcome).timer())
        .isNotNull()
        .satisfies(t -> assertThat(t.count()).isEqualTo(1));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"Agent-1", "a_1", "a/b", "-a", "a-", "a..b", "a.-b", "\u00e9"})
  void aNameThatIsNoDns1123SubdomainIs400(String name) throws IOException {
    assertAnswer(forward(lookup(), name, "read"), 400, "bad_name", "DNS-1123 subdomain");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aNameLongerThan253CharactersIs400() throws IOException {
    String name = "a".repeat(63) + ("." + "a".repeat(63)).repeat(3);
    assertThat(name).hasSize(255);
    assertAnswer(forward(lookup(), name, "read"), 400, "bad_name", "at most 253");
  }

  @Test
  void anOperationOtherThanBrowseReadOrDownloadIs404() throws IOException {
    FilesAnswer answer =
        forward(lookup(agent("a1", AgentPhase.Active, fake.endpoint())), "a1", "x");
    assertAnswer(answer, 404, "unknown_operation", "No files operation 'x'");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void anUnknownAgentIs404() throws IOException {
    assertAnswer(
        forward(lookup(), "ghost", "read"), 404, "unknown_agent", "No Agent named 'ghost'");
  }

  @Test
  void anAgentBeforeTheCacheIsSyncedIs503() throws IOException {
    assertAnswer(forward(ProxyFixtures.notSynced(), "a1", "read"), 503, "unavailable", "starting");
  }

  @Test
  void anUnreachableAgentIs503() throws IOException {
    FilesAnswer answer = forward(AgentPhase.Unreachable, fake.endpoint());
    assertAnswer(answer, 503, "unavailable", "Agent 'a1' is Unreachable, not Active");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void anAgentWithoutAnEndpointIs503() throws IOException {
    assertAnswer(forward(AgentPhase.Active, null), 503, "unavailable", "no http(s) endpoint");
  }

  @Test
  void anEndpointThatIsNoHttpUrlIs503() throws IOException {
    FilesAnswer answer = forward(AgentPhase.Active, "file:///etc");
    assertAnswer(answer, 503, "unavailable", "no http(s) endpoint in its status: file:///etc");
  }

  @Test
  void anAgentThatIsDownIs502() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    FilesAnswer answer = forward(AgentPhase.Active, "http://127.0.0.1:" + closedPort);
    assertAnswer(answer, 502, "bad_gateway", "Agent 'a1' did not answer");
  }

  @Test
  void anAgentThatDoesNotAnswerInTimeIs504() throws IOException {
    fake.on("/files/read", e -> fake.awaitRelease());
    FilesAnswer answer = forwardWithShortTimeouts();
    assertAnswer(answer, 504, "timeout", "Agent 'a1' did not answer in time");
  }

  @Test
  void aRedirectIsNotFollowedAnd502() throws IOException {
    fake.on(
        "/files/read",
        e -> {
          e.getResponseHeaders().set("Location", fake.endpoint() + "/elsewhere");
          e.sendResponseHeaders(302, -1);
        });
    assertAnswer(forward(AgentPhase.Active, fake.endpoint()), 502, "bad_gateway", "redirect");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aBodyThatStallsIsCutShort() throws IOException {
    fake.on(
        "/files/read",
        e -> {
          e.sendResponseHeaders(200, 100);
          e.getResponseBody().write(new byte[10]);
          e.getResponseBody().flush();
          fake.awaitRelease();
        });
    FilesAnswer answer = forwardWithShortTimeouts();
    ByteArrayOutputStream received = new ByteArrayOutputStream();

    assertThat(answer.status()).isEqualTo(200);
    assertThatThrownBy(() -> answer.transferTo(received)).hasMessageContaining("sent nothing");
    assertThat(received.size()).isEqualTo(10);
    assertThat(meters.find("mesokube_agent_files_requests").tag("outcome", "truncated").timer())
        .isNotNull();
  }
}
