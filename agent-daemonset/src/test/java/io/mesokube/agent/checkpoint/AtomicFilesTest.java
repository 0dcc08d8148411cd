package io.mesokube.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesContentAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("task.json");

    AtomicFiles.write(file, bytes("first"));
    AtomicFiles.write(file, bytes("second"));

    assertThat(AtomicFiles.read(file)).isEqualTo(bytes("second"));
    try (var entries = Files.list(dir)) {
      assertThat(entries).containsExactly(file);
    }
  }

  @Test
  void crashBeforeTheRenameLeavesTheOldContentAndATemporaryFileThatIsCleanedUp() throws Exception {
    Path file = dir.resolve("updates.json");
    AtomicFiles.write(file, bytes("{\"complete\":true}"));
    // A crash halfway through a write: half a temporary file, never renamed.
    Path torn = dir.resolve(".updates.json.1c8e9a52-0000-4000-8000-000000000000.tmp");
    Files.write(torn, bytes("{\"comp"));

    assertThat(AtomicFiles.read(file)).isEqualTo(bytes("{\"complete\":true}"));
    assertThat(AtomicFiles.isTemporary(torn)).isTrue();
    assertThat(AtomicFiles.isTemporary(file)).isFalse();

    assertThat(AtomicFiles.removeTemporaries(dir)).isEqualTo(1);
    assertThat(torn).doesNotExist();
    assertThat(file).exists();
  }

  @Test
  void readIfExistsTellsAbsenceApart() throws Exception {
    assertThat(AtomicFiles.readIfExists(dir.resolve("absent"))).isEmpty();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
