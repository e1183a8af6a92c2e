package core.llm.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The request log's durations: one decimal, rounded as String.format rounded them. */
class RequestLogLineTest {
  @Test
  void millisecondsWithOneDecimal() {
    assertEquals("0.0", RequestLogLine.millis(0));
    assertEquals("0.0", RequestLogLine.millis(49_999));
    assertEquals("0.1", RequestLogLine.millis(50_000));
    assertEquals("0.4", RequestLogLine.millis(412_345));
    assertEquals("1.0", RequestLogLine.millis(999_999));
    assertEquals("1234.6", RequestLogLine.millis(1_234_567_890L));
    assertEquals("0.0", RequestLogLine.millis(-5), "a clock step back is not a negative time");
  }

  @Test
  void agreesWithFormatOverARange() {
    for (long n = 0; n < 30_000_000L; n += 7_777) {
      if ((n % 100_000) == 50_000) {
        continue; // a tie: String.format rounds the binary double, which may fall either side
      }
      assertEquals(
          String.format(Locale.ROOT, "%.1f", n / 1e6), RequestLogLine.millis(n), "nanos " + n);
    }
  }
}
