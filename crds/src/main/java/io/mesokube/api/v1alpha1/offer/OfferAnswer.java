package io.mesokube.api.v1alpha1.offer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A framework's one answer to an offer: accept with operations, or decline with a filter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type == 'Accept' || !has(self.operations)",
    message = "a Decline carries no operations")
public record OfferAnswer(
    @JsonPropertyDescription("Accept or Decline.") @Required Type type,
    @JsonPropertyDescription("For Accept: operations applied atomically, in order.") @Size(max = 16)
        List<OfferOperation> operations,
    @JsonPropertyDescription(
            "Seconds during which the unused resources of this agent are not offered to the"
                + " framework again (Mesos Filters.refuse_seconds).")
        @Default("5")
        @Min(0)
        @Max(31536000)
        Double refuseSeconds) {

  /** Accept or decline. */
  public enum Type {
    /** Use some or all of the offer; the rest returns to the pool. */
    Accept,
    /** Use none of it. */
    Decline
  }
}
