package io.mesokube.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.mesokube.api.v1alpha1.common.Patterns;
import java.util.List;
import java.util.Map;

/** The command a task runs: a shell line or an argv, with environment and user (CommandInfo). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.shell) && has(self.argv))",
    message = "shell and argv are mutually exclusive: give one")
@ValidationRule(
    value =
        "!has(self.env) || self.env.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$')"
            + " && !k.startsWith('MESOS_'))",
    message =
        "env names must be shell identifiers ([A-Za-z_][A-Za-z0-9_]*) and must not start with"
            + " MESOS_, which the agent sets")
public record CommandSpec(
    @JsonPropertyDescription("A command line run by /bin/sh -c.") @Size(min = 1, max = 65536)
        String shell,
    @JsonPropertyDescription(
            "The program and its arguments, run without a shell; argv[0] is looked up in PATH.")
        @Size(min = 1, max = 1024)
        List<@Size(max = 65536) String> argv,
    @JsonPropertyDescription("Environment variables, added to the ones the agent sets.")
        @Size(max = 256)
        Map<String, @Size(max = 65536) String> env,
    @JsonPropertyDescription(
            "OS user to run as; defaults to the framework's user. root needs a RolePolicy that"
                + " allows it.")
        @Pattern(Patterns.USER)
        @Size(max = 32)
        String user) {}
