package io.mesokube.api.v1alpha1.role;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.mesokube.api.v1alpha1.common.Patterns;

/** Policy for one Mesos role: its weight, quota, and whether its tasks may run as root. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolePolicySpec(
    @JsonPropertyDescription(
            "The role path, e.g. eng/frontend; a child role's usage counts towards its parents.")
        @Required
        @Pattern(Patterns.ROLE)
        @Size(max = 128)
        String role,
    @JsonPropertyDescription("Relative weight in fair sharing among sibling roles (Mesos weight).")
        @Default("1.0")
        @Min(value = 0, inclusive = false)
        @Max(1000000)
        Double weight,
    @JsonPropertyDescription("Guarantee and limit.") Quota quota,
    @JsonPropertyDescription("Whether tasks of this role may run as root.") @Default("false")
        Boolean allowRootTasks) {}
