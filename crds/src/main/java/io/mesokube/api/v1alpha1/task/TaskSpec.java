package io.mesokube.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.mesokube.api.v1alpha1.common.Patterns;
import io.mesokube.api.v1alpha1.common.Resources;

/**
 * What a task runs, with which resources, for which framework; and, once bound, where (Mesos'
 * TaskInfo).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.command) && (has(self.command.shell) || has(self.command.argv)))"
            + " || has(self.container)",
    message = "a task needs a command (shell or argv) or a container image")
@ValidationRule(
    value =
        "(has(self.resources.cpus) && self.resources.cpus > 0.0)"
            + " || (has(self.resources.mem) && self.resources.mem > 0.0)",
    message = "a task needs some cpus or mem")
@ValidationRule(
    value = "!has(self.resources.cpus) || self.resources.cpus >= 0.001",
    message =
        "a task's cpus must be at least 0.001 (a thousandth of a core, the finest share that is"
            + " accounted)")
@ValidationRule(
    value = "!has(self.resources.mem) || self.resources.mem >= 1.0",
    message = "a task's mem must be at least 1 (MiB)")
@ValidationRule(
    value = "!has(self.offer) || has(self.agent)",
    message = "a task that names an offer must name its agent")
public record TaskSpec(
    @JsonPropertyDescription("Name of the Framework (in this namespace) the task belongs to.")
        @Required
        @Pattern(Patterns.OBJECT_NAME)
        @Size(max = 63)
        String framework,
    @JsonPropertyDescription(
            "Role whose resources the task uses; defaults to the framework's only role.")
        @Pattern(Patterns.ROLE)
        @Size(max = 128)
        String role,
    @JsonPropertyDescription("Resources the task is given; its cgroup is limited to them.")
        @Required
        Resources resources,
    @JsonPropertyDescription("The command to run; optional when the container image has one.")
        CommandSpec command,
    @JsonPropertyDescription("Image to run the task in; without it the task runs on the host.")
        ContainerSpec container,
    @JsonPropertyDescription("Health check; the task is killed after too many failures.")
        HealthCheckSpec healthCheck,
    @JsonPropertyDescription("How the task is killed.") KillPolicy killPolicy,
    @JsonPropertyDescription(
            "Agent the task is bound to. Set by the framework's accept or by the operator for"
                + " Managed frameworks; fixed once set. Selectable: agents watch their tasks"
                + " with the field selector spec.agent=<name>.")
        @Pattern(Patterns.OBJECT_NAME)
        @Size(max = 63)
        String agent,
    @JsonPropertyDescription("Offer the task was launched from, if any.")
        @Pattern(Patterns.OBJECT_NAME)
        @Size(max = 253)
        String offer,
    @JsonPropertyDescription(
            "Set to true to kill the task (with its kill policy) and keep the object; cannot be"
                + " undone.")
        @Default("false")
        Boolean kill) {

  /** CPUs a task is given and charged for when its resources name none. */
  public static final double DEFAULT_CPUS = 0.1;

  /** Memory (MiB) a task is given and charged for when its resources name none. */
  public static final double DEFAULT_MEM = 32;

  /**
   * The resources the task is limited to and charged for: its own, with {@link #DEFAULT_CPUS} and
   * {@link #DEFAULT_MEM} for what it leaves out, so that a task without mem is neither unlimited on
   * its agent nor free in its role's quota.
   */
  public Resources charged() {
    Resources r = resources == null ? Resources.NONE : resources;
    return new Resources(
        r.cpus() == null ? DEFAULT_CPUS : r.cpus(),
        r.mem() == null ? DEFAULT_MEM : r.mem(),
        r.disk(),
        r.gpus(),
        r.ports());
  }
}
