package io.mesokube.operator.http;

import java.time.Duration;

/**
 * How long the files proxy waits on an agent.
 *
 * <p>There is no cap on a whole request: a download of a large sandbox file streams for as long as
 * bytes keep coming, and only a silence of {@code idle} cuts it.
 *
 * @param connect to open the TCP (and TLS) connection to the agent; past it, 504
 * @param response from sending the request to the agent's status line and headers; past it, 504
 * @param idle waiting for the next bytes of a body; past it the body is cut short (the status has
 *     been sent already) and the connection to the client is broken, so it sees a truncated answer
 */
public record ProxyTimeouts(Duration connect, Duration response, Duration idle) {

  /** 10 s to connect, 30 s for the agent to start answering, 30 s of silence within a body. */
  public static final ProxyTimeouts DEFAULT =
      new ProxyTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30));
}
