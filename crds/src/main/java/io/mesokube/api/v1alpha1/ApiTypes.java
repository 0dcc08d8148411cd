package io.mesokube.api.v1alpha1;

import io.fabric8.kubernetes.client.CustomResource;
import io.mesokube.api.v1alpha1.agent.Agent;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.offer.Offer;
import io.mesokube.api.v1alpha1.role.RolePolicy;
import io.mesokube.api.v1alpha1.task.Task;
import java.util.List;

/** Every kind of the mesokube.io/v1alpha1 API, in the order their CRDs are installed. */
public final class ApiTypes {
  /** The custom resource classes. */
  public static final List<Class<? extends CustomResource<?, ?>>> ALL =
      List.of(RolePolicy.class, Agent.class, Framework.class, Offer.class, Task.class);

  private ApiTypes() {}
}
