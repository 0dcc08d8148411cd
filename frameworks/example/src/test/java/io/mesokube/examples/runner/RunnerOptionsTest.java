package io.mesokube.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class RunnerOptionsTest {

  @Test
  void parsesBothFlagForms() {
    var options =
        RunnerOptions.parse(
            "--namespace",
            "ns",
            "--name=batch",
            "--role",
            "eng",
            "--tasks",
            "10",
            "--cpus=0.5",
            "--mem",
            "64",
            "--command",
            "echo hi && exit 0",
            "--max-retries",
            "2");

    assertThat(options)
        .isEqualTo(new RunnerOptions("ns", "batch", "eng", 10, 0.5, 64, "echo hi && exit 0", 2));
  }

  @Test
  void hasDefaults() {
    var options = RunnerOptions.parse();

    assertThat(options.namespace()).isNull();
    assertThat(options.name()).isEqualTo("runner");
    assertThat(options.role()).isEqualTo("*");
    assertThat(options.tasks()).isEqualTo(1);
    assertThat(options.maxRetries()).isEqualTo(3);
  }

  @Test
  void refusesUnknownFlagsMissingValuesAndBadNumbers() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunnerOptions.parse("--color", "red"))
        .withMessageContaining("unknown flag --color")
        .withMessageContaining("usage:");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunnerOptions.parse("--tasks"))
        .withMessageContaining("--tasks needs a value");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunnerOptions.parse("--tasks", "many"))
        .withMessageContaining("not a number");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RunnerOptions.parse("--tasks", "0"))
        .withMessageContaining("--tasks must be at least 1");
  }
}
