package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void countsFieldsFromTheLastParenthesisOfTheCommandName() {
    String line =
        "4242 (a) (b c) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 "
            + "2445312 200 18446744073709551615 1 1 0 0 0 0 0 6 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0";

    ProcStat stat = ProcStat.parse(4242, line);

    assertThat(stat).isEqualTo(new ProcStat(4242, 'S', 17, 987654));
    assertThat(stat.running()).isTrue();
  }

  @Test
  void readsThisProcess() {
    long pid = ProcessHandle.current().pid();

    ProcStat stat = ProcStat.read(pid).orElseThrow();

    assertThat(stat.parentPid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
    assertThat(stat.running()).isTrue();
    assertThat(ProcStat.bootId()).matches("[0-9a-f-]{36}");
  }
}
