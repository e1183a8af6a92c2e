package core.llm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The log line of {@code llm serve}: {@code 2026-12-06 18:20:01.123 INFO message}, one line per
 * record, the stack trace after it when there is one. It writes what {@link SimpleFormatter} wrote
 * with the format the launcher used to set, without {@link String#format}: the gateway writes a
 * line per request on its event loop, and formatting the time three times through {@link
 * java.util.Formatter} was most of that line's cost.
 */
final class LogLineFormatter extends Formatter {
  /** The date and time to the second, rebuilt once a second. */
  private record Second(long epochSecond, String text) {}

  private final ZoneId zone;
  private volatile Second second = new Second(Long.MIN_VALUE, "");

  LogLineFormatter(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * Puts this format on the root logger's console handlers, unless the user configured logging (a
   * logging config file or class, or SimpleFormatter's format): theirs wins.
   */
  static void installUnlessConfigured() {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null
        || System.getProperty("java.util.logging.SimpleFormatter.format") != null) {
      return;
    }
    LogLineFormatter formatter = new LogLineFormatter(ZoneId.systemDefault());
    for (Handler h : Logger.getLogger("").getHandlers()) {
      if (h instanceof ConsoleHandler && h.getFormatter() instanceof SimpleFormatter) {
        h.setFormatter(formatter);
      }
    }
  }

  @Override
  public String format(LogRecord record) {
    String message = formatMessage(record);
    StringBuilder b = new StringBuilder(32 + message.length());
    Instant at = record.getInstant();
    b.append(secondOf(at.getEpochSecond())).append('.');
    int millis = at.getNano() / 1_000_000;
    if (millis < 100) {
      b.append('0');
    }
    if (millis < 10) {
      b.append('0');
    }
    b.append(millis).append(' ').append(record.getLevel().getLocalizedName()).append(' ');
    b.append(message);
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      try (PrintWriter pw = new PrintWriter(trace)) {
        pw.println();
        thrown.printStackTrace(pw);
      }
      b.append(trace);
    }
    return b.append(System.lineSeparator()).toString();
  }

  private String secondOf(long epochSecond) {
    Second s = second;
    if (s.epochSecond() != epochSecond) {
      LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone);
      s = new Second(epochSecond, String.format(java.util.Locale.ROOT, "%1$tF %1$tT", t));
      second = s;
    }
    return s.text();
  }
}
