package io.mesokube.operator.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards Mesos' files requests ({@code browse}, {@code read}, {@code download}) to the agent that
 * holds the files, as Mesos' master proxied {@code /files} of its agents.
 *
 * <p>Only the query parameters {@code path}, {@code offset} and {@code length} go to the agent, no
 * header of the caller's; only the status, Content-Type, Content-Length and Content-Disposition
 * come back, with the body streamed. The agent alone judges a path (it refuses one outside its
 * sandboxes with 403), so the proxy passes paths on as they are.
 */
public final class AgentFilesProxy implements AutoCloseable {
  private static final String OTHER = "other";
  private static final Logger LOG = LoggerFactory.getLogger(AgentFilesProxy.class);

  private final FilesTargets targets;
  private final ProxyTimeouts timeouts;
  private final MeterRegistry meters;
  private final HttpClient client;

  /** A proxy to the agents {@code agents} knows, recording its requests in {@code meters}. */
  public AgentFilesProxy(AgentLookup agents, ProxyTimeouts timeouts, MeterRegistry meters) {
    this.targets = new FilesTargets(agents);
    this.timeouts = timeouts;
    this.meters = meters;
    // The JDK client rather than the Vert.x one that Fabric8 brings along: its blocking body
    // stream fits JAX-RS' StreamingOutput on a worker thread, where backpressure comes free (a slow
    // caller slows the reads from the agent), and it is not borrowed from the Kubernetes client's
    // transitive dependencies. HTTP/1.1 because the default, HTTP/2, would ask the agent to upgrade
    // every cleartext connection.
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeouts.connect())
            .build();
  }

  /**
   * Forwards {@code GET /files/<operation>} to agent {@code agentName}, with those of {@code path},
   * {@code offset} and {@code length} that are not null, and answers what the agent answered; or,
   * with a plain-text reason: 400 for a name that is no DNS-1123 subdomain, 404 for an operation
   * other than browse, read and download or an unknown agent, 503 for an agent that is not Active
   * or has no http(s) endpoint (or a cache not synced yet), 502 for an agent that refuses or breaks
   * the connection or answers with a redirect, 504 for one that does not connect or answer in time.
   */
  public FilesAnswer forward(
      String agentName, String operation, String path, String offset, String length) {
    String op = FilesTargets.OPERATIONS.contains(operation) ? operation : OTHER;
    Timer.Sample sample = Timer.start(meters);
    Consumer<Outcome> done = outcome -> sample.stop(timer(op, outcome));
    try {
      return send(agentName, targets.target(agentName, operation, path, offset, length), done);
    } catch (Refusal refusal) {
      return refusal.answer(done);
    }
  }

  private FilesAnswer send(String agentName, URI target, Consumer<Outcome> done) throws Refusal {
    HttpRequest request = HttpRequest.newBuilder(target).timeout(timeouts.response()).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      LOG.debug("Agent {} did not answer in time at {}", agentName, target, e);
      throw new Refusal(504, Outcome.TIMEOUT, "Agent '" + agentName + "' did not answer in time");
    } catch (IOException e) {
      LOG.debug("Agent {} failed to answer at {}", agentName, target, e);
      throw new Refusal(502, Outcome.BAD_GATEWAY, "Agent '" + agentName + "' did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refusal(503, Outcome.UNAVAILABLE, "The operator is stopping");
    }
    int code = response.statusCode();
    if (code >= 300 && code < 400) {
      closeQuietly(response.body());
      throw new Refusal(
          502,
          Outcome.BAD_GATEWAY,
          "Agent '" + agentName + "' answered " + code + ", a redirect, which is not followed");
    }
    return new FilesAnswer(
        code,
        AgentUris.passedOn(response.headers()),
        response.body(),
        code < 300 ? Outcome.OK : Outcome.AGENT_ERROR,
        timeouts.idle(),
        done);
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      // Only the connection to the agent is lost, which closing was for.
    }
  }

  private Timer timer(String op, Outcome outcome) {
    return Timer.builder("mesokube_agent_files_requests")
        .description(
            "Requests for agents' files through the operator, timed to the end of the body")
        .tag("op", op)
        .tag("outcome", outcome.tag())
        .register(meters);
  }

  /** Drops the connections to the agents, cutting short the downloads still streaming. */
  @Override
  public void close() {
    client.shutdownNow();
  }
}
