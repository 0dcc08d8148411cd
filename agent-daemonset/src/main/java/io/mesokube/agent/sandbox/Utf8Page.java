package io.mesokube.agent.sandbox;

import java.nio.charset.StandardCharsets;

/**
 * Cuts a page of file bytes on UTF-8 character boundaries, so that pages join back into the file
 * byte for byte: a page never starts or ends inside a character.
 */
final class Utf8Page {
  /** The longest UTF-8 sequence, less its lead byte: the lookahead a page may need. */
  static final int LOOKAHEAD = 3;

  private Utf8Page() {}

  /**
   * The text of a page.
   *
   * @param bytes {@code read} bytes of the file from {@code offset}: up to {@code length} plus
   *     {@link #LOOKAHEAD}, fewer only at the end of the file
   * @param length the page length asked for, at least 1
   */
  static SandboxFiles.Chunk cut(byte[] bytes, int read, long offset, int length) {
    // Starting inside a character: skip its tail, and say so through the offset.
    int start = 0;
    while (start < Math.min(read, LOOKAHEAD) && continuation(bytes[start])) {
      start++;
    }
    int end = Math.max(start, Math.min(length, read));
    // Ending inside a character: leave it for the next page.
    int cut = end;
    while (cut > start && cut < read && end - cut < LOOKAHEAD && continuation(bytes[cut])) {
      cut--;
    }
    if (cut < read && !continuation(bytes[cut])) {
      end = cut;
    }
    // A first character longer than the page comes whole, or a reader would never get past it.
    if (end == start && start < read) {
      end = start + 1;
      while (end < read && end - start <= LOOKAHEAD && continuation(bytes[end])) {
        end++;
      }
    }
    // At the end of the file, a character still being written waits for its last bytes.
    if (end == read) {
      for (int lead = read - 1; lead >= Math.max(start, read - LOOKAHEAD); lead--) {
        if (!continuation(bytes[lead])) {
          if (sequenceLength(bytes[lead]) > read - lead) {
            end = lead;
          }
          break;
        }
      }
    }
    // Bytes that are not UTF-8 become U+FFFD: see SandboxFiles#read.
    String data = new String(bytes, start, end - start, StandardCharsets.UTF_8);
    return new SandboxFiles.Chunk(data, offset + start);
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int sequenceLength(byte lead) {
    if ((lead & 0x80) == 0) {
      return 1;
    } else if ((lead & 0xE0) == 0xC0) {
      return 2;
    } else if ((lead & 0xF0) == 0xE0) {
      return 3;
    } else if ((lead & 0xF8) == 0xF0) {
      return 4;
    }
    return 1; // Not a lead byte: it stands alone as U+FFFD.
  }
}
