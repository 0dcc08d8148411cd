package io.mesokube.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** An inclusive range of TCP/UDP ports, as Mesos' {@code ports} ranges resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.begin <= self.end", message = "a port range must have begin <= end")
public record PortRange(
    @JsonPropertyDescription("First port of the range.") @Required @Min(1) @Max(65535)
        Integer begin,
    @JsonPropertyDescription("Last port of the range (inclusive).") @Required @Min(1) @Max(65535)
        Integer end) {}
