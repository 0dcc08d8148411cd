package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent restart, simulated: the test JVM cannot be killed, so a second launcher on the same
 * state dir, sharing no memory with the first, plays the restarted agent.
 */
class TaskRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tempDir;
  private LaunchFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new LaunchFixture(tempDir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void runningTaskIsRecoveredAndItsExitStatusReported() throws Exception {
    LaunchSpec spec = fixture.blocked("survivor", 7);
    TaskProcess launched = fixture.launch(spec);
    fixture.launcher.close();

    Recovery recovery = fixture.newLauncher().recover(spec.runDir());

    assertThat(recovery).isInstanceOf(Recovery.Running.class);
    TaskProcess recovered = ((Recovery.Running) recovery).process();
    assertThat(recovered.taskPid()).isEqualTo(launched.taskPid());
    assertThat(recovered.supervisor()).isEqualTo(launched.supervisor());
    assertThat(recovered.exit()).isNotDone();
    fixture.release(spec);
    assertThat(recovered.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(7));
  }

  @Test
  void taskThatEndedWhileTheAgentWasDownIsReportedWithItsRealStatus() throws Exception {
    LaunchSpec exited = fixture.spec("exited-meanwhile", "/bin/sh", "-c", "exit 5");
    LaunchSpec killed = fixture.blocked("killed-meanwhile", 0);
    fixture.launch(exited);
    TaskProcess victim = fixture.launch(killed);
    fixture.launcher.close();
    // The agent is down: no launcher watches while these end.
    ProcessHandle.of(victim.taskPid()).orElseThrow().destroyForcibly();
    await().atMost(WAIT).until(() -> Files.exists(exited.runDir().resolve(RunDir.EXIT)));
    await().atMost(WAIT).until(() -> Files.exists(killed.runDir().resolve(RunDir.EXIT)));

    TaskLauncher restarted = fixture.newLauncher();

    assertThat(restarted.recover(exited.runDir()))
        .isEqualTo(new Recovery.Exited(ExitStatus.exited(5)));
    assertThat(restarted.recover(killed.runDir()))
        .isEqualTo(new Recovery.Exited(ExitStatus.signaled(9)));
  }

  @Test
  void supervisorIgnoresTermHupAndInt() throws Exception {
    LaunchSpec spec = fixture.blocked("stubborn", 7);
    TaskProcess task = fixture.launch(spec);
    long supervisor = task.supervisor().pid();

    for (String signal : new String[] {"TERM", "HUP", "INT"}) {
      // The shell's own kill: a minimal Debian has no kill program (procps).
      Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + supervisor).start();
      assertThat(kill.waitFor()).isZero();
    }

    await()
        .during(Duration.ofMillis(300))
        .atMost(WAIT)
        .until(() -> task.supervisor().isAlive() && !task.exit().isDone());
    fixture.release(spec);
    assertThat(task.exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(7));
  }

  @Test
  void recordWithAnotherStartTimeIsNotTakenForTheSupervisor() throws Exception {
    LaunchSpec spec = fixture.blocked("reused-pid", 0);
    SupervisorId real = fixture.launch(spec).supervisor();
    // What a recycled pid looks like: a live process with that pid, started at another time.
    Files.writeString(
        spec.runDir().resolve(RunDir.SUPERVISOR),
        real.pid() + " " + (real.startTime() + 1) + " " + real.bootId() + "\n");

    Recovery recovery = fixture.newLauncher().recover(spec.runDir());

    assertThat(recovery).isInstanceOf(Recovery.Lost.class);
    assertThat(((Recovery.Lost) recovery).cause()).isEqualTo(LostCause.SUPERVISOR_DIED);
  }

  @Test
  void supervisorFromAnEarlierBootIsGone() throws Exception {
    Path runDir = Files.createDirectories(tempDir.resolve("tasks/rebooted"));
    Files.writeString(
        runDir.resolve(RunDir.SUPERVISOR), "1 1 00000000-dead-beef-0000-000000000000\n");

    Recovery recovery = fixture.newLauncher().recover(runDir);

    assertThat(recovery).isInstanceOf(Recovery.Lost.class);
    assertThat(((Recovery.Lost) recovery).cause()).isEqualTo(LostCause.HOST_REBOOTED);
  }

  @Test
  void runDirWithoutSupervisorRecordWasNeverStarted() throws Exception {
    Path runDir = Files.createDirectories(tempDir.resolve("tasks/cut-short"));

    Recovery recovery = fixture.newLauncher().recover(runDir);

    assertThat(recovery).isInstanceOf(Recovery.Lost.class);
    assertThat(((Recovery.Lost) recovery).cause()).isEqualTo(LostCause.NEVER_STARTED);
  }

  @Test
  void killedSupervisorFailsTheRecoveredFutureAndLaterRecoveries() throws Exception {
    LaunchSpec spec = fixture.blocked("orphaned", 0);
    TaskProcess launched = fixture.launch(spec);
    TaskProcess recovered =
        ((Recovery.Running) fixture.newLauncher().recover(spec.runDir())).process();

    ProcessHandle.of(launched.supervisor().pid()).orElseThrow().destroyForcibly();

    assertThat(recovered.exit())
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            TaskLostException.class,
            lost -> assertThat(lost.lostCause()).isEqualTo(LostCause.SUPERVISOR_DIED));
    assertThat(fixture.newLauncher().recover(spec.runDir())).isInstanceOf(Recovery.Lost.class);
    assertThat(launched.exit()).failsWithin(WAIT);
  }
}
