package io.mesokube.api.v1alpha1.role;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.mesokube.api.v1alpha1.common.Resources;

/** A role's quota: what it is guaranteed, and what it may never exceed (Mesos quota). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.guarantee) || !has(self.limit) || ("
            + "(!has(self.guarantee.cpus) || !has(self.limit.cpus) || self.limit.cpus >= self.guarantee.cpus)"
            + " && (!has(self.guarantee.mem) || !has(self.limit.mem) || self.limit.mem >= self.guarantee.mem)"
            + " && (!has(self.guarantee.disk) || !has(self.limit.disk) || self.limit.disk >= self.guarantee.disk)"
            + " && (!has(self.guarantee.gpus) || !has(self.limit.gpus) || self.limit.gpus >= self.guarantee.gpus))",
    message = "a quota limit must be at least its guarantee, for every resource")
@ValidationRule(
    value =
        "(!has(self.guarantee) || !has(self.guarantee.ports))"
            + " && (!has(self.limit) || !has(self.limit.ports))",
    message = "quota applies to scalar resources (cpus, mem, disk, gpus), not ports")
public record Quota(
    @JsonPropertyDescription("Resources the role is guaranteed, offered before fair share.")
        Resources guarantee,
    @JsonPropertyDescription("Resources the role may never exceed.") Resources limit) {}
