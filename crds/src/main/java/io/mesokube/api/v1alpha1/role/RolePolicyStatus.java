package io.mesokube.api.v1alpha1.role;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.mesokube.api.v1alpha1.common.Condition;
import io.mesokube.api.v1alpha1.common.Resources;
import java.util.List;

/** What a role uses, as the allocator sees it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolePolicyStatus(
    @JsonPropertyDescription("The spec generation this status describes.") Long observedGeneration,
    @JsonPropertyDescription("Resources allocated to the role and its children.")
        Resources allocated,
    @JsonPropertyDescription("Resources offered to the role and not yet answered.")
        Resources offered,
    @JsonPropertyDescription("The role's dominant share of the cluster, 0 to 1.")
        Double dominantShare,
    @JsonPropertyDescription("Frameworks subscribed to the role.") Integer frameworks,
    @JsonPropertyDescription("Valid and QuotaSatisfied conditions.") List<Condition> conditions) {}
