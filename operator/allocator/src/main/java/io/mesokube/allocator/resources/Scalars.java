package io.mesokube.allocator.resources;

/**
 * Fixed-point arithmetic for scalar resources, in thousandths, as Mesos keeps them.
 *
 * <p>Mesos rounds every scalar to three decimals so that adding and subtracting fractional cpus
 * never drifts; a {@code long} of thousandths does the same exactly.
 */
public final class Scalars {
  /** Thousandths per unit. */
  public static final long SCALE = 1000L;

  private Scalars() {}

  /**
   * Converts a user-supplied value to thousandths, rounding to the nearest thousandth.
   *
   * @throws IllegalArgumentException if the value is NaN, infinite, negative or too large
   */
  public static long toMillis(String name, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Resource '" + name + "' must be a finite number, got " + value);
    }
    if (value < 0) {
      throw new IllegalArgumentException(
          "Resource '" + name + "' must not be negative, got " + value);
    }
    if (value > Long.MAX_VALUE / (double) SCALE / 2) {
      throw new IllegalArgumentException("Resource '" + name + "' is too large: " + value);
    }
    return Math.round(value * SCALE);
  }

  /** Converts thousandths back to a double for display and ratios. */
  public static double toDouble(long millis) {
    return millis / (double) SCALE;
  }

  /** Formats thousandths as Mesos prints scalars: no trailing zeros, at most three decimals. */
  public static String format(long millis) {
    long whole = millis / SCALE;
    long frac = millis % SCALE;
    if (frac == 0) {
      return Long.toString(whole);
    }
    String digits = String.format("%03d", frac);
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return whole + "." + digits.substring(0, end);
  }
}
