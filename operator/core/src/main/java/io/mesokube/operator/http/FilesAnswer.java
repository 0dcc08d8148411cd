package io.mesokube.operator.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import jakarta.ws.rs.core.HttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** An answer to a files request: a status, the headers passed on, and a body streamed once. */
public final class FilesAnswer {
  private static final int BUFFER = 64 * 1024;
  private static final long NOT_READING = Long.MIN_VALUE;

  private final int status;
  private final Map<String, String> headers;
  private final InputStream body;
  private final Outcome outcome;
  private final Duration idle;
  private final Consumer<Outcome> done;
  private volatile long readingSince = NOT_READING;
  private volatile boolean finished;
  private volatile boolean stalled;

  /**
   * @param idle the longest wait for the next bytes of {@code body}, or null for a body in memory
   * @param done told how the request ended once the body is passed on or broken off
   */
  FilesAnswer(
      int status,
      Map<String, String> headers,
      InputStream body,
      Outcome outcome,
      Duration idle,
      Consumer<Outcome> done) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
    this.outcome = outcome;
    this.idle = idle;
    this.done = done;
  }

  /** The proxy's own answer: {@code message} as plain text. */
  static FilesAnswer refusal(int status, Outcome outcome, String message, Consumer<Outcome> done) {
    byte[] text = (message + "\n").getBytes(UTF_8);
    return new FilesAnswer(
        status,
        Map.of(
            HttpHeaders.CONTENT_TYPE,
            "text/plain;charset=UTF-8",
            HttpHeaders.CONTENT_LENGTH,
            Integer.toString(text.length)),
        new ByteArrayInputStream(text),
        outcome,
        null,
        done);
  }

  /** The HTTP status: the agent's, or the proxy's own when it did not get one. */
  public int status() {
    return status;
  }

  /** Content-Type, and Content-Length and Content-Disposition when the agent sent them. */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Copies the body to {@code out} as it arrives, a buffer at a time, then closes it. Call once.
   *
   * @throws IOException if the agent's body broke off, stayed silent past the idle timeout, or
   *     {@code out} failed; the client then gets a truncated body, as its status is sent already
   */
  public void transferTo(OutputStream out) throws IOException {
    Outcome end = Outcome.TRUNCATED;
    try (InputStream in = body) {
      if (idle != null) {
        watch(idle.toNanos());
      }
      byte[] buffer = new byte[BUFFER];
      int read;
      while ((read = timedRead(in, buffer)) >= 0) {
        out.write(buffer, 0, read);
      }
      end = outcome;
    } catch (IOException e) {
      if (stalled) {
        throw new IOException("The agent sent nothing for " + idle + ": body cut short", e);
      }
      throw e;
    } finally {
      finished = true;
      done.accept(end);
    }
  }

  // Only the time spent waiting on the agent counts: a slow client blocks in write, not here.
  private int timedRead(InputStream in, byte[] buffer) throws IOException {
    readingSince = System.nanoTime();
    try {
      return in.read(buffer);
    } finally {
      readingSince = NOT_READING;
    }
  }

  // The JDK client has no read timeout for a body. A check off the streaming thread ends a read
  // that has waited too long by closing the stream, which fails the blocked read with an
  // IOException; its own connection to the agent is dropped with it.
  private void watch(long delayNanos) {
    CompletableFuture.runAsync(
        this::check, CompletableFuture.delayedExecutor(delayNanos, NANOSECONDS));
  }

  private void check() {
    if (finished) {
      return;
    }
    long since = readingSince;
    long now = System.nanoTime();
    long idleNanos = idle.toNanos();
    if (since != NOT_READING && now - since >= idleNanos) {
      stalled = true;
      try {
        body.close();
      } catch (IOException e) {
        // The reader fails either way, which is all the close is for.
      }
      return;
    }
    watch(since == NOT_READING ? idleNanos : idleNanos - (now - since));
  }
}
