package io.mesokube.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TcpHealthCheckTest extends HealthCheckTestSupport {

  @Test
  void healthyWhileThePortIsOpenUnhealthyOnceItCloses() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int port = server.getLocalPort();
    // Accept and drop, so that the checks' connections do not fill the backlog.
    Thread.ofVirtual().start(() -> acceptAll(server));
    start(tcp(port), timing(3));

    eventually().untilAsserted(() -> assertThat(listener.healthChanges()).containsExactly(true));
    assertThat(listener.lastMessage()).isEqualTo("TCP connection to 127.0.0.1:" + port + " opened");
    server.close();

    eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
    assertThat(listener.healthChanges()).containsExactly(true, false);
    assertThat(listener.lastMessage())
        .startsWith("TCP connection to 127.0.0.1:" + port + " failed: ");
  }

  @Test
  void aPortNobodyListensOnFails() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    start(tcp(port), timing(1));

    eventually().untilAsserted(() -> assertThat(listener.kills).hasSize(1));
    assertThat(listener.lastMessage()).contains("failed: ").containsIgnoringCase("refused");
  }

  private static void acceptAll(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket ignored = server.accept()) {
        // The check only needs the connection to open.
      } catch (IOException e) {
        return;
      }
    }
  }
}
