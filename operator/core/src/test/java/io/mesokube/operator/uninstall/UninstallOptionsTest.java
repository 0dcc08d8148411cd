package io.mesokube.operator.uninstall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UninstallOptionsTest {
  @Test
  void theDefaultsWaitFourMinutesForHelmUninstall() {
    assertThat(UninstallOptions.parse(List.of()))
        .isEqualTo(new UninstallOptions(Duration.ofMinutes(4), "helm uninstall", false));
  }

  @Test
  void theTimeoutIsADurationAsEveryMesokubeSetting() {
    assertThat(UninstallOptions.parse(List.of("--timeout=90s")).timeout())
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(UninstallOptions.parse(List.of("--timeout=PT10M")).timeout())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(UninstallOptions.parse(List.of("--timeout=1h", "--reason=node pool gone")))
        .isEqualTo(new UninstallOptions(Duration.ofHours(1), "node pool gone", false));
  }

  @Test
  void aBadArgumentIsRefusedWithAMessageThatNamesIt() {
    assertThatThrownBy(() -> UninstallOptions.parse(List.of("--timeout=soon")))
        .hasMessageContaining("'soon'");
    assertThatThrownBy(() -> UninstallOptions.parse(List.of("--timeout=-5s")))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> UninstallOptions.parse(List.of("--timeout=")))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> UninstallOptions.parse(List.of("--reason=")))
        .hasMessageContaining("--reason");
    assertThatThrownBy(() -> UninstallOptions.parse(List.of("--reason=" + "x".repeat(1025))))
        .hasMessageContaining("1025");
    assertThatThrownBy(() -> UninstallOptions.parse(List.of("--timeout", "4m")))
        .hasMessage("unknown argument: --timeout");
  }

  @Test
  void helpPrintsTheUsageAndABadArgumentItOnStderr() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    UninstallOptions help = UninstallCommand.options(List.of("--help"), print(out), print(err));
    UninstallOptions bad = UninstallCommand.options(List.of("--wait"), print(out), print(err));

    assertThat(help.help()).isTrue();
    assertThat(bad).isNull();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: uninstall");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("uninstall: unknown argument: --wait\nUsage: uninstall");
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
