package io.mesokube.api.v1alpha1.task;

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

/** A Mesos health check: a command, an HTTP GET or a TCP connect, with Mesos' timing rules. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.type == 'COMMAND') == has(self.command)",
    message = "a COMMAND health check needs command, and only it has one")
@ValidationRule(
    value = "(self.type == 'HTTP') == has(self.http)",
    message = "an HTTP health check needs http, and only it has one")
@ValidationRule(
    value = "(self.type == 'TCP') == has(self.tcp)",
    message = "a TCP health check needs tcp, and only it has one")
public record HealthCheckSpec(
    @JsonPropertyDescription("COMMAND, HTTP or TCP.") @Required Type type,
    @JsonPropertyDescription("Command check: healthy when it exits 0.") Command command,
    @JsonPropertyDescription("HTTP check: healthy on a 2xx or 3xx answer.") Http http,
    @JsonPropertyDescription("TCP check: healthy when a connection opens.") Tcp tcp,
    @JsonPropertyDescription("Seconds to wait after the task starts before the first check.")
        @Default("15")
        @Min(0)
        @Max(3600)
        Integer delaySeconds,
    @JsonPropertyDescription("Seconds between checks.") @Default("10") @Min(1) @Max(3600)
        Integer intervalSeconds,
    @JsonPropertyDescription("Seconds after which a check counts as failed.")
        @Default("20")
        @Min(1)
        @Max(3600)
        Integer timeoutSeconds,
    @JsonPropertyDescription("Failures in a row after which the task is killed.")
        @Default("3")
        @Min(1)
        @Max(100)
        Integer consecutiveFailures,
    @JsonPropertyDescription(
            "Seconds after start during which failures are not counted, until a first success.")
        @Default("10")
        @Min(0)
        @Max(86400)
        Integer gracePeriodSeconds) {

  /** The kind of health check. */
  public enum Type {
    /** Run a command in the task's environment. */
    COMMAND,
    /** HTTP GET against a port of the task. */
    HTTP,
    /** TCP connect to a port of the task. */
    TCP
  }

  /** A command health check. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.shell) != has(self.argv)",
      message = "a command health check needs exactly one of shell and argv")
  public record Command(
      @JsonPropertyDescription("A command line run by /bin/sh -c.") @Size(min = 1, max = 4096)
          String shell,
      @JsonPropertyDescription("Program and arguments, run without a shell.")
          @Size(min = 1, max = 256)
          List<@Size(max = 4096) String> argv) {}

  /** An HTTP health check. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Http(
      @JsonPropertyDescription("Port on the agent host (or in the task's network).")
          @Required
          @Min(1)
          @Max(65535)
          Integer port,
      @JsonPropertyDescription("Path to GET, with its query if any; visible ASCII, no spaces.")
          @Default("/")
          @Pattern(Patterns.HTTP_PATH)
          @Size(max = 2048)
          String path,
      @JsonPropertyDescription("HTTP or HTTPS.") @Default("HTTP") Scheme scheme) {

    /** URL scheme of an HTTP check. */
    public enum Scheme {
      /** Plain HTTP. */
      HTTP,
      /** HTTPS, certificate not verified (as in Mesos). */
      HTTPS
    }
  }

  /** A TCP health check. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tcp(
      @JsonPropertyDescription("Port to connect to.") @Required @Min(1) @Max(65535) Integer port) {}
}
