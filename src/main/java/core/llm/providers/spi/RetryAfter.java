package core.llm.providers.spi;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * How long a server asked us to wait: {@code retry-after-ms}, else {@code Retry-After} in seconds
 * or as an HTTP date.
 */
public final class RetryAfter {
  private RetryAfter() {}

  /** The wait the headers ask for, or null when they give none (or nothing readable). */
  public static Duration parse(MultiMap headers) {
    if (headers == null) {
      return null;
    }
    String ms = headers.get("retry-after-ms");
    if (ms != null) {
      try {
        return Duration.ofMillis(Math.round(Double.parseDouble(ms.trim())));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    String value = headers.get("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (RuntimeException notADate) {
        return null; // garbage: no advice rather than a wrong one
      }
    }
  }
}
