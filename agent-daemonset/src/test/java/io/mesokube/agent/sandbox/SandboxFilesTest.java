package io.mesokube.agent.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxFilesTest {
  // ASCII, 2-, 3- and 4-byte characters, and a newline.
  static final String TEXT = "plain ASCII, é and ü, ✓ and €, 𝄞 and 😀; done.\n";
  static final byte[] BYTES = TEXT.getBytes(UTF_8);

  @TempDir Path state;
  Sandboxes sandboxes;
  Sandbox sandbox;
  SandboxFiles files;
  String stdout;

  @BeforeEach
  void createSandbox() throws IOException {
    sandboxes = new Sandboxes(state.resolve("sandboxes"));
    sandbox = sandboxes.create("ns", "task", SandboxesTest.uid(), -1, -1);
    files = new SandboxFiles(sandboxes.root());
    stdout = sandbox.dir().resolve("stdout").toString();
    Files.write(Path.of(stdout), BYTES);
  }

  @Test
  void readReturnsTheBytesWrittenAtOffsetsOnCharacterBoundaries() throws IOException {
    assertThat(files.read(stdout, 0, -1)).isEqualTo(new SandboxFiles.Chunk(TEXT, 0));
    assertThat(files.read(stdout, 0, 5).data()).isEqualTo("plain");
    int eAcute = TEXT.indexOf('é'); // All ASCII before it: its byte offset equals its index.
    assertThat(files.read(stdout, eAcute, 2).data()).isEqualTo("é");
    long clef = TEXT.substring(0, TEXT.indexOf("𝄞")).getBytes(UTF_8).length;
    assertThat(files.read(stdout, clef, 4)).isEqualTo(new SandboxFiles.Chunk("𝄞", clef));
    assertThat(files.read(stdout, BYTES.length - 6, 100))
        .isEqualTo(new SandboxFiles.Chunk("done.\n", BYTES.length - 6));
  }

  @Test
  void offsetMinusOneOrPastTheEndAnswersTheSize() throws IOException {
    SandboxFiles.Chunk atEnd = new SandboxFiles.Chunk("", BYTES.length);
    assertThat(files.read(stdout, -1, -1)).isEqualTo(atEnd);
    assertThat(files.read(stdout, -1, 10)).isEqualTo(atEnd);
    assertThat(files.read(stdout, BYTES.length, 10)).isEqualTo(atEnd);
    assertThat(files.read(stdout, BYTES.length + 1000, 10)).isEqualTo(atEnd);
    assertThat(files.read(stdout, 3, 0)).isEqualTo(new SandboxFiles.Chunk("", 3));
  }

  @Test
  void pagesOfAnyLengthFromAnyOffsetJoinBackIntoTheFile() throws IOException {
    for (int length = 1; length <= 9; length++) {
      for (int from = 0; from < BYTES.length; from++) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        long offset = from;
        long start = -1;
        while (offset < BYTES.length) {
          SandboxFiles.Chunk page = files.read(stdout, offset, length);
          byte[] data = page.data().getBytes(UTF_8);
          // Each page is exactly the file's bytes where it says it starts.
          assertThat(data)
              .isEqualTo(
                  Arrays.copyOfRange(
                      BYTES, (int) page.offset(), (int) page.offset() + data.length));
          assertThat(page.offset()).isBetween(offset, offset + 3);
          start = start < 0 ? page.offset() : start;
          joined.writeBytes(data);
          offset = page.offset() + data.length;
        }
        assertThat(joined.toByteArray())
            .isEqualTo(Arrays.copyOfRange(BYTES, (int) start, BYTES.length));
      }
    }
  }

  @Test
  void aCharacterStillBeingWrittenWaitsForItsLastBytes() throws IOException {
    byte[] euro = "€".getBytes(UTF_8);
    Files.write(Path.of(stdout), new byte[] {'a', euro[0], euro[1]});
    assertThat(files.read(stdout, 0, -1)).isEqualTo(new SandboxFiles.Chunk("a", 0));

    Files.write(Path.of(stdout), new byte[] {euro[2]}, StandardOpenOption.APPEND);
    assertThat(files.read(stdout, 1, -1)).isEqualTo(new SandboxFiles.Chunk("€", 1));
  }

  @Test
  void bytesThatAreNotUtf8BecomeReplacementCharacters() throws IOException {
    Files.write(Path.of(stdout), new byte[] {'o', 'k', (byte) 0xFF, '!'});
    assertThat(files.read(stdout, 0, -1).data()).isEqualTo("ok\uFFFD!");
  }

  @Test
  void aPageIsCappedAtMaxPage() throws IOException {
    Files.write(Path.of(stdout), "x".repeat(SandboxFiles.MAX_PAGE + 10).getBytes(UTF_8));
    assertThat(files.read(stdout, 0, -1).data()).hasSize(SandboxFiles.MAX_PAGE);
    assertThat(files.read(stdout, 5, Long.MAX_VALUE).data()).hasSize(SandboxFiles.MAX_PAGE);
  }

  @Test
  void browseListsEntriesSortedWithSizesAndModes() throws IOException {
    Path work = Files.createDirectory(sandbox.dir().resolve("work"));
    Files.createSymbolicLink(sandbox.dir().resolve("passwd"), Path.of("/etc/passwd"));
    String dir = sandbox.dir().toString();

    assertThat(files.browse(dir))
        .extracting(
            SandboxFiles.FileInfo::path, SandboxFiles.FileInfo::size, f -> f.mode().charAt(0))
        .containsExactly(
            tuple(dir + "/passwd", (long) "/etc/passwd".length(), 'l'),
            tuple(dir + "/stderr", 0L, '-'),
            tuple(dir + "/stdout", (long) BYTES.length, '-'),
            tuple(dir + "/work", Files.size(work), 'd'));
    SandboxFiles.FileInfo info = files.browse(stdout).getFirst();
    assertThat(info.mode()).isEqualTo("-rw-r-----");
    assertThat(info.nlink()).isEqualTo(1);
    assertThat(info.uid()).isEqualTo(System.getProperty("user.name"));
    assertThat(info.mtime())
        .isEqualTo(Files.getLastModifiedTime(Path.of(stdout)).toMillis() / 1000);
  }

  @Test
  void downloadStreamsTheExactBytes() throws IOException {
    byte[] binary = {0, 1, (byte) 0xFF, (byte) 0xC3, 10, 13, 127};
    Files.write(sandbox.dir().resolve("blob"), binary);
    SandboxFiles.Download download = files.download(sandbox.dir().resolve("blob").toString());
    try (InputStream content = download.content()) {
      assertThat(content.readAllBytes()).isEqualTo(binary);
    }
    assertThat(download.fileName()).isEqualTo("blob");
    assertThat(download.size()).isEqualTo(binary.length);
  }

  @Test
  void refusesEveryWayOutOfTheRoot() throws IOException {
    Path outside = Files.createDirectory(state.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createSymbolicLink(sandbox.dir().resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(sandbox.dir().resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(sandbox.dir().resolve("up"), outside);
    String dir = sandbox.dir().toString();

    for (String path :
        new String[] {
          dir + "/../../../../outside/secret",
          dir + "/..",
          state.resolve("sandboxes") + "/../outside/secret",
          "/etc/passwd",
          outside.resolve("secret").toString(),
          dir + "/passwd",
          dir + "/etc/passwd",
          dir + "/etc",
          dir + "/up/secret",
          dir + "/up",
        }) {
      assertStatus(403, () -> files.read(path, 0, -1));
      assertStatus(403, () -> files.download(path));
      assertStatus(403, () -> files.browse(path));
    }
  }

  @Test
  void theDescriptorWalkRefusesALinkSwappedInAfterTheCheck() throws IOException {
    // What a task's swap between resolving a path and opening it leaves: links where a directory
    // and a file were checked. The walk fails rather than follows them.
    Path outside = Files.createDirectory(state.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createSymbolicLink(sandbox.dir().resolve("work"), outside);
    Files.createSymbolicLink(sandbox.dir().resolve("log"), outside.resolve("secret"));
    Path relative = sandboxes.root().relativize(sandbox.dir());

    assertThatThrownBy(() -> SecureDirs.open(sandboxes.root(), relative.resolve("work")))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(NoSuchFileException.class);
    try (SecureDirectoryStream<Path> dir = SecureDirs.open(sandboxes.root(), relative)) {
      assertThatThrownBy(() -> dir.newByteChannel(Path.of("log"), Set.of(READ, NOFOLLOW_LINKS)))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void followsLinksThatStayInsideTheRoot() throws IOException {
    Files.createSymbolicLink(sandbox.dir().resolve("out"), Path.of("stdout"));
    assertThat(files.read(sandbox.dir().resolve("out").toString(), 0, -1).data()).isEqualTo(TEXT);
  }

  @Test
  void answersMesosStatusCodes() throws IOException {
    String dir = sandbox.dir().toString();
    assertStatus(400, () -> files.read(null, 0, -1));
    assertStatus(400, () -> files.read("", 0, -1));
    assertStatus(400, () -> files.read("relative/stdout", 0, -1));
    assertStatus(400, () -> files.read(stdout, -2, -1));
    assertStatus(400, () -> files.read(stdout, 0, -2));
    assertStatus(400, () -> files.read(dir, 0, -1));
    assertStatus(400, () -> files.download(dir));
    assertStatus(404, () -> files.read(dir + "/missing", 0, -1));
    assertStatus(404, () -> files.browse(dir + "/missing/deeper"));
    assertStatus(404, () -> files.read(stdout + "/below-a-file", 0, -1));
    Files.createSymbolicLink(sandbox.dir().resolve("loop"), Path.of("loop"));
    assertStatus(404, () -> files.read(dir + "/loop", 0, -1));
  }

  static void assertStatus(int status, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FilesException.class, e -> assertThat(e.status()).isEqualTo(status));
  }
}
