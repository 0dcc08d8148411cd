package io.mesokube.agent.sandbox;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FilesResourceTest.TempStateDir.class)
class FilesResourceTest {
  /**
   * A fresh state directory, and no Kubernetes: these endpoints need neither a cluster nor root.
   */
  public static class TempStateDir implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path state = Files.createTempDirectory("mesokube-agent-state");
        // Deleted at exit if the tests left it empty, as they do.
        state.toFile().deleteOnExit();
        state.resolve("sandboxes").toFile().deleteOnExit();
        return Map.of(
            "mesokube.agent.state-dir", state.toString(),
            "quarkus.kubernetes-client.devservices.enabled", "false",
            "quarkus.http.test-port", "0");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final byte[] BYTES = SandboxFilesTest.TEXT.getBytes(UTF_8);

  @Inject Sandboxes sandboxes;
  @Inject LogRotation rotation;
  @Inject SandboxGc gc;
  Sandbox sandbox;
  String stdout;

  @BeforeEach
  void createSandbox() throws IOException {
    sandbox = sandboxes.create("ns", "task", SandboxesTest.uid(), -1, -1);
    stdout = sandbox.dir().resolve("stdout").toString();
    Files.write(Path.of(stdout), BYTES);
  }

  @AfterEach
  void removeSandbox() throws IOException {
    sandboxes.remove(sandbox);
  }

  @Test
  void readReturnsTheBytesWrittenAsMesosJson() {
    long clef =
        SandboxFilesTest.TEXT
            .substring(0, SandboxFilesTest.TEXT.indexOf("𝄞"))
            .getBytes(UTF_8)
            .length;
    for (long[] window : new long[][] {{0, 5}, {0, -1}, {13, 2}, {clef, 4}, {clef, 1000}, {3, 0}}) {
      Response response = read(stdout, window[0], window[1]);
      response.then().statusCode(200).contentType("application/json");
      long offset = response.jsonPath().getLong("offset");
      byte[] data = response.jsonPath().getString("data").getBytes(UTF_8);
      assertThat(offset).isEqualTo(window[0]);
      assertThat(data)
          .isEqualTo(Arrays.copyOfRange(BYTES, (int) offset, (int) offset + data.length));
      long expected =
          window[1] == -1 ? BYTES.length - offset : Math.min(window[1], BYTES.length - offset);
      assertThat(data).hasSize((int) expected);
    }
  }

  @Test
  void readWithoutOffsetOrPastTheEndAnswersTheSize() {
    given()
        .queryParam("path", stdout)
        .get("/files/read")
        .then()
        .statusCode(200)
        .body("data", equalTo(""))
        .body("offset", equalTo(BYTES.length));
    read(stdout, -1, -1).then().body("data", equalTo("")).body("offset", equalTo(BYTES.length));
    read(stdout, 10_000, 5).then().body("data", equalTo("")).body("offset", equalTo(BYTES.length));
  }

  @Test
  void browseListsTheSandbox() {
    String dir = sandbox.dir().toString();
    given()
        .queryParam("path", dir)
        .get("/files/browse")
        .then()
        .statusCode(200)
        .body("", hasSize(2))
        .body("[0].path", equalTo(dir + "/stderr"))
        .body("[1].path", equalTo(stdout))
        .body("[1].size", equalTo(BYTES.length))
        .body("[1].mode", equalTo("-rw-r-----"))
        .body("[1].nlink", equalTo(1))
        .body("[1].uid", equalTo(System.getProperty("user.name")));
  }

  @Test
  void downloadReturnsTheBytesAsAnAttachment() throws IOException {
    byte[] binary = {0, (byte) 0xFF, (byte) 0xC3, 'a', '\n'};
    Path blob = Files.write(sandbox.dir().resolve("blob.bin"), binary);
    byte[] body =
        given()
            .queryParam("path", blob.toString())
            .get("/files/download")
            .then()
            .statusCode(200)
            .contentType("application/octet-stream")
            .header("Content-Disposition", "attachment; filename=\"blob.bin\"")
            .extract()
            .asByteArray();
    assertThat(body).isEqualTo(binary);
  }

  @Test
  void refusesEscapesWith403AndNoContent() throws IOException {
    Files.createSymbolicLink(sandbox.dir().resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(sandbox.dir().resolve("etc"), Path.of("/etc"));
    String dir = sandbox.dir().toString();
    for (String path :
        new String[] {
          dir + "/../../../../../../etc/passwd", "/etc/passwd", dir + "/passwd", dir + "/etc/passwd"
        }) {
      for (String endpoint : new String[] {"read", "download", "browse"}) {
        given()
            .queryParam("path", path)
            .queryParam("offset", 0)
            .get("/files/" + endpoint)
            .then()
            .statusCode(403)
            .body(not(containsString("root:")));
      }
    }
    // Encoded by hand, as a client that sends %2e%2e and %2f would.
    for (String encoded :
        new String[] {
          dir + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
          dir + "%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
          "%2Fetc%2Fpasswd"
        }) {
      given()
          .urlEncodingEnabled(false)
          .get("/files/read?offset=0&path=" + encoded)
          .then()
          .statusCode(403)
          .body(not(containsString("root:")));
    }
  }

  @Test
  void answersMesosStatusCodes() {
    given().get("/files/read").then().statusCode(400);
    given()
        .queryParam("path", stdout)
        .queryParam("offset", "ten")
        .get("/files/read")
        .then()
        .statusCode(400)
        .body(containsString("offset"));
    read(stdout, -7, 1).then().statusCode(400);
    given().queryParam("path", sandbox.dir().toString()).get("/files/read").then().statusCode(400);
    given().queryParam("path", stdout + ".missing").get("/files/download").then().statusCode(404);
  }

  @Test
  void producesRotationAndGcFromTheDefaults() throws IOException {
    // 10 MB per log and a week's delay: nothing here is due.
    assertThat(rotation.rotateAll()).isEmpty();
    assertThat(gc.collect(sandbox -> true)).isEmpty();
  }

  private static Response read(String path, long offset, long length) {
    return given()
        .queryParam("path", path)
        .queryParam("offset", offset)
        .queryParam("length", length)
        .get("/files/read");
  }
}
