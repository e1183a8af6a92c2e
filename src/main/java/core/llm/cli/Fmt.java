package core.llm.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Human formats shared by the commands: sizes and ages like the {@code ollama} CLI, and tables. */
final class Fmt {
  private Fmt() {}

  /**
   * Decimal units as {@code ollama list} prints them: {@code 2.0 GB}, {@code 850 MB}, {@code 12 B}.
   */
  static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB"};
    double v = n;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return (v >= 100
            ? String.format(Locale.ROOT, "%.0f", v)
            : String.format(Locale.ROOT, "%.1f", v))
        + " "
        + units[u];
  }

  /** {@code 3 seconds ago}, {@code 2 days ago}... for a time in the past. */
  static String ago(OffsetDateTime t, Instant now) {
    if (t == null) {
      return "";
    }
    Duration d = Duration.between(t.toInstant(), now);
    return d.isNegative() ? "just now" : human(d) + " ago";
  }

  /**
   * {@code 4 minutes from now}, {@code Forever} for far-away expiries, for a time in the future.
   */
  static String until(OffsetDateTime t, Instant now) {
    if (t == null) {
      return "";
    }
    Duration d = Duration.between(now, t.toInstant());
    if (d.toDays() > 365 * 100) {
      return "Forever";
    }
    return d.isNegative() ? "Stopping..." : human(d) + " from now";
  }

  static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 1) {
      return "less than a second";
    }
    if (s < 60) {
      return plural(s, "second");
    }
    if (s < 3600) {
      return plural(s / 60, "minute");
    }
    if (s < 86400) {
      return plural(s / 3600, "hour");
    }
    if (s < 86400L * 30) {
      return plural(s / 86400, "day");
    }
    if (s < 86400L * 365) {
      return plural(s / (86400L * 30), "month");
    }
    return plural(s / (86400L * 365), "year");
  }

  private static String plural(long n, String unit) {
    return n == 1 ? (unit.equals("hour") ? "an hour" : "1 " + unit) : n + " " + unit + "s";
  }

  /** Seconds with one decimal: {@code 1.3s}. */
  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  /** The 12 hex digits {@code ollama} shows as a model or layer ID. */
  static String shortDigest(String digest) {
    if (digest == null) {
      return "";
    }
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  /** Left-aligned columns separated by at least three spaces; the header is the first row. */
  static String table(List<String[]> rows) {
    int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i] == null ? 0 : r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.length; i++) {
        String c = r[i] == null ? "" : r[i];
        cells.add(i == r.length - 1 ? c : c + " ".repeat(width[i] - c.length()));
      }
      sb.append(String.join("   ", cells).stripTrailing()).append('\n');
    }
    return sb.toString();
  }
}
