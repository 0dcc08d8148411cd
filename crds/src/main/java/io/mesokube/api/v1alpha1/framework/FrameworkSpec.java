package io.mesokube.api.v1alpha1.framework;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.mesokube.api.v1alpha1.common.Patterns;
import java.util.List;

/** What a framework is: its roles, capabilities and how its tasks get placed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "size(self.roles) <= 1 || (has(self.capabilities) && 'MULTI_ROLE' in self.capabilities)",
    message = "a framework with several roles must declare the MULTI_ROLE capability")
@ValidationRule(
    value = "self.roles.all(r, self.roles.exists_one(s, s == r))",
    message = "roles must not repeat")
@ValidationRule(
    value = "!has(self.suppressedRoles) || self.suppressedRoles.all(r, r in self.roles)",
    message = "suppressedRoles may only name roles of the framework")
public record FrameworkSpec(
    @JsonPropertyDescription(
            "Mesos roles the framework is offered resources for, e.g. [\"eng/frontend\"]."
                + " Several roles need the MULTI_ROLE capability.")
        @Required
        @Size(min = 1, max = 16)
        List<@Pattern(Patterns.ROLE) @Size(max = 128) String> roles,
    @JsonPropertyDescription("Mesos capabilities the framework declares.") @Size(max = 8)
        List<FrameworkCapability> capabilities,
    @JsonPropertyDescription(
            "Offers: an external scheduler answers Offer objects. Managed: the operator places"
                + " Tasks applied with kubectl itself.")
        @Default("Managed")
        SchedulerType scheduler,
    @JsonPropertyDescription(
            "Seconds the framework's tasks keep running after its scheduler stops renewing its"
                + " Lease; past it they are killed and the framework is torn down (Mesos"
                + " failover_timeout).")
        @Default("604800")
        @Min(0)
        @Max(31536000)
        Long failoverTimeoutSeconds,
    @JsonPropertyDescription(
            "Whether agents checkpoint the framework's tasks so they survive an"
                + " agent restart.")
        @Default("true")
        Boolean checkpoint,
    @JsonPropertyDescription(
            "Roles for which the framework wants no offers now (Mesos SUPPRESS); remove a role to"
                + " REVIVE it.")
        @Size(max = 16)
        List<String> suppressedRoles,
    @JsonPropertyDescription(
            "Default OS user the framework's tasks run as; root needs a RolePolicy that allows"
                + " it.")
        @Default("nobody")
        @Pattern(Patterns.USER)
        @Size(max = 32)
        String user,
    @JsonPropertyDescription("Mesos principal the framework authenticates as, if any.")
        @Size(max = 253)
        String principal,
    @JsonPropertyDescription(
            "Name of a Secret (kubernetes.io/dockerconfigjson) in the framework's namespace with"
                + " registry credentials for its container tasks that name none"
                + " (spec.container.pullSecret).")
        @Pattern(Patterns.OBJECT_NAME)
        @Size(max = 253)
        String pullSecret) {}
