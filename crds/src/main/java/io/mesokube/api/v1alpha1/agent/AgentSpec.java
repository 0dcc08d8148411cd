package io.mesokube.api.v1alpha1.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.mesokube.api.v1alpha1.common.Resources;
import java.util.List;
import java.util.Map;

/** What an agent offers: its configured resources, reservations, attributes, maintenance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.reservations) || self.reservations.all(r, r.role != '*')",
    message = "a reservation needs a role other than '*'")
@ValidationRule(
    value =
        "!has(self.reservations) || self.reservations.all(r,"
            + " self.reservations.exists_one(s, s.role == r.role))",
    message = "at most one reservation per role")
@ValidationRule(
    value =
        "!has(self.reservations) || self.reservations.map(r, has(r.resources.cpus) ?"
            + " r.resources.cpus : 0.0).sum() <= (has(self.resources.cpus) ? self.resources.cpus : 0.0)",
    message = "the reservations' cpus add up to more than the agent's cpus")
@ValidationRule(
    value =
        "!has(self.reservations) || self.reservations.map(r, has(r.resources.mem) ?"
            + " r.resources.mem : 0.0).sum() <= (has(self.resources.mem) ? self.resources.mem : 0.0)",
    message = "the reservations' mem add up to more than the agent's mem")
@ValidationRule(
    value =
        "!has(self.reservations) || self.reservations.map(r, has(r.resources.disk) ?"
            + " r.resources.disk : 0.0).sum() <= (has(self.resources.disk) ? self.resources.disk : 0.0)",
    message = "the reservations' disk add up to more than the agent's disk")
@ValidationRule(
    value =
        "!has(self.reservations) || self.reservations.map(r, has(r.resources.gpus) ?"
            + " r.resources.gpus : 0).sum() <= (has(self.resources.gpus) ? self.resources.gpus : 0)",
    message = "the reservations' gpus add up to more than the agent's gpus")
@ValidationRule(
    value = "!has(self.attributes) || self.attributes.all(k, k.matches('^[A-Za-z0-9_.:/-]+$'))",
    message = "attribute names may only hold letters, digits and _ . : / -")
public record AgentSpec(
    @JsonPropertyDescription("Kubernetes node the agent runs on.") @Size(max = 253) String nodeName,
    @JsonPropertyDescription("Host name tasks and frameworks reach the agent by.") @Size(max = 253)
        String hostname,
    @JsonPropertyDescription(
            "Resources the agent offers in total; the rest of the node stays with the kubelet.")
        @Required
        Resources resources,
    @JsonPropertyDescription("Parts of the total reserved for roles.") @Size(max = 32)
        List<Reservation> reservations,
    @JsonPropertyDescription("Attributes for placement, e.g. rack: r1, zone: a.") @Size(max = 64)
        Map<String, @Size(max = 256) String> attributes,
    @JsonPropertyDescription("Set to drain the agent or take it down.") Maintenance maintenance) {}
