package io.mesokube.api.v1alpha1.offer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.mesokube.api.v1alpha1.common.Patterns;
import io.mesokube.api.v1alpha1.common.Resources;
import java.util.Map;

/** Resources of one agent offered to one framework for one role, until an expiry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.answer) || !has(self.answer.operations) || self.answer.operations.all(o,"
            + " !has(o.launch) || o.launch.tasks.all(t, t.spec.framework == self.framework))",
    message = "tasks launched from an offer must belong to the offer's framework")
public record OfferSpec(
    @JsonPropertyDescription("Name of the Framework the offer is for.")
        @Required
        @Pattern(Patterns.OBJECT_NAME)
        @Size(min = 1, max = 63)
        String framework,
    @JsonPropertyDescription("Name of the Agent whose resources are offered.")
        @Required
        @Pattern(Patterns.OBJECT_NAME)
        @Size(min = 1, max = 63)
        String agent,
    @JsonPropertyDescription("Host name of the agent.") @Size(max = 253) String hostname,
    @JsonPropertyDescription("Role the resources are allocated to.")
        @Required
        @Pattern(Patterns.ROLE)
        @Size(max = 128)
        String role,
    @JsonPropertyDescription("The offered resources.") @Required Resources resources,
    @JsonPropertyDescription("Attributes of the agent, for placement decisions.") @Size(max = 64)
        Map<String, String> attributes,
    @JsonPropertyDescription(
            "Leadership epoch of the operator that made the offer; offers of an older epoch"
                + " are rescinded.")
        @Required
        @Min(0)
        Long epoch,
    @JsonPropertyDescription("When the offer is rescinded if not answered (RFC 3339).") @Required
        String expiryTime,
    @JsonPropertyDescription("The framework's answer; it can be given once and not changed.")
        OfferAnswer answer) {}
