package io.mesokube.operator.http;

import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.operator.cluster.ClusterView;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Optional;

/** The Agents of {@link ClusterView}'s informer cache, for the files proxy; no API call. */
@ApplicationScoped
public class ClusterAgents implements AgentLookup {
  private final ClusterView view;
  private volatile boolean ready;

  ClusterAgents(ClusterView view) {
    this.view = view;
  }

  // After ClusterView's start, which creates the informers and waits for their first list. The HTTP
  // server is already listening by then, so a request may come before.
  void synced(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
    ready = true;
  }

  @Override
  public boolean ready() {
    return ready;
  }

  // ClusterView offers no lookup of an Agent by name; a scan of the cached Agents (one per node) is
  // cheap next to the proxied call.
  @Override
  public Optional<Agent> agent(String name) {
    return view.agents().stream().filter(a -> name.equals(a.getMetadata().getName())).findFirst();
  }
}
