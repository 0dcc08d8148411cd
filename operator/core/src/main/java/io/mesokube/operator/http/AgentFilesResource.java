package io.mesokube.operator.http;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * Mesos' files API of every agent through the operator: {@code GET
 * /agents/{agent}/files/{browse|read|download}?path=&offset=&length=}, answered by the agent (see
 * {@link AgentFilesProxy} for the status codes of the operator's own).
 */
@Path("/agents/{agent}/files/{operation}")
@Singleton
public class AgentFilesResource {
  private final AgentFilesProxy proxy;

  AgentFilesResource(ClusterAgents agents, MeterRegistry meters) {
    this.proxy = new AgentFilesProxy(agents, ProxyTimeouts.DEFAULT, meters);
  }

  /**
   * The agent's answer, streamed. It returns a Response (not a Uni), so it runs on a worker thread,
   * where the blocking reads from the agent belong.
   */
  @GET
  public Response files(
      @PathParam("agent") String agent,
      @PathParam("operation") String operation,
      @QueryParam("path") String path,
      @QueryParam("offset") String offset,
      @QueryParam("length") String length) {
    FilesAnswer answer = proxy.forward(agent, operation, path, offset, length);
    Response.ResponseBuilder response =
        Response.status(answer.status()).entity((StreamingOutput) answer::transferTo);
    answer.headers().forEach(response::header);
    return response.build();
  }

  @PreDestroy
  void close() {
    proxy.close();
  }
}
