package io.mesokube.agent.sandbox;

/** Formats a {@code st_mode} as {@code ls -l} does, e.g. {@code drwxr-xr-x}, as Mesos' browse. */
final class FileModes {
  private static final String RWX = "rwxrwxrwx";

  private FileModes() {}

  static String format(int mode) {
    StringBuilder text = new StringBuilder(10).append(type(mode));
    for (int bit = 0; bit < 9; bit++) {
      boolean set = (mode & (1 << (8 - bit))) != 0;
      text.append(set ? RWX.charAt(bit) : '-');
    }
    special(text, mode, 04000, 3, 's');
    special(text, mode, 02000, 6, 's');
    special(text, mode, 01000, 9, 't');
    return text.toString();
  }

  // Set-user-ID, set-group-ID and sticky show in the execute column: lower case over x.
  private static void special(StringBuilder text, int mode, int bit, int column, char letter) {
    if ((mode & bit) != 0) {
      boolean executable = text.charAt(column) == 'x';
      text.setCharAt(column, executable ? letter : Character.toUpperCase(letter));
    }
  }

  private static char type(int mode) {
    return switch (mode & 0170000) {
      case 0040000 -> 'd';
      case 0120000 -> 'l';
      case 0020000 -> 'c';
      case 0060000 -> 'b';
      case 0010000 -> 'p';
      case 0140000 -> 's';
      default -> '-';
    };
  }
}
