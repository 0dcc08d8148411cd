package io.mesokube.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.mesokube.api.v1alpha1.common.Patterns;

/** An OCI image a task runs in, through the agent's OCI runtime (Mesos' unified containerizer). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerSpec(
    @JsonPropertyDescription(
            "Image reference: [registry[:port]/]repository[:tag][@sha256:digest], e.g."
                + " registry.local:5000/tools/busybox:1.36.")
        @Required
        @Pattern(Patterns.IMAGE)
        @Size(max = 512)
        String image,
    @JsonPropertyDescription(
            "Name of a Secret (kubernetes.io/dockerconfigjson) holding registry"
                + " credentials, in the task's namespace.")
        @Pattern(Patterns.OBJECT_NAME)
        @Size(max = 253)
        String pullSecret,
    @JsonPropertyDescription(
            "Network: Host shares the agent's (Mesos' default); Private gets a"
                + " namespace with loopback only.")
        @Default("Host")
        ContainerNetwork network,
    @JsonPropertyDescription("Mount the image's root filesystem read-only.") @Default("false")
        Boolean readOnlyRootfs) {

  /** A container's network mode. */
  public enum ContainerNetwork {
    /** The agent host's network namespace. */
    Host,
    /** A private network namespace with only a loopback interface. */
    Private
  }
}
