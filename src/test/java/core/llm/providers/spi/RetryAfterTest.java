package core.llm.providers.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static MultiMap headers(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void secondsMillisecondsAndHttpDates() {
    assertEquals(Duration.ofSeconds(7), RetryAfter.parse(headers("Retry-After", "7")));
    assertEquals(Duration.ofMillis(2500), RetryAfter.parse(headers("retry-after", "2.5")));
    assertEquals(
        Duration.ofMillis(1500),
        RetryAfter.parse(headers("retry-after-ms", "1500", "Retry-After", "9")));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(30));
    Duration fromDate = RetryAfter.parse(headers("Retry-After", date));
    assertTrue(fromDate.getSeconds() > 25 && fromDate.getSeconds() <= 30, fromDate.toString());
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusSeconds(30));
    assertEquals(Duration.ZERO, RetryAfter.parse(headers("Retry-After", past)));
  }

  @Test
  void nothingReadableMeansNoAdvice() {
    assertNull(RetryAfter.parse(null));
    assertNull(RetryAfter.parse(headers()));
    assertNull(RetryAfter.parse(headers("Retry-After", "soon")));
  }
}
