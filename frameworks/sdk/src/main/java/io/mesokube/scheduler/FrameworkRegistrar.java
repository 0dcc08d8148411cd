package io.mesokube.scheduler;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mesokube.api.Mesokube;
import io.mesokube.api.v1alpha1.framework.Framework;
import io.mesokube.api.v1alpha1.framework.FrameworkSpec;
import io.mesokube.api.v1alpha1.framework.SchedulerType;
import java.net.HttpURLConnection;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's writes to its Framework object: create or adopt it (SUBSCRIBE), change its
 * suppressed roles (SUPPRESS/REVIVE) and delete it (TEARDOWN).
 */
final class FrameworkRegistrar {

  private static final Logger LOG = LoggerFactory.getLogger(FrameworkRegistrar.class);

  private final SchedulerConfig config;

  FrameworkRegistrar(SchedulerConfig config) {
    this.config = config;
  }

  /**
   * Creates the Framework with {@code scheduler: Offers}, or adopts an existing one by merging this
   * configuration's label, roles, capabilities and failover timeout into it.
   */
  Framework subscribe() {
    var existing = framework().get();
    if (existing == null) {
      try {
        var created = config.client().resource(newFramework()).create();
        LOG.info("framework {}: created in {}", config.frameworkName(), config.namespace());
        return created;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
    var adopted = framework().patch(PatchContext.of(PatchType.JSON_MERGE), json(adoption()));
    LOG.info("framework {}: adopted in {}", config.frameworkName(), config.namespace());
    return adopted;
  }

  /**
   * Sets {@code spec.suppressedRoles} to the stored ones with {@code roles} added (suppress) or
   * removed (revive); empty {@code roles} means all of the framework's roles. Reads the stored
   * Framework first so that calls in quick succession build on each other.
   */
  void updateSuppressed(Collection<String> roles, boolean suppress) {
    var current = framework().require();
    var all = current.getSpec().roles();
    var affected = roles.isEmpty() ? all : roles;
    var suppressed =
        new LinkedHashSet<>(
            current.getSpec().suppressedRoles() == null
                ? List.of()
                : current.getSpec().suppressedRoles());
    if (suppress) {
      suppressed.addAll(affected);
    } else {
      suppressed.removeAll(affected);
    }
    var spec = new LinkedHashMap<String, Object>();
    spec.put("suppressedRoles", List.copyOf(suppressed));
    framework().patch(PatchContext.of(PatchType.JSON_MERGE), json(Map.of("spec", spec)));
    LOG.info("framework {}: suppressed roles now {}", config.frameworkName(), suppressed);
  }

  /** Deletes the Framework; owner references remove its Lease, Offers and Tasks. */
  void teardown() {
    framework().delete();
    LOG.info("framework {}: torn down", config.frameworkName());
  }

  /** A controller-less owner reference to {@code framework}. */
  static OwnerReference ownerReference(Framework framework) {
    return new OwnerReferenceBuilder()
        .withApiVersion(Mesokube.API_VERSION)
        .withKind(framework.getKind())
        .withName(framework.getMetadata().getName())
        .withUid(framework.getMetadata().getUid())
        .withBlockOwnerDeletion(false)
        .build();
  }

  private Resource<Framework> framework() {
    return config
        .client()
        .resources(Framework.class)
        .inNamespace(config.namespace())
        .withName(config.frameworkName());
  }

  private Framework newFramework() {
    var framework = new Framework();
    framework.getMetadata().setName(config.frameworkName());
    framework.getMetadata().setNamespace(config.namespace());
    framework.getMetadata().setLabels(Map.of(Mesokube.LABEL_FRAMEWORK, config.frameworkName()));
    framework.setSpec(
        new FrameworkSpec(
            config.roles(),
            config.capabilities().isEmpty() ? null : config.capabilities(),
            SchedulerType.Offers,
            config.failoverTimeoutSeconds(),
            null,
            null,
            config.user(),
            null,
            null));
    return framework;
  }

  private Map<String, Object> adoption() {
    var spec = new LinkedHashMap<String, Object>();
    spec.put("roles", config.roles());
    spec.put("capabilities", config.capabilities().isEmpty() ? null : config.capabilities());
    spec.put("scheduler", SchedulerType.Offers);
    if (config.failoverTimeoutSeconds() != null) {
      spec.put("failoverTimeoutSeconds", config.failoverTimeoutSeconds());
    }
    if (config.user() != null) {
      spec.put("user", config.user());
    }
    var metadata = Map.of("labels", Map.of(Mesokube.LABEL_FRAMEWORK, config.frameworkName()));
    return Map.of("metadata", metadata, "spec", spec);
  }

  private String json(Object patch) {
    return config.client().getKubernetesSerialization().asJson(patch);
  }
}
