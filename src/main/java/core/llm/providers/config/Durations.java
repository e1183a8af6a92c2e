package core.llm.providers.config;

import core.llm.common.TimerDelays;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Duration strings of the configuration file: ISO-8601 ({@code PT30S}) or a sequence of integer +
 * unit with units {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} ({@code 500ms}, {@code
 * 30s}, {@code 10m}, {@code 1m30s}). {@code 0} alone means zero. At most {@link TimerDelays#MAX}
 * (365 days): a longer value is a typo, and beyond a {@code long} of milliseconds it cannot be a
 * timer.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a duration string.
   *
   * @throws IllegalArgumentException with a message suitable for a validation problem
   */
  public static Duration parse(String text) {
    Duration d = parseUnbounded(text);
    if (d.compareTo(TimerDelays.MAX) > 0) {
      throw new IllegalArgumentException(
          "duration '"
              + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
              + "' is too long: at most 365d");
    }
    return d;
  }

  private static Duration parseUnbounded(String text) {
    if (text == null) {
      throw new IllegalArgumentException("bad duration: empty");
    }
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.startsWith("pt") || s.startsWith("p") || s.startsWith("-p")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw bad(text);
      }
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int pos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw bad(text);
      }
      long n;
      try {
        n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  default -> Duration.ofDays(n);
                });
      } catch (NumberFormatException | ArithmeticException e) {
        throw bad(text);
      }
      pos = m.end();
    }
    if (pos == 0) {
      throw bad(text);
    }
    return total;
  }

  /** Short rendering used in messages: {@code 250ms}, {@code 30s}, else ISO-8601. */
  public static String format(Duration d) {
    if (d == null) {
      return "null";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0 && d.getNano() % 1_000_000 == 0 && !d.isNegative()) {
      return d.toMillis() + "ms";
    }
    if (d.getNano() == 0 && d.getSeconds() < 60 && !d.isNegative()) {
      return d.getSeconds() + "s";
    }
    return d.toString();
  }

  private static IllegalArgumentException bad(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return new IllegalArgumentException(
        "bad duration '" + shown + "' (use e.g. 500ms, 30s, 10m, 1h or ISO-8601 PT30S)");
  }
}
