package core.llm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The serve log line is what SimpleFormatter wrote with the format the launcher used to set. */
class LogLineFormatterTest {
  /** The launcher's former {@code java.util.logging.SimpleFormatter.format}. */
  private static final String OLD_FORMAT = "%1$tF %1$tT.%1$tL %4$s %5$s%6$s%n";

  private static String simpleFormatter(LogRecord r, ZoneId zone) {
    String thrown = "";
    if (r.getThrown() != null) {
      StringWriter sw = new StringWriter();
      try (PrintWriter pw = new PrintWriter(sw)) {
        pw.println();
        r.getThrown().printStackTrace(pw);
      }
      thrown = sw.toString();
    }
    return String.format(
        Locale.ROOT,
        OLD_FORMAT,
        ZonedDateTime.ofInstant(r.getInstant(), zone),
        "",
        r.getLoggerName(),
        r.getLevel().getLocalizedName(),
        r.getMessage(),
        thrown);
  }

  private static LogRecord record(Level level, String message, Instant at) {
    LogRecord r = new LogRecord(level, message);
    r.setInstant(at);
    r.setLoggerName("core.llm.gateway.requests");
    return r;
  }

  @Test
  void sameTextAsTheFormatItReplaces() {
    ZoneId zone = ZoneId.of("Europe/Paris");
    LogLineFormatter f = new LogLineFormatter(zone);
    // millis of 0, one digit, two digits, three digits; the same second twice (the cached part);
    // a second boundary; a daylight-saving change
    Instant[] times = {
      Instant.parse("2026-12-06T18:20:01.000Z"),
      Instant.parse("2026-12-06T18:20:01.007Z"),
      Instant.parse("2026-12-06T18:20:01.042Z"),
      Instant.parse("2026-12-06T18:20:01.999Z"),
      Instant.parse("2026-12-06T18:20:02.500Z"),
      Instant.parse("2026-03-29T00:59:59.123Z"),
      Instant.parse("2026-03-29T01:00:00.123Z"),
      Instant.parse("2026-12-06T18:20:01.042Z"),
    };
    for (Instant t : times) {
      LogRecord r = record(Level.INFO, "POST /api/chat 200 api=ollama took=0.4ms", t);
      assertEquals(simpleFormatter(r, zone), f.format(r), t.toString());
    }
  }

  @Test
  void aStackTraceFollowsTheLine() {
    ZoneId zone = ZoneId.of("UTC");
    LogRecord r =
        record(Level.WARNING, "config reload failed", Instant.parse("2026-12-06T18:20:01.5Z"));
    r.setThrown(new IllegalStateException("boom"));
    String line = new LogLineFormatter(zone).format(r);
    assertEquals(simpleFormatter(r, zone), line);
    assertTrue(line.startsWith("2026-12-06 18:20:01.500 WARNING config reload failed"), line);
    assertTrue(line.contains("java.lang.IllegalStateException: boom"), line);
  }

  @Test
  void parametersAreFilledIn() {
    LogRecord r = record(Level.INFO, "{0} of {1}", Instant.parse("2026-12-06T18:20:01Z"));
    r.setParameters(new Object[] {"one", "two"});
    assertEquals(
        "2026-12-06 18:20:01.000 INFO one of two" + System.lineSeparator(),
        new LogLineFormatter(ZoneId.of("UTC")).format(r));
  }
}
