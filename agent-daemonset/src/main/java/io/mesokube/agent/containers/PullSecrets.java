package io.mesokube.agent.containers;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mesokube.agent.images.ImageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads a task's image pull secret: a {@code kubernetes.io/dockerconfigjson} Secret in the task's
 * namespace, as a kubelet reads a pod's {@code imagePullSecrets}. Read when a pull needs it, never
 * cached or watched: the agent holds no copy of the cluster's Secrets.
 */
public final class PullSecrets {
  static final String TYPE = "kubernetes.io/dockerconfigjson";
  static final String KEY = ".dockerconfigjson";

  private PullSecrets() {}

  /** The Docker config JSON of Secret {@code name} in {@code namespace}. */
  public static String read(KubernetesClient client, String namespace, String name)
      throws ImageException {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new ImageException(
          ImageException.Kind.FAILED,
          "cannot read pull secret " + namespace + "/" + name + ": " + e.getMessage(),
          e);
    }
    if (secret == null) {
      throw new ImageException(
          ImageException.Kind.UNAUTHORIZED,
          "pull secret " + name + " does not exist in namespace " + namespace);
    }
    String data = secret.getData() == null ? null : secret.getData().get(KEY);
    if (!TYPE.equals(secret.getType()) || data == null) {
      throw new ImageException(
          ImageException.Kind.UNAUTHORIZED,
          "pull secret "
              + namespace
              + "/"
              + name
              + " is not of type "
              + TYPE
              + " with a "
              + KEY
              + " key");
    }
    try {
      return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ImageException(
          ImageException.Kind.UNAUTHORIZED,
          "pull secret " + namespace + "/" + name + " holds no valid base64 in " + KEY);
    }
  }
}
