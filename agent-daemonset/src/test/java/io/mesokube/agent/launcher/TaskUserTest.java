package io.mesokube.agent.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user switch: tests run as root and switch to nobody (65534), as CI does. */
class TaskUserTest {
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
  void resolvesNobody() throws Exception {
    TaskUser nobody = TaskUser.resolve("nobody");

    assertThat(nobody.uid()).isEqualTo(65534);
    assertThat(nobody.name()).isEqualTo("nobody");
  }

  @Test
  void refusesAnUnknownUser() {
    assertThatThrownBy(() -> TaskUser.resolve("no-such-user-here"))
        .isInstanceOf(LaunchException.class)
        .hasMessage("unknown user 'no-such-user-here': no such user on this host");
  }

  @Test
  void taskRunsAsTheUserInItsOwnSandbox() throws Exception {
    TaskUser nobody = TaskUser.resolve("nobody");
    LaunchSpec spec =
        fixture
            .spec(
                "as-nobody",
                "/bin/sh",
                "-c",
                "id -u; id -g; grep ^CapInh /proc/self/status; " + "echo written > owned")
            .withUser(nobody);

    assertThat(fixture.launch(spec).exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(0));

    assertThat(fixture.stdout(spec))
        .isEqualTo("65534\n" + nobody.gid() + "\nCapInh:\t0000000000000000\n");
    assertThat(Files.getAttribute(spec.sandboxDir().resolve("owned"), "unix:uid")).isEqualTo(65534);
  }

  @Test
  void bareIdsNeedNoPasswdEntry() throws Exception {
    LaunchSpec spec =
        fixture
            .spec("bare-ids", "/bin/sh", "-c", "id -u; id -G")
            .withUser(TaskUser.ofIds(4242, 4343));

    assertThat(fixture.launch(spec).exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(0));

    assertThat(fixture.stdout(spec)).isEqualTo("4242\n4343\n");
  }

  @Test
  void programTheUserMayNotRunEndsWith126WithoutHanging() throws Exception {
    Path rootOnly = tempDir.resolve("root-only");
    Files.writeString(rootOnly, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rwx------"));
    LaunchSpec spec =
        fixture.spec("denied", rootOnly.toString()).withUser(TaskUser.resolve("nobody"));

    assertThat(fixture.launch(spec).exit()).succeedsWithin(WAIT).isEqualTo(ExitStatus.exited(126));
    assertThat(spec.sandboxDir().resolve("stderr")).content().contains("Permission denied");
  }
}
