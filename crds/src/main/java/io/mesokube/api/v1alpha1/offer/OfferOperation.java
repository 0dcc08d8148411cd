package io.mesokube.api.v1alpha1.offer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.mesokube.api.v1alpha1.common.Patterns;
import io.mesokube.api.v1alpha1.common.Resources;
import io.mesokube.api.v1alpha1.task.TaskSpec;
import java.util.List;
import java.util.Map;

/** One operation of an accept (Mesos {@code Offer.Operation}): launch tasks or reserve. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.type == 'LAUNCH') == has(self.launch)",
    message = "a LAUNCH operation needs launch, and only it has one")
@ValidationRule(
    value = "(self.type == 'RESERVE' || self.type == 'UNRESERVE') == has(self.reservation)",
    message = "RESERVE and UNRESERVE operations need reservation, and only they have one")
public record OfferOperation(
    @JsonPropertyDescription("LAUNCH, RESERVE or UNRESERVE.") @Required Type type,
    @JsonPropertyDescription("Tasks to launch from the offer's resources.") Launch launch,
    @JsonPropertyDescription("Resources to (un)reserve dynamically for a role on the agent.")
        Reservation reservation) {

  /** The kind of operation. */
  public enum Type {
    /** Launch tasks. */
    LAUNCH,
    /** Reserve resources for a role on the offer's agent. */
    RESERVE,
    /** Release a dynamic reservation. */
    UNRESERVE
  }

  /** Tasks to launch, all or none. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Launch(
      @JsonPropertyDescription("Tasks to create; all are launched or none is.")
          @Required
          @Size(min = 1, max = 64)
          List<TaskTemplate> tasks) {}

  /** A task to create by an accept: the Task's name, labels and spec. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TaskTemplate(
      @JsonPropertyDescription("Name of the Task object to create, unique in the namespace.")
          @Required
          @Pattern(Patterns.OBJECT_NAME)
          @Size(max = 253)
          String name,
      @JsonPropertyDescription("Labels of the Task object.") @Size(max = 64)
          Map<String, String> labels,
      @JsonPropertyDescription("The Task's spec; agent and offer are filled in from the offer.")
          @Required
          TaskSpec spec) {}

  /** A dynamic reservation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Reservation(
      @JsonPropertyDescription("Role to reserve for.")
          @Required
          @Pattern(Patterns.ROLE)
          @Size(max = 128)
          String role,
      @JsonPropertyDescription("Resources to reserve or unreserve.") @Required
          Resources resources) {}
}
